"""One configuration object, read from the environment (no engine at import time)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from clock import now_local, parse_local, today_local

ROOT = Path(__file__).resolve().parent
DEFAULT_DATA_DIR = ROOT / "data"


@dataclass(frozen=True)
class Settings:
    """Runtime settings.

    DATABASE_URL   SQLAlchemy URL; default: embedded SQLite file under DATA_DIR.
    HOST, PORT     where `python app.py` serves (default 127.0.0.1:8050).
    DATA_DIR       where the SQLite file, demo CSVs and quarantine files go.
    GEODATA_DIR    boundary files (default: the shipped Quảng Nam set).
    AGENCIES_FILE  agency registry loaded on first run (default: shipped Quảng Nam file).
    PROVINCE_CODE  GSO code of the province shown (default 49).
    APP_TODAY      ISO date that stands for "today" (tests and demos); default: the real date
                   in the province (Asia/Ho_Chi_Minh), whatever the server's time zone.
    APP_NOW        ISO date-time that stands for "now" (tests and demos): local time, or with
                   an offset (2026-12-04T18:00:00+00:00 is 01:00 on 05/12 in Việt Nam); also
                   fixes "today" when APP_TODAY is not set.
    """

    database_url: str
    host: str = "127.0.0.1"
    port: int = 8050
    data_dir: Path = DEFAULT_DATA_DIR
    geodata_dir: Path = ROOT / "geodata" / "data" / "quang_nam"
    agencies_file: Path = ROOT / "importer" / "data" / "agencies.csv"
    province_code: str = "49"
    today_override: date | None = None
    now_override: datetime | None = None  # naive local time
    debug: bool = False
    extra: dict[str, str] = field(default_factory=dict)

    def today(self) -> date:
        """Today in the province: APP_TODAY, else APP_NOW's date, else the clock's local date."""
        if self.today_override is not None:
            return self.today_override
        return self.now_override.date() if self.now_override is not None else today_local()

    def now(self) -> datetime:
        """Now in the province (naive local time): APP_NOW, else the clock."""
        return self.now_override if self.now_override is not None else now_local()

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Settings:
        env = dict(os.environ if env is None else env)
        data_dir = Path(env.get("DATA_DIR", str(DEFAULT_DATA_DIR)))
        url = env.get("DATABASE_URL") or f"sqlite:///{data_dir / 'bando.sqlite3'}"
        today = env.get("APP_TODAY")
        now = env.get("APP_NOW")
        return cls(
            database_url=url,
            host=env.get("HOST", "127.0.0.1"),
            port=int(env.get("PORT", "8050")),
            data_dir=data_dir,
            geodata_dir=Path(env.get("GEODATA_DIR", str(cls.geodata_dir))),
            agencies_file=Path(env.get("AGENCIES_FILE", str(cls.agencies_file))),
            province_code=env.get("PROVINCE_CODE", "49"),
            today_override=date.fromisoformat(today) if today else None,
            now_override=parse_local(now) if now else None,
            debug=env.get("DASH_DEBUG", "") == "1",
        )
