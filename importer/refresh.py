"""`cli.py refresh`: take in dossiers written directly into the database by the processing
system (not through our importer), incrementally by `updated_at`.

Design. The aggregates are sums of per-dossier contributions; moving them needs the
facts as they were last added, which the `dossier_facts` shadow holds (written by the
importer and by this module in the same transaction as the aggregates). A run:

1. locks aggregate maintenance (`lock_aggregates`: one row update of refresh_state,
   taken first by the importer too, so the two never interleave) and, on a database
   upgraded with dossiers already stored, fills the new tables once (`ensure_bootstrapped`);
2. reads the dossiers with `updated_at >= watermark - lag` (index ix_dossiers_updated_at;
   the lag, default 10 minutes, covers transactions of the processing system that
   commit after a later `updated_at` was already seen) — with `full=True` every dossier;
3. re-derives what the importer would have derived: received_on / due_on / finished_on
   (local dates of the *_at timestamps) and the agency (agency_code valid on the
   reception date, else submission, else update date); rows where they differ are
   corrected; a code that matches no agency on that date keeps the stored agency_id and
   is reported (quarantine entry of a 'refresh' run, rule unknown_agency /
   agency_not_valid_on_date) — nothing is dropped;
4. compares each dossier's facts with its shadow: equal → nothing to do (the usual case
   for re-read rows, so running every minute costs one small indexed query); different
   or new → old facts subtracted, new added (`aggregates.apply_dossier_changes`);
   with `full=True` also shadows whose dossier was deleted are subtracted;
5. moves the watermark to the greatest `updated_at` seen (never past now, never back),
   and bumps data_state only when something changed: facts, derived columns, or any
   other column of a row written directly since the last run (updated_at past the
   watermark and after its imported_at — rows of our importer are stamped imported_at
   at or after updated_at and the importer bumps the version itself). An open dashboard,
   which polls the version, redraws within its polling interval and recomputes nothing
   otherwise.
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, bindparam, exists, insert, select, update

from clock import now_local
from db.registry import AgencyIndex
from db.schema import dossiers, import_runs
from db.schema_stats import dossier_facts, refresh_state
from dossier_stats import aggregates
from dossier_stats.index766.aggregates import STATE_ID, load_facts, lock_aggregates
from dossier_stats.index766.facts import DOSSIER_SOURCE_COLUMNS, Facts, facts_from_dossier, facts_from_shadow
from importer import deferred_indexes
from importer.quarantine import QuarantinedRow, Violation, write_quarantine
from importer.runs import bump_data_state
from vi_format import format_int

DEFAULT_LAG = timedelta(minutes=10)
DEFAULT_BATCH = 5000
SOURCE_LABEL = "dossiers (cập nhật trực tiếp)"
READ_COLUMNS = tuple(
    dict.fromkeys(
        (
            *DOSSIER_SOURCE_COLUMNS,
            "agency_code",
            "submitted_at",
            "received_at",
            "due_at",
            "finished_at",
            "updated_at",
            "imported_at",
        )
    )
)


# ---------------------------------------------------------------- lock and bootstrap


def ensure_bootstrapped(conn: Connection) -> bool:
    """Lock, then fill the 766 tables and the shadow from the stored dossiers if that was
    never done (a database upgraded with data). Returns True when it rebuilt."""
    lock_aggregates(conn)
    done = conn.execute(select(refresh_state.c.bootstrapped).where(refresh_state.c.id == STATE_ID)).scalar()
    if done:
        return False
    aggregates.rebuild(conn)  # marks the state bootstrapped
    return True


# ---------------------------------------------------------------- re-derivation


@dataclass(frozen=True)
class Derived:
    received_on: date | None
    due_on: date | None
    finished_on: date | None
    agency_id: int
    problem: Violation | None


def _day(value: datetime | None) -> date | None:
    return None if value is None else value.date()


def derive(row: dict[str, Any], index: AgencyIndex) -> Derived:
    """What the importer would have derived for this row (dates, agency)."""
    reference = row["received_at"] or row["submitted_at"] or row["updated_at"]
    code = row["agency_code"]
    agency_id = index.lookup(code, reference.date())
    problem = None
    if agency_id is None:
        rule = "agency_not_valid_on_date" if index.knows(code) else "unknown_agency"
        problem = Violation(
            rule, f"{index.explain(code, reference.date())} Giữ mã cơ quan nội bộ {row['agency_id']}."
        )
        agency_id = row["agency_id"]
    return Derived(
        received_on=_day(row["received_at"]),
        due_on=_day(row["due_at"]),
        finished_on=_day(row["finished_at"]),
        agency_id=agency_id,
        problem=problem,
    )


def _differs(row: dict[str, Any], d: Derived) -> bool:
    return (row["received_on"], row["due_on"], row["finished_on"], row["agency_id"]) != (
        d.received_on,
        d.due_on,
        d.finished_on,
        d.agency_id,
    )


def _json_row(row: dict[str, Any]) -> dict[str, object]:
    return {k: (v.isoformat() if isinstance(v, date | datetime) else v) for k, v in row.items()}


# ---------------------------------------------------------------- the run


@dataclass
class RefreshSummary:
    scanned: int = 0  # dossiers read (the window, or every dossier with full=True)
    inserted: int = 0  # dossiers aggregated for the first time
    updated: int = 0  # dossiers whose facts changed
    removed: int = 0  # shadows of deleted dossiers (full=True only)
    rederived: int = 0  # rows whose derived dates / agency were corrected
    newer: int = 0  # rows changed directly since the previous run (other columns may have changed)
    problems: int = 0
    bootstrapped: bool = False
    version: int | None = None  # data_state.version after a bump, None when not bumped
    watermark: datetime | None = None
    seconds: float = 0.0
    run_id: int | None = None
    rule_counts: dict[str, int] = field(default_factory=dict)
    indexes_rebuilt: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(
            self.inserted or self.updated or self.removed or self.rederived or self.newer or self.bootstrapped
        )

    def format_vi(self) -> str:
        rows = [
            ("Hồ sơ đã đọc", self.scanned),
            ("Mới đưa vào tổng hợp", self.inserted),
            ("Thay đổi số liệu", self.updated),
            ("Đã xóa khỏi tổng hợp (hồ sơ bị xóa)", self.removed),
            ("Sửa ngày/cơ quan suy ra", self.rederived),
            ("Lỗi cần xem (cách ly)", self.problems),
        ]
        width = max(len(label) for label, _ in rows)
        lines = ["Cập nhật số liệu từ bảng hồ sơ (refresh):"]
        lines += [f"  {label:<{width}}  {format_int(n):>10}" for label, n in rows]
        if self.bootstrapped:
            lines.append("  Đã tính lần đầu các bảng tổng hợp 766 và bảng đối chiếu từ toàn bộ hồ sơ.")
        if self.indexes_rebuilt:
            lines.append(
                f"  Đã dựng lại {len(self.indexes_rebuilt)} chỉ mục của bảng hồ sơ mà một lần nhập khối lớn "
                "bị dừng giữa chừng để lại."
            )
        mark = self.watermark.isoformat(sep=" ") if self.watermark else "chưa có"
        lines.append(f"  Mốc updated_at đã xử lý: {mark}")
        if self.version is not None:
            lines.append(f"  Phiên bản dữ liệu mới: {self.version}")
        else:
            lines.append("  Không có thay đổi: phiên bản dữ liệu giữ nguyên.")
        if self.run_id is not None and self.problems:
            lines.append(f"  Xem chi tiết: python cli.py quarantine --run {self.run_id}")
        lines.append(f"  Thời gian: {self.seconds:.3f} s".replace(".", ","))
        return "\n".join(lines)


def refresh(
    engine: Engine,
    *,
    lag: timedelta = DEFAULT_LAG,
    full: bool = False,
    batch_size: int = DEFAULT_BATCH,
    now: datetime | None = None,
) -> RefreshSummary:
    """One refresh run in one transaction (see the module docstring)."""
    started = time.perf_counter()
    now = now or now_local()
    summary = RefreshSummary()
    # what a bulk load killed half-way left dropped (importer.deferred_indexes)
    summary.indexes_rebuilt = deferred_indexes.restore_abandoned(engine)
    with engine.begin() as conn:
        summary.bootstrapped = ensure_bootstrapped(conn)
        if conn.dialect.name == "postgresql":
            # The window is read through a server-side cursor, which PostgreSQL plans for
            # the first 10 % of an estimated third of the table (a sequential scan) unless
            # told to plan for all rows: then it uses ix_dossiers_updated_at (~1 ms).
            conn.exec_driver_sql("SET LOCAL cursor_tuple_fraction = 1.0")
        previous = conn.execute(
            select(refresh_state.c.watermark).where(refresh_state.c.id == STATE_ID)
        ).scalar()
        index = AgencyIndex.load(conn)
        query = select(*(dossiers.c[c] for c in READ_COLUMNS))
        if not full and previous is not None:
            query = query.where(dossiers.c.updated_at >= previous - lag)
        seen_max: datetime | None = None
        bad: list[QuarantinedRow] = []
        buffer = aggregates.AggregateBuffer()
        result = conn.execute(query.execution_options(yield_per=batch_size))
        for partition in result.partitions():
            rows = [dict(r._mapping) for r in partition]
            summary.scanned += len(rows)
            for r in rows:
                at = r["updated_at"]
                # changed since the last run by someone else than our importer (which
                # stamps imported_at at or after updated_at, and bumps the version itself)
                if previous is not None and previous < at <= now and r["imported_at"] < at:
                    summary.newer += 1
                if at <= now and (seen_max is None or at > seen_max):
                    seen_max = at
            _apply_partition(conn, rows, index, summary, bad, buffer)
        if full:
            _remove_deleted(conn, summary, batch_size, buffer)
        buffer.flush(conn)
        if bad:
            summary.run_id = _record_problems(conn, bad, now, summary)
        watermark = max(filter(None, (previous, seen_max)), default=None)
        summary.watermark = watermark
        if summary.changed:
            summary.version = bump_data_state(conn, now_local())
        conn.execute(
            update(refresh_state)
            .where(refresh_state.c.id == STATE_ID)
            .values(
                watermark=watermark,
                last_run_at=now,
                last_changed=summary.inserted + summary.updated + summary.removed,
            )
        )
    summary.seconds = time.perf_counter() - started
    return summary


def _apply_partition(
    conn: Connection,
    rows: list[dict[str, Any]],
    index: AgencyIndex,
    summary: RefreshSummary,
    bad: list[QuarantinedRow],
    buffer: aggregates.AggregateBuffer,
) -> None:
    shadow = load_facts(conn, [r["dossier_code"] for r in rows])
    old: list[Facts] = []
    new: list[Facts] = []
    corrections: list[dict[str, Any]] = []
    for r in rows:
        d = derive(r, index)
        if _differs(r, d):
            corrections.append(
                {
                    "b_code": r["dossier_code"],
                    "b_received_on": d.received_on,
                    "b_due_on": d.due_on,
                    "b_finished_on": d.finished_on,
                    "b_agency_id": d.agency_id,
                }
            )
            r.update(
                received_on=d.received_on, due_on=d.due_on, finished_on=d.finished_on, agency_id=d.agency_id
            )
        facts = facts_from_dossier(r)
        before = shadow.get(r["dossier_code"])
        if before == facts:
            continue
        if d.problem is not None:
            bad.append(QuarantinedRow(0, _json_row(r), (d.problem,)))
            summary.rule_counts[d.problem.rule] = summary.rule_counts.get(d.problem.rule, 0) + 1
        if before is None:
            summary.inserted += 1
        else:
            summary.updated += 1
            old.append(before)
        new.append(facts)
    if corrections:
        conn.execute(
            update(dossiers)
            .where(dossiers.c.dossier_code == bindparam("b_code"))
            .values(
                received_on=bindparam("b_received_on"),
                due_on=bindparam("b_due_on"),
                finished_on=bindparam("b_finished_on"),
                agency_id=bindparam("b_agency_id"),
            ),
            corrections,
        )
        summary.rederived += len(corrections)
    if old or new:
        aggregates.apply_dossier_changes(conn, old, new, buffer=buffer)


def _remove_deleted(
    conn: Connection, summary: RefreshSummary, batch_size: int, buffer: aggregates.AggregateBuffer
) -> None:
    """Subtract the shadows whose dossier no longer exists (found only by a full run)."""
    orphan = ~exists().where(dossiers.c.dossier_code == dossier_facts.c.dossier_code)
    gone = [facts_from_shadow(r._mapping) for r in conn.execute(select(dossier_facts).where(orphan))]
    for start in range(0, len(gone), batch_size):
        chunk: Sequence[Facts] = gone[start : start + batch_size]
        aggregates.apply_dossier_changes(conn, chunk, [], buffer=buffer)
    summary.removed += len(gone)


def _record_problems(
    conn: Connection, bad: list[QuarantinedRow], now: datetime, summary: RefreshSummary
) -> int:
    run_id = conn.execute(
        insert(import_runs).values(
            kind="refresh",
            source_file=SOURCE_LABEL,
            started_at=now,
            finished_at=now_local(),
            rows_read=summary.scanned,
            inserted=summary.inserted,
            updated=summary.updated,
            unchanged=0,
            quarantined=len(bad),
            status="done",
            message=json.dumps(summary.rule_counts, ensure_ascii=False),
        )
    ).inserted_primary_key[0]
    write_quarantine(conn, int(run_id), SOURCE_LABEL, bad, now)
    summary.problems = len(bad)
    return int(run_id)
