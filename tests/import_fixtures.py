"""Support for the importer tests: a loaded registry and a small deterministic dossier writer.

(Named test_* so it sits with the importer tests; it holds fixtures and helpers only.)
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import Engine

from config import Settings
from db.editions import replace_editions
from db.engine import make_engine
from db.registry import resolve_map_units
from db.units import replace_crosswalk, replace_units
from geodata.editions import load_editions
from geodata.records import crosswalk_records, unit_records
from importer.agencies import import_agencies
from importer.dossier_rows import ALL_COLUMNS
from importer.successions import import_successions
from importer.summary import ImportSummary
from tests.conftest import template_url

GEODATA_DIR = Settings.geodata_dir
AGENCIES_FILE = Settings.agencies_file


@contextmanager
def registry_database(backend: str, folder: Path) -> Iterator[Engine]:
    """A migrated database on `backend` with the shipped registry loaded (load_registry), a
    copy of the session's template (tests.conftest.template_url); disposed (and on
    PostgreSQL dropped) on leaving."""
    with template_url(backend, folder, "registry") as url:
        engine = make_engine(url)
        try:
            yield engine
        finally:
            engine.dispose()


def load_registry(engine: Engine) -> None:
    """Units, crosswalk, the map's editions, the shipped Quảng Nam registry (with the city's
    departments from 01/7/2025) and its successions, through the importer's own functions."""
    with engine.begin() as conn:
        replace_units(conn, unit_records(GEODATA_DIR))
        replace_crosswalk(conn, crosswalk_records(GEODATA_DIR))
        resolve_map_units(conn)
        replace_editions(conn, load_editions(Settings.editions_file))
    import_agencies(engine, AGENCIES_FILE)
    import_successions(engine, Settings.successions_file)


def dossier(code: str, **overrides: str) -> dict[str, str]:
    """A valid resolved dossier of the provincial Department of Home Affairs (SNV)."""
    row = {
        "dossier_code": code,
        "agency_code": "SNV",
        "procedure_code": "1.000775",
        "procedure_name": "Tặng Bằng khen",
        "field_code": "NV",
        "field_name": "Thi đua, khen thưởng",
        "online_level": "full",
        "channel": "2",
        "status": "9",
        "submitted_at": "2025-03-03T08:00:00",
        "received_at": "2025-03-03T09:00:00",
        "due_at": "2025-03-10",
        "finished_at": "2025-03-07T16:00:00",
        "returned_at": "",
        "supplement_count": "0",
        "supplement_days": "0",
        "has_fee": "1",
        "paid_online": "1",
        "e_result": "1",
        "digitized": "0",
        "reused_data": "",
        "handler_id": "CB001",
        "rating": "satisfied",
        "updated_at": "2025-03-07T16:00:00+07:00",
    }
    row.update(overrides)
    return row


def write_dossiers(path: Path, rows: Iterable[dict[str, str]], columns: Iterable[str] = ALL_COLUMNS) -> Path:
    columns = list(columns)
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return path


def october_dossiers(path: Path, agency: str, count: int, prefix: str) -> Path:
    """`count` (≤ 8) dossiers of `agency` received online in October 2026 and resolved early,
    codes PREFIX-1…, written to `path` (what a live import adds to the open map)."""
    rows = [
        dossier(
            f"{prefix}-{i}",
            agency_code=agency,
            procedure_code="2.000001",
            procedure_name="Chứng thực bản sao từ bản chính",
            field_code="CT",
            field_name="Chứng thực",
            submitted_at=f"2026-10-0{i}T07:30:00",
            received_at=f"2026-10-0{i}T08:00:00",
            due_at=f"2026-10-1{i}",
            finished_at=f"2026-10-0{i + 1}T15:00:00",
            updated_at=f"2026-10-0{i + 1}T15:00:00+07:00",
        )
        for i in range(1, count + 1)
    ]
    return write_dossiers(path, rows)


# Agencies valid over a whole period, so generated dates never leave their validity.
OLD_PERIOD_AGENCIES = ("SNV", "STP", "502", "509", "20335", "20338", "20341")  # 2024
NEW_PERIOD_AGENCIES = ("SNV", "SYT", "20335", "20341", "20350")  # from 2025-07-01
BAD_KINDS = ("received_after_due", "paid_online_without_fee", "unknown_agency", "invalid_status")


def import_october_dossier(settings: Settings, path: Path, prefix: str) -> ImportSummary:
    """One more dossier of SNV received in October 2026 (october_dossiers), imported through
    an engine of its own: a new data version for a running app."""
    from db.engine import make_engine
    from importer.dossiers import import_dossiers

    engine = make_engine(settings.database_url)
    try:
        return import_dossiers(engine, [october_dossiers(path, "SNV", 1, prefix)], today=settings.today())
    finally:
        engine.dispose()


def generated_rows(n: int, bad_every: int) -> tuple[list[dict[str, str]], dict[str, int]]:
    """n rows; every `bad_every`-th row (1-based) breaks one rule, rotating over BAD_KINDS.

    Returns the rows and the number of bad rows per rule. Statuses, channels and dates
    vary with the row number; 2024 rows use old agencies, 2025-08+ rows new ones (received
    by 2026-01-07: before the tests' today, 2026-01-15, so never in the future).
    """
    rows: list[dict[str, str]] = []
    bad: dict[str, int] = dict.fromkeys(BAD_KINDS, 0)
    for i in range(1, n + 1):
        new_period = i % 2 == 0
        agencies = NEW_PERIOD_AGENCIES if new_period else OLD_PERIOD_AGENCIES
        start = date(2025, 8, 1) if new_period else date(2024, 1, 1)
        received = start + timedelta(days=i % (160 if new_period else 300))
        due = received + timedelta(days=5 + i % 10)
        finished = received + timedelta(days=i % 17)
        status = (2, 4, 5, 7, 9, 10, 9, 10)[i % 8]
        row = dossier(
            f"G{i:06d}",
            agency_code=agencies[i % len(agencies)],
            channel=str(1 + i % 3),
            status=str(status),
            submitted_at=f"{received.isoformat()}T07:30:00",
            received_at=f"{received.isoformat()}T08:00:00",
            due_at=due.isoformat(),
            finished_at=f"{finished.isoformat()}T15:00:00" if status in (7, 9, 10) else "",
            returned_at=f"{(finished + timedelta(days=1)).isoformat()}T09:00:00" if status == 10 else "",
            has_fee=str(i % 2),
            paid_online="1" if i % 4 == 1 else "0",
            updated_at=f"{(received + timedelta(days=20)).isoformat()}T00:00:00",
        )
        if i % bad_every == 0:
            kind = BAD_KINDS[(i // bad_every) % len(BAD_KINDS)]
            bad[kind] += 1
            if kind == "received_after_due":
                row["due_at"] = (received - timedelta(days=1)).isoformat()
            elif kind == "paid_online_without_fee":
                row["has_fee"], row["paid_online"] = "0", "1"
            elif kind == "unknown_agency":
                row["agency_code"] = "KHONGCO"
            else:
                row["status"] = "11"
        rows.append(row)
    return rows, bad
