"""One configuration object, read from the environment (no engine at import time)."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from clock import now_local, parse_local, today_local

ROOT = Path(__file__).resolve().parent
DEFAULT_DATA_DIR = ROOT / "data"
PUBLIC_ACCESS_CHOICES = ("map", "none")
# "/" or "/a/", "/a/b/"…: segments of unaccented letters, digits, "-", "_", "." (no "..")
URL_PREFIX_PATTERN = re.compile(r"/(?:(?!\.\.?/)[A-Za-z0-9._-]+/)*")


@dataclass(frozen=True)
class Settings:
    """Runtime settings.

    DATABASE_URL   SQLAlchemy URL; default: embedded SQLite file under DATA_DIR.
    HOST, PORT     where `python app.py` serves (default 127.0.0.1:8050).
    DATA_DIR       where the SQLite file, demo CSVs and quarantine files go.
    GEODATA_DIR    boundary files (default: the shipped Quảng Nam set).
    EDITIONS_FILE  the map's editions (default geodata/data/editions.toml: Quảng Nam with districts
                   until 30/6/2025, Đà Nẵng city without districts from 01/7/2025).
    AGENCIES_FILE  agency registry loaded on first run (default: shipped Quảng Nam file).
    SUCCESSIONS_FILE  agency successions loaded on first run (default importer/data/agency_successions.csv).
    PROVINCE_CODE  GSO code of the province shown (default 49).
    APP_TODAY      ISO date that stands for "today" (tests and demos); default: the real date
                   in the province (Asia/Ho_Chi_Minh), whatever the server's time zone.
    APP_NOW        ISO date-time that stands for "now" (tests and demos): local time, or with
                   an offset (2026-12-04T18:00:00+00:00 is 01:00 on 05/12 in Việt Nam); also
                   fixes "today" when APP_TODAY is not set.
    SECRET_KEY     signs the session cookie; every server process must share it. Default: a
                   random key generated once into DATA_DIR/secret_key (kept across restarts).
    COOKIE_SECURE  1: the session cookie is sent over HTTPS only (set it behind TLS).
    SESSION_IDLE_MINUTES  a session ends after this long without activity (default 30).
    SESSION_MAX_HOURS     and in any case this long after the login (default 12).
    PUBLIC_ACCESS  map (default): anonymous visitors see aggregated figures and published
                   results; none: every page needs a login.
    REDIS_URL      redis://host:port/db: the per-data-version caches live there, shared by every
                   worker process and machine (dossier_stats/redis_store.py); unset: in-process.
    CACHE_TTL_SECONDS  how long a version's cached values live in Redis without a write (3600).
    LOG_LEVEL      DEBUG, INFO (default), WARNING, ERROR.
    LOG_FORMAT     `text` (default: time, level, logger, message) or `json` (one object a line).
    URL_PREFIX     the path the app is served under behind a reverse proxy that passes the whole
                   path on (`/bando/`: pages, assets, callbacks, downloads under /bando/); default `/`.
    """

    database_url: str
    host: str = "127.0.0.1"
    port: int = 8050
    data_dir: Path = DEFAULT_DATA_DIR
    geodata_dir: Path = ROOT / "geodata" / "data" / "quang_nam"
    agencies_file: Path = ROOT / "importer" / "data" / "agencies.csv"
    editions_file: Path = ROOT / "geodata" / "data" / "editions.toml"
    successions_file: Path = ROOT / "importer" / "data" / "agency_successions.csv"
    province_code: str = "49"
    today_override: date | None = None
    now_override: datetime | None = None  # naive local time
    debug: bool = False
    secret_key: str | None = field(default=None, repr=False)
    cookie_secure: bool = False
    session_idle_minutes: int = 30
    session_max_hours: int = 12
    public_access: str = "map"
    redis_url: str | None = None
    cache_ttl_seconds: int = 3600
    log_level: str = "INFO"
    log_format: str = "text"
    url_prefix: str = "/"
    extra: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.public_access not in PUBLIC_ACCESS_CHOICES:
            raise ValueError(
                f"PUBLIC_ACCESS='{self.public_access}' không hợp lệ: dùng 'map' (công chúng xem bản đồ, "
                "kết quả đã công bố) hoặc 'none' (mọi trang cần đăng nhập)."
            )
        if self.session_idle_minutes < 1 or self.session_max_hours < 1:
            raise ValueError("SESSION_IDLE_MINUTES và SESSION_MAX_HOURS phải là số nguyên dương.")
        if not URL_PREFIX_PATTERN.fullmatch(self.url_prefix):
            raise ValueError(
                f"URL_PREFIX={self.url_prefix!r} không hợp lệ: cần một đường dẫn như /bando/ "
                "(chữ không dấu, số, '-', '_', '.', các đoạn cách nhau bởi '/')."
            )

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
            editions_file=Path(env.get("EDITIONS_FILE", str(cls.editions_file))),
            successions_file=Path(env.get("SUCCESSIONS_FILE", str(cls.successions_file))),
            province_code=env.get("PROVINCE_CODE", "49"),
            today_override=date.fromisoformat(today) if today else None,
            now_override=parse_local(now) if now else None,
            debug=env.get("DASH_DEBUG", "") == "1",
            secret_key=env.get("SECRET_KEY") or None,
            cookie_secure=env.get("COOKIE_SECURE", "") == "1",
            session_idle_minutes=positive_int(env, "SESSION_IDLE_MINUTES", cls.session_idle_minutes),
            session_max_hours=positive_int(env, "SESSION_MAX_HOURS", cls.session_max_hours),
            public_access=env.get("PUBLIC_ACCESS", "map").strip().lower() or "map",
            redis_url=env.get("REDIS_URL") or None,
            cache_ttl_seconds=positive_int(env, "CACHE_TTL_SECONDS", cls.cache_ttl_seconds),
            log_level=env.get("LOG_LEVEL", "INFO").strip().upper() or "INFO",
            log_format=env.get("LOG_FORMAT", "text").strip().lower() or "text",
            url_prefix=normal_prefix(env.get("URL_PREFIX", "")),
        )


def positive_int(env: Mapping[str, str], name: str, default: int) -> int:
    """The variable as a whole number ≥ 1, its default when unset; anything else is refused
    at start with a message naming it."""
    raw = env.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or int(raw) < 1:
        raise ValueError(f"{name}={raw!r}: cần một số nguyên dương.")
    return int(raw)


def normal_prefix(raw: str) -> str:
    """ "bando", "/bando", "/bando/" -> "/bando/"; "" or "/" -> "/" (checked by Settings)."""
    raw = raw.strip()
    return "/" if raw in ("", "/") else "/" + raw.strip("/") + "/"
