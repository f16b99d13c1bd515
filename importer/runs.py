"""Bookkeeping of imports: one `import_runs` row per file, and the `data_state` version.

A run is "running" from the start of its file to the end (`running`); an import that is
killed (power cut, `kill -9`, out of memory) cannot say so, so the next import or
`refresh` marks what it left "interrupted" (`mark_interrupted`). A run whose process is
still at work — another import beside this one — is left alone:
- PostgreSQL: the run holds a session-level advisory lock keyed by its id, taken in the
  transaction that inserts the row (so the row is never visible unlocked) and released
  when the run ends or its connection dies with the process, on whichever host. A sweep
  that can take the lock knows the run is dead. Exact, no clock, no polling.
- SQLite (one machine): `import_runs.owner` holds "host:pid" while the run goes; the sweep
  asks the operating system whether that process still exists. A run of another host is
  left alone (a SQLite file is not shared between machines).
"""

from __future__ import annotations

import os
import socket
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, insert, select, text, update

from clock import now_local
from db.schema import data_state, import_runs
from importer.csv_source import FileRejected
from vi_format import format_datetime, format_int

DATA_STATE_ID = 1
RUN_LOCK_SPACE = 0x62616E64  # first key of a run's pg_advisory_lock(int, int) ("band")
STATUS_LABELS = {
    "running": "đang chạy",
    "done": "hoàn tất",
    "rejected": "bị từ chối",
    "failed": "lỗi",
    "interrupted": "bị gián đoạn",
}
_LOCK = text("SELECT pg_advisory_lock(:space, :id)")
_TRY_LOCK = text("SELECT pg_try_advisory_lock(:space, :id)")
_UNLOCK = text("SELECT pg_advisory_unlock(:space, :id)")


def _new_run(kind: str, source_file: str, started_at: datetime, status: str, owner: str | None) -> Any:
    return insert(import_runs).values(
        kind=kind,
        source_file=source_file,
        started_at=started_at,
        rows_read=0,
        inserted=0,
        updated=0,
        unchanged=0,
        quarantined=0,
        status=status,
        owner=owner,
    )


def _this_process() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


@contextmanager
def running(engine: Engine, kind: str, source_file: str, started_at: datetime) -> Iterator[int]:
    """A "running" run for the block (its id), inserted in its own transaction so that a
    failed import still leaves a trace, and held as alive until the block ends (see the
    module docstring). The block records the outcome with `finish_run`."""
    new_run = _new_run(kind, source_file, started_at, "running", _this_process())
    if engine.dialect.name != "postgresql":
        with engine.begin() as conn:
            run_id = int(conn.execute(new_run).inserted_primary_key[0])
        yield run_id
        return
    with engine.connect() as session:  # held for the run: the lock lives as long as it
        run_id = int(session.execute(new_run).inserted_primary_key[0])
        session.execute(_LOCK, _key(run_id))
        session.commit()
        try:
            yield run_id
        finally:
            session.execute(_UNLOCK, _key(run_id))
            session.commit()


@dataclass(frozen=True)
class InterruptedRun:
    id: int
    kind: str
    source_file: str
    started_at: datetime

    def describe_vi(self) -> str:
        name = Path(self.source_file).name
        return f"lần nhập {self.id} ({self.kind}, {name}, bắt đầu {format_datetime(self.started_at)})"


def interrupted_lines(runs: list[InterruptedRun]) -> list[str]:
    """The summary lines that report runs found interrupted (none when there are none)."""
    if not runs:
        return []
    label = STATUS_LABELS["interrupted"]
    return [f"Lần nhập trước {label} (tiến trình đã dừng giữa chừng), đã đánh dấu:"] + [
        f"  - {run.describe_vi()}" for run in runs
    ]


def mark_interrupted(engine: Engine, at: datetime | None = None) -> list[InterruptedRun]:
    """Mark "interrupted" the runs left "running" by a process that is gone; returns them."""
    at = at or now_local()
    c = import_runs.c
    with engine.connect() as session:
        stuck = session.execute(
            select(c.id, c.kind, c.source_file, c.started_at, c.owner).where(c.status == "running")
        ).all()
        session.commit()
        if engine.dialect.name == "postgresql":
            dead = [r for r in stuck if session.execute(_TRY_LOCK, _key(r.id)).scalar()]
        else:
            dead = [r for r in stuck if not _process_alive(r.owner)]
        for r in dead:
            session.execute(
                update(import_runs)
                .where(c.id == r.id, c.status == "running")
                .values(
                    status="interrupted",
                    finished_at=at,
                    owner=None,
                    message=f"Tiến trình nhập ({r.owner or 'không rõ'}) đã dừng trước khi xong; "
                    "không có gì của lần nhập này được ghi.",
                )
            )
        session.commit()
        if engine.dialect.name == "postgresql":
            for r in dead:
                session.execute(_UNLOCK, _key(r.id))
            session.commit()
    return [InterruptedRun(r.id, r.kind, r.source_file, r.started_at) for r in dead]


def describe_runs(conn: Connection, limit: int) -> list[str]:
    """The latest `limit` runs, newest first, one line each (for `cli.py runs`)."""
    c = import_runs.c
    rows = conn.execute(select(import_runs).order_by(c.id.desc()).limit(limit)).all()
    if not rows:
        return ["Chưa có lần nhập nào."]
    lines = []
    for r in rows:
        status = STATUS_LABELS.get(r.status, r.status)
        counts = (
            f"đọc {format_int(r.rows_read)}, thêm {format_int(r.inserted)}, "
            f"cập nhật {format_int(r.updated)}, không đổi {format_int(r.unchanged)}, "
            f"cách ly {format_int(r.quarantined)}"
        )
        line = f"[lần {r.id}] {format_datetime(r.started_at)}  {r.kind}  {Path(r.source_file).name}  {status}"
        lines.append(f"{line}  ({counts})" + (f"\n      {r.message}" if r.message else ""))
    return lines


def _key(run_id: int) -> dict[str, int]:
    return {"space": RUN_LOCK_SPACE, "id": run_id}


def _process_alive(owner: str | None) -> bool:
    """Whether the process "host:pid" may still run: unknown owner = gone (a row from
    before owners were recorded); another host = may run (cannot be asked)."""
    if not owner or ":" not in owner:
        return False
    host, _, pid = owner.rpartition(":")
    if host != socket.gethostname():
        return True
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except (PermissionError, ValueError):
        return True
    return True


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
            owner=None,
        )
    )


def record_rejection(engine: Engine, kind: str, source_file: str, message: str, at: datetime) -> int:
    """A file refused as a whole: one 'rejected' run with the reason."""
    with engine.begin() as conn:
        run_id = int(conn.execute(_new_run(kind, source_file, at, "rejected", None)).inserted_primary_key[0])
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


def run_recorded(
    engine: Engine,
    kind: str,
    source_file: str,
    started_at: datetime,
    summary: Any,
    body: Callable[[Connection, int], None],
) -> int:
    """Run `body(conn, run_id)` in one transaction under a live run (`running`) and record
    its outcome in import_runs: its counts and `summary.run_message()` when it succeeds,
    "rejected"/"failed" with the message when it raises (the exception goes on). Returns
    the run id; a run with quarantined rows is listed in the summary."""
    with running(engine, kind, source_file, started_at) as run_id:
        summary.run_ids.append(run_id)
        try:
            with engine.begin() as conn:
                body(conn, run_id)
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
                    message=summary.run_message(),
                )
        except Exception as exc:
            rejected = isinstance(exc, FileRejected)
            message = str(exc) if rejected else repr(exc)[:2000]
            with engine.begin() as conn:
                finish_run(
                    conn, run_id, status="rejected" if rejected else "failed", finished_at=now_local(),
                    message=message,
                )  # fmt: skip
            raise
    if summary.quarantined:
        summary.quarantine_runs.append(run_id)
    return run_id
