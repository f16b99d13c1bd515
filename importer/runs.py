"""Bookkeeping of imports: one `import_runs` row per file, and the `data_state` version."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, insert, select, update

from clock import now_local
from db.schema import data_state, import_runs
from importer.csv_source import FileRejected

DATA_STATE_ID = 1


def start_run(engine: Engine, kind: str, source_file: str, started_at: datetime) -> int:
    """Insert a 'running' row in its own transaction (so a failed import still leaves a trace)."""
    with engine.begin() as conn:
        result = conn.execute(
            insert(import_runs).values(
                kind=kind,
                source_file=source_file,
                started_at=started_at,
                rows_read=0,
                inserted=0,
                updated=0,
                unchanged=0,
                quarantined=0,
                status="running",
            )
        )
        return int(result.inserted_primary_key[0])


def finish_run(
    conn: Connection,
    run_id: int,
    *,
    status: str,
    finished_at: datetime,
    rows_read: int = 0,
    inserted: int = 0,
    updated: int = 0,
    unchanged: int = 0,
    quarantined: int = 0,
    message: str | None = None,
) -> None:
    conn.execute(
        update(import_runs)
        .where(import_runs.c.id == run_id)
        .values(
            status=status,
            finished_at=finished_at,
            rows_read=rows_read,
            inserted=inserted,
            updated=updated,
            unchanged=unchanged,
            quarantined=quarantined,
            message=message,
        )
    )


def record_rejection(engine: Engine, kind: str, source_file: str, message: str, at: datetime) -> int:
    """A file refused as a whole: one 'rejected' run with the reason."""
    run_id = start_run(engine, kind, source_file, at)
    with engine.begin() as conn:
        finish_run(conn, run_id, status="rejected", finished_at=at, message=message)
    return run_id


def bump_data_state(conn: Connection, at: datetime) -> int:
    """version + 1 and updated_at = at (creating the single row if needed); returns the new version."""
    current = conn.execute(select(data_state.c.version).where(data_state.c.id == DATA_STATE_ID)).scalar()
    if current is None:
        conn.execute(insert(data_state).values(id=DATA_STATE_ID, version=1, updated_at=at))
        return 1
    conn.execute(
        update(data_state)
        .where(data_state.c.id == DATA_STATE_ID)
        .values(version=data_state.c.version + 1, updated_at=at)
    )
    return int(current) + 1


def data_version(conn: Connection) -> int:
    version = conn.execute(select(data_state.c.version).where(data_state.c.id == DATA_STATE_ID)).scalar()
    return int(version or 0)


def run_recorded(engine: Engine, run_id: int, summary: Any, body: Callable[[Connection], None]) -> None:
    """Run `body` in one transaction and record the run's outcome in import_runs: its
    counts (from `summary`) when it succeeds, "rejected"/"failed" with the message when it
    raises (the exception goes on). A run with quarantined rows is listed in the summary."""
    try:
        with engine.begin() as conn:
            body(conn)
            finish_run(
                conn,
                run_id,
                status="done",
                finished_at=now_local(),
                rows_read=summary.rows_read,
                inserted=summary.inserted,
                updated=summary.updated,
                unchanged=summary.unchanged,
                quarantined=summary.quarantined,
                message="; ".join(summary.warnings) or None,
            )
    except Exception as exc:
        status = "rejected" if isinstance(exc, FileRejected) else "failed"
        with engine.begin() as conn:
            finish_run(conn, run_id, status=status, finished_at=now_local(), message=str(exc)[:2000])
        raise
    if summary.quarantined:
        summary.quarantine_runs.append(run_id)
