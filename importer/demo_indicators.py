"""Demo values of the 766 indicators that dossier data cannot give (publicity, complaints,
citizen data…), so that the demo ranks its units on the 766 index as a real deployment does
once `cli.py import-indicators` has run.

One value per agency, quarter and imported indicator, for every quarter from the demo's
start to the quarter of `today`, when exactly one version of the agency's code is valid in
the quarter (a 2025 commune code reuses an old one: the old agency gets the quarters up to
Q2 2025, the new one from Q3). A unit's level of quality is drawn once from the seed and
its code, then each quarter adds a small improvement and noise, capped at the indicator's
maximum. Every agency gets every indicator (the demo's departments get "chứng thực bản
sao điện tử" too, so that they are comparable). The file goes through the real importer
(importer/indicators.py), quarantine and import run included.
"""

from __future__ import annotations

import csv
import random
import zlib
from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import Engine, select

from db.schema import agencies
from dossier_stats.index766.config import IMPORTED_INDICATORS
from importer.demo_calendar import DEMO_START
from importer.indicators import IndicatorSummary, import_indicators

AgencyVersion = tuple[str, date, date | None]  # code, valid_from, valid_to (None: still valid)
COLUMNS = ("agency_code", "period", "indicator", "value")


def quarters(first: date, last: date) -> Iterator[tuple[str, date, date]]:
    """(key, first day, last day) of every quarter from the one of `first` to the one of `last`."""
    year, quarter = first.year, (first.month - 1) // 3 + 1
    while (year, quarter) <= (last.year, (last.month - 1) // 3 + 1):
        start = date(year, 3 * quarter - 2, 1)
        following = date(year + 1, 1, 1) if quarter == 4 else date(year, 3 * quarter + 1, 1)
        yield f"{year}-Q{quarter}", start, following - timedelta(days=1)
        year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)


def demo_indicator_rows(versions: Iterable[AgencyVersion], today: date, seed: int) -> list[dict[str, str]]:
    """The rows of the demo indicator file (see the module's docstring)."""
    by_code: dict[str, list[AgencyVersion]] = defaultdict(list)
    for version in versions:
        by_code[version[0]].append(version)
    rows: list[dict[str, str]] = []
    for code in sorted(by_code):
        rng = random.Random(zlib.crc32(f"{seed}:{code}".encode()))
        quality = rng.uniform(0.55, 0.95)
        for index, (key, start, end) in enumerate(quarters(DEMO_START, today)):
            valid = [v for v in by_code[code] if v[1] <= end and (v[2] is None or v[2] >= start)]
            if len(valid) != 1:
                continue
            for indicator in IMPORTED_INDICATORS.values():
                share = min(1.0, max(0.0, quality + 0.01 * index + rng.gauss(0, 0.06)))
                value = round(indicator.max_points * share, 2)
                rows.append(
                    {"agency_code": code, "period": key, "indicator": indicator.key, "value": f"{value}"}
                )
    return rows


def write_demo_indicators(engine: Engine, out_dir: Path, today: date, seed: int) -> Path:
    """The demo indicator CSV for the registry in the database, in out_dir."""
    with engine.connect() as conn:
        versions = [
            tuple(r)
            for r in conn.execute(select(agencies.c.code, agencies.c.valid_from, agencies.c.valid_to))
        ]
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / "indicators_766.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(demo_indicator_rows(versions, today, seed))  # type: ignore[arg-type]
    return path


def load_demo_indicators(engine: Engine, out_dir: Path, today: date, seed: int) -> IndicatorSummary:
    """Write and import the demo indicator file."""
    return import_indicators(engine, write_demo_indicators(engine, out_dir, today, seed), today=today)
