"""Rows that broke a rule: written whole to the `quarantine` table, listed and exported.

A row can break several rules; each broken rule is one quarantine entry (same file
and line), while the import summary counts the row once.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import Connection, func, insert, select

from db.schema import quarantine
from spreadsheet_safety import csv_writer


@dataclass(frozen=True)
class Violation:
    rule: str  # short English name, e.g. received_after_due
    message: str  # Vietnamese, naming the offending values


@dataclass(frozen=True)
class QuarantinedRow:
    line_no: int
    raw: dict[str, object]
    violations: tuple[Violation, ...]


def write_quarantine(
    conn: Connection, run_id: int, source_file: str, rows: Sequence[QuarantinedRow], now: datetime
) -> None:
    """One entry per broken rule, in one bulk insert."""
    entries = [
        {
            "import_run_id": run_id,
            "source_file": source_file,
            "line_no": row.line_no,
            "rule": v.rule,
            "message": v.message,
            "raw_row": json.dumps(row.raw, ensure_ascii=False),
            "created_at": now,
        }
        for row in rows
        for v in row.violations
    ]
    if entries:
        conn.execute(insert(quarantine), entries)


EXPORT_COLUMNS = ("id", "import_run_id", "source_file", "line_no", "rule", "message", "raw_row", "created_at")


def _query(run_id: int | None):  # noqa: ANN202 - a Select
    stmt = select(*(quarantine.c[c] for c in EXPORT_COLUMNS)).order_by(
        quarantine.c.import_run_id.desc(), quarantine.c.line_no, quarantine.c.id
    )
    if run_id is not None:
        stmt = stmt.where(quarantine.c.import_run_id == run_id)
    return stmt


def count_quarantine(conn: Connection, run_id: int | None = None) -> int:
    stmt = select(func.count()).select_from(quarantine)
    if run_id is not None:
        stmt = stmt.where(quarantine.c.import_run_id == run_id)
    return int(conn.execute(stmt).scalar_one())


def iter_quarantine(conn: Connection, run_id: int | None = None, limit: int | None = None) -> Iterator[dict]:
    """Entries, newest run first, then by line; streamed."""
    stmt = _query(run_id)
    if limit is not None:
        stmt = stmt.limit(limit)
    for row in conn.execute(stmt.execution_options(yield_per=2000)):
        yield dict(row._mapping)


def rule_counts(conn: Connection, run_id: int | None = None) -> list[tuple[str, int]]:
    """(rule, entries) most frequent first: aggregation in SQL."""
    n = func.count().label("n")
    stmt = select(quarantine.c.rule, n).group_by(quarantine.c.rule).order_by(n.desc(), quarantine.c.rule)
    if run_id is not None:
        stmt = stmt.where(quarantine.c.import_run_id == run_id)
    return [(r.rule, int(r.n)) for r in conn.execute(stmt)]


def export_csv(conn: Connection, out: Path, run_id: int | None = None) -> int:
    """Write the entries to a UTF-8 (with BOM, for Excel) CSV; returns the number written."""
    out.parent.mkdir(parents=True, exist_ok=True)
    written = 0
    with out.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv_writer(fh)
        writer.writerow(EXPORT_COLUMNS)
        for entry in iter_quarantine(conn, run_id):
            created = entry["created_at"]
            entry["created_at"] = created.isoformat(sep=" ", timespec="seconds") if created else ""
            writer.writerow([entry[c] for c in EXPORT_COLUMNS])
            written += 1
    return written
