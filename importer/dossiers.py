"""Import of dossiers.csv files: validate, quarantine, upsert, keep the aggregates in step.

Per file: the whole file is checked first (encoding, header; `FileRejected` before
anything is written). Then the records are read as a stream, checked
(importer.dossier_rows) and handed over in batches of `batch_size`, ahead of the writes
(the next file is read while this one is written): by a background thread
(importer.parse_ahead), or for a big load on PostgreSQL by a child process that also
formats each batch as a binary COPY stream (importer.parse_process). A file is one
transaction: readers see all of it or none of it, and a file that turns out to be
malformed half-way is rolled back whole. `data_state` is bumped in that transaction when
anything changed.

Writing, per batch: one bulk insert into the quarantine, then
- PostgreSQL: one binary COPY into a staging table; at the end of the file, of a code the
  file holds more than once only the row that wins by the updated_at rule stays (the
  others are counted as repeats), the new codes go into `dossiers` and the
  `dossier_facts` shadow in a few set-based statements (importer.pg_staging) and their
  aggregate contributions are summed by grouped SQL (dossier_stats.sql_contributions);
  only the rows of stored codes take the row-by-row path below.
- SQLite: the row-by-row path for every batch: one `IN` query for the stored versions,
  one bulk insert and one bulk update, one read and one rewrite of the shadow. The rows
  of a code the file holds more than once are held back by the parse thread, which
  hands over the winner of each at the end of the file (importer.parse_ahead).
The aggregate deltas (old facts subtracted, new added) are summed in memory and
written once per file, one bulk upsert per aggregate table.

A load that brings at least as many records as the table holds (and 200,000 or more)
drops the secondary indexes of `dossiers` first and rebuilds them at its end
(importer.deferred_indexes).

Which version wins: a record replaces the stored dossier when its `updated_at` is newer
or equal AND its content differs (updated); same content = unchanged; older
`updated_at` = stale (not applied, counted and reported). A missing `updated_at` is the
import time. Within one file the same rule picks the code's one record (the newest; of
equals, the later), so a file that repeats a code reports "unchanged" for it on its
next import, not "updated" on every one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, ExitStack
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, func, select

from clock import now_local
from db.registry import AgencyIndex
from db.schema import agencies, dossiers
from dossier_stats.aggregates import AggregateBuffer, apply_dossier_changes
from dossier_stats.index766.aggregates import load_facts, write_facts
from dossier_stats.index766.facts import facts_from_dossier
from dossier_stats.sql_contributions import add_contributions
from importer import deferred_indexes
from importer.bulk import stored_versions, write_dossiers
from importer.csv_source import CsvSource, FileRejected, open_source
from importer.dossier_rows import CONTENT_COLUMNS, OPTIONAL_COLUMNS, REQUIRED_COLUMNS
from importer.parse_ahead import Accepted, ParseAhead, ParsedBatch
from importer.parse_process import ParseInProcess, ParserSpec, connect_kwargs
from importer.pg_staging import (
    create_staging,
    drop_repeats,
    insert_new,
    inserted_facts,
    slow_rows,
    stage,
)
from importer.quarantine import write_quarantine
from importer.refresh import ensure_bootstrapped
from importer.runs import bump_data_state, mark_interrupted, record_rejection, run_recorded
from importer.summary import ImportSummary

Progress = Callable[[int], None]
MAX_STALE_EXAMPLES = 5
# Parsed batches the parse thread or process may hold ahead of the writes. PostgreSQL:
# more than a file of the demo's 100,000 records at the default batch size, so that it
# reads the next file while the server inserts this one (peak RSS of the importing process
# 387 MiB at 10 million dossiers with the thread's rows, 107 MiB with the process's COPY
# bytes). SQLite, where the writes are the slower part, gains nothing from more than a few.
PARSED_AHEAD = {"postgresql": 32, "sqlite": 4}
PROCESS_MIN_RECORDS = 100_000  # estimated from the files' size (deferred_indexes.estimated_records)


class PrerequisiteMissing(Exception):
    """The database lacks what an import needs (units, agencies); the message says what to run."""


def import_dossiers(
    engine: Engine,
    paths: Sequence[Path],
    progress: Progress | None = None,
    batch_size: int = 5000,
    *,
    now: datetime | None = None,
    today: date | None = None,
    defer_indexes: bool | None = None,
    parse_in_process: bool | None = None,
) -> ImportSummary:
    """Import dossiers.csv files; returns the summary of all files.

    `progress(n)` is called after each batch with the number of records just read.
    `defer_indexes`: drop the secondary indexes of `dossiers` for the load and rebuild
    them after (importer.deferred_indexes); None = when the files are big against the
    table (`deferred_indexes.should_defer`). `parse_in_process` (PostgreSQL): read and
    check the records in a child process (importer.parse_process) rather than a thread;
    None = for PROCESS_MIN_RECORDS records or more (starting it takes 0.4 s).
    With a process, the caller's main module must be safe to import (`if __name__ ==
    "__main__":`), as for any `spawn`ed child.
    Raises FileRejected (nothing of that file written; earlier files stay imported when
    the problem only shows while streaming) or PrerequisiteMissing.
    """
    now = now or now_local()
    today = today or now.date()
    sources = [_open_or_record(engine, Path(p), now) for p in paths]
    with engine.connect() as conn:
        index = AgencyIndex.load(conn)
    if len(index) == 0:
        raise PrerequisiteMissing(
            "Danh mục cơ quan (agencies) trống: hãy chạy `python cli.py setup` hoặc "
            "`python cli.py import-agencies TỆP` trước khi nhập hồ sơ."
        )
    staged = engine.dialect.name == "postgresql"
    interrupted = mark_interrupted(engine)  # runs a killed import left "running"
    deferred_indexes.restore_abandoned(engine)  # what a load killed half-way left dropped
    incoming = deferred_indexes.estimated_records(sum(s.path.stat().st_size for s in sources))
    if defer_indexes is None:
        defer_indexes = _big_load(engine, incoming)
    if parse_in_process is None:
        parse_in_process = incoming >= PROCESS_MIN_RECORDS
    total = ImportSummary(kind="dossiers", interrupted=interrupted)
    with ExitStack() as stack:
        if defer_indexes:
            total.deferral = stack.enter_context(deferred_indexes.deferred(engine, now))
        spec = ParserSpec(index, now, today)
        ahead = stack.enter_context(_reader(engine, sources, spec, batch_size, parse_in_process))
        for i, source in enumerate(sources):
            file = _FileImport(engine, source, now, batch_size, staged)
            total.add(file.run(ahead.batches(i), ahead.paused, progress))
    return total


def _reader(
    engine: Engine, sources: Sequence[CsvSource], spec: ParserSpec, batch_size: int, in_process: bool
) -> ParseAhead | ParseInProcess:
    """What reads and checks the records ahead of the writes: a child process (PostgreSQL)
    or a thread. PostgreSQL resolves a file's repeated codes in its staging table; for
    SQLite the thread holds their rows back (importer.parse_ahead)."""
    ahead = PARSED_AHEAD.get(engine.dialect.name, 4)
    if engine.dialect.name != "postgresql":
        return ParseAhead(sources, spec.parser, batch_size, max_batches=ahead, hold_repeats=True)
    if in_process:
        return ParseInProcess(sources, spec, batch_size, connect_kwargs(engine), max_batches=ahead)
    return ParseAhead(sources, spec.parser, batch_size, max_batches=ahead)


def _big_load(engine: Engine, incoming: int) -> bool:
    if incoming < deferred_indexes.MIN_RECORDS:
        return False
    with engine.connect() as conn:
        # counted one past `incoming`: a table holding more than the load must say so (counted
        # only up to `incoming`, 10,000,000 stored looked like 200,000 and every big-enough
        # import dropped the indexes of a table 50 times its size)
        stored = deferred_indexes.stored_rows_up_to(conn, incoming + 1)
        return deferred_indexes.should_defer(incoming, stored)


def _open_or_record(engine: Engine, path: Path, now: datetime) -> CsvSource:
    try:
        return open_source(path, REQUIRED_COLUMNS, OPTIONAL_COLUMNS)
    except FileRejected as exc:
        record_rejection(engine, "dossiers", str(path), str(exc), now)
        raise


class _FileImport:
    """One file in one transaction: quarantine, then the accepted rows, then the aggregates.

    `staged` (PostgreSQL): the accepted rows go through importer.pg_staging (new codes
    set-based, the rest row by row); otherwise every batch is applied row by row."""

    def __init__(
        self, engine: Engine, source: CsvSource, now: datetime, batch_size: int, staged: bool
    ) -> None:
        self.engine = engine
        self.source = source
        self.now = now
        self.batch_size = batch_size
        self.staged = staged
        self.summary = ImportSummary(
            kind="dossiers", files=[source.path.name], warnings=list(source.warnings)
        )

    def run(
        self,
        batches: Iterator[ParsedBatch],
        pause: Callable[[], AbstractContextManager[None]],
        progress: Progress | None,
    ) -> ImportSummary:
        """`pause()` holds the parse thread while this one formats a COPY."""

        def body(conn: Connection, run_id: int) -> None:
            ensure_bootstrapped(conn)
            buffer = AggregateBuffer()
            if self.staged:
                create_staging(conn)
            for batch in batches:
                self._record(conn, run_id, batch)
                if self.staged:
                    with pause():
                        stage(conn, batch)
                else:
                    self._apply(conn, batch.accepted, buffer)
                if progress is not None:
                    progress(batch.records)
            if self.staged:
                self._write_staged(conn, buffer)
            buffer.flush(conn)
            if self.summary.changed:
                bump_data_state(conn, now_local())

        run_recorded(self.engine, "dossiers", str(self.source.path), self.now, self.summary, body)
        return self.summary

    def _record(self, conn: Connection, run_id: int, batch: ParsedBatch) -> None:
        summary = self.summary
        summary.rows_read += batch.records
        summary.quarantined += len(batch.rejected)
        summary.repeats += batch.repeats
        summary.rule_counts.update(batch.rule_counts)
        write_quarantine(conn, run_id, str(self.source.path), batch.rejected, self.now)

    def _write_staged(self, conn: Connection, buffer: AggregateBuffer) -> None:
        """The staged rows of the file, one per code: new codes set-based, their aggregate
        contributions summed by grouped SQL (dossier_stats.sql_contributions); stored codes
        row by row, in file order."""
        self.summary.repeats += drop_repeats(conn)
        inserted = insert_new(conn)
        self.summary.inserted += inserted.count
        if inserted.count:
            add_contributions(conn, inserted_facts(), buffer)
        if inserted.orphan_codes:
            buffer.add(list(load_facts(conn, inserted.orphan_codes).values()), ())
            write_facts(conn, [], inserted.orphan_codes)  # the new rows' facts replace them
        for rows in slow_rows(conn, self.batch_size):
            self._apply(conn, rows, buffer)

    def _apply(self, conn: Connection, accepted: Accepted, buffer: AggregateBuffer) -> None:
        """Row by row: the updated_at rule against the stored versions and earlier rows."""
        if not accepted:
            return
        summary = self.summary
        stored = stored_versions(conn, {row["dossier_code"] for _, row in accepted}, CONTENT_COLUMNS)
        final: dict[str, dict[str, Any]] = {}
        for line_no, row in accepted:
            code = row["dossier_code"]
            base = final.get(code) or stored.get(code)
            if base is None:
                summary.inserted += 1
            elif row["updated_at"] < base["updated_at"]:
                summary.stale += 1
                if len(summary.stale_examples) < MAX_STALE_EXAMPLES:
                    summary.stale_examples.append(f"{self.source.path.name}:{line_no} {code}")
                continue
            elif _same_content(row, base):
                summary.unchanged += 1
                continue
            else:
                summary.updated += 1
            final[code] = row
        if not final:
            return
        write_dossiers(
            conn,
            new=[r for c, r in final.items() if c not in stored],
            changed=[r for c, r in final.items() if c in stored],
        )
        # Old facts from the shadow, not from `stored`: a row changed directly by the processing
        # system and not yet refreshed was never aggregated in its stored form; a dossier
        # deleted directly and not yet refreshed still counts with its shadow facts.
        shadow = load_facts(conn, list(final))
        new_facts = [facts_from_dossier(r) for r in final.values()]
        apply_dossier_changes(conn, list(shadow.values()), new_facts, buffer=buffer)


def _same_content(a: dict[str, Any], b: dict[str, Any]) -> bool:
    return all(a[c] == b[c] for c in CONTENT_COLUMNS)


def dossier_count(conn: Connection) -> int:
    return int(conn.execute(select(func.count()).select_from(dossiers)).scalar_one())


def agency_count(conn: Connection) -> int:
    return int(conn.execute(select(func.count()).select_from(agencies)).scalar_one())
