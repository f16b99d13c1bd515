"""Reading and checking dossier records in a background thread, ahead of the writes.

The import is two kinds of work: Python work per record (CSV reading, the rules of
`DossierRowParser`) and database work (COPY, inserts, index maintenance), which runs in
the database server while this process waits on its socket. `ParseAhead` runs the
Python work in one thread that reads the files in order and hands parsed batches over a
bounded queue, so that both go on at the same time: while the main thread's transaction
for file k is busy in the server, the thread is already reading file k+1. Memory stays
bounded by the queue (`max_batches` batches of `batch_size` records).

`hold_repeats` (SQLite, whose writes apply every batch as it comes): a file says one
thing per dossier, so the rows of a code the file holds more than once (found by a first
pass over the file's codes, `CsvSource.repeated`) are held back, and only the one that
wins by the updated_at rule (the newest; of equals, the later) is handed over, at the
end of the file, with the number of the others (`ParsedBatch.repeats`). Memory: the
winning row of each repeated code. PostgreSQL does the same in its staging table
(importer.pg_staging.drop_repeats).
"""

from __future__ import annotations

import queue
import threading
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Protocol

from importer.csv_source import CsvSource, raw_row
from importer.dossier_rows import DossierRowParser
from importer.quarantine import QuarantinedRow

Accepted = list[tuple[int, dict[str, Any]]]  # (line number, row of the dossiers table)
ParserFactory = Callable[[CsvSource], DossierRowParser]
PUT_TIMEOUT = 0.2  # seconds; how often a blocked producer looks whether the reader gave up
PAUSE_EVERY = 256  # records between two looks whether the reader holds the thread


@dataclass
class ParsedBatch:
    """Up to batch_size consecutive records of one file, checked."""

    records: int
    accepted: Accepted
    rejected: list[QuarantinedRow]
    rule_counts: Counter[str] = field(default_factory=Counter)
    # From importer.parse_process: `accepted` as a binary COPY stream, and `accepted` empty.
    payload: bytes | None = None
    repeats: int = 0  # rows of repeated codes that lost to another row of the file (hold_repeats)


@dataclass
class FileEnd:
    pass


@dataclass
class Failed:
    error: BaseException


class ParseAhead:
    """Parses `sources` in order in a daemon thread; read each file with `batches(i)` in turn."""

    def __init__(
        self,
        sources: Sequence[CsvSource],
        make_parser: ParserFactory,
        batch_size: int,
        *,
        max_batches: int = 16,
        hold_repeats: bool = False,
    ) -> None:
        self._sources = sources
        self._make_parser = make_parser
        self._batch_size = batch_size
        self._hold_repeats = hold_repeats
        self._queue: queue.Queue[ParsedBatch | FileEnd | Failed] = queue.Queue(max_batches)
        self._stop = threading.Event()
        self._may_parse = threading.Event()
        self._may_parse.set()
        self._next_file = 0
        self._thread = threading.Thread(target=self._run, name="bando-parse-ahead", daemon=True)
        self._thread.start()

    def batches(self, index: int) -> Iterator[ParsedBatch]:
        """The parsed batches of source `index` (files must be read in order, each once).

        Re-raises in the caller what the thread raised (FileRejected of a file malformed
        half-way, or any error)."""
        if index != self._next_file:
            raise ValueError(f"files are read in order: expected {self._next_file}, got {index}")
        self._next_file += 1
        while True:
            item = self._queue.get()
            if isinstance(item, Failed):
                raise item.error
            if isinstance(item, FileEnd):
                return
            yield item

    @contextmanager
    def paused(self) -> Iterator[None]:
        """Hold the thread (at its next PAUSE_EVERY records) while the caller runs Python
        work of its own, e.g. formatting a COPY: with the interpreter lock to itself that
        work takes a third of the time, and the database gets its rows sooner."""
        self._may_parse.clear()
        try:
            yield
        finally:
            self._may_parse.set()

    def close(self) -> None:
        """Stop the thread (also when the reader gave up half-way)."""
        self._stop.set()
        self._may_parse.set()
        self._thread.join()

    def __enter__(self) -> ParseAhead:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- the thread

    def _run(self) -> None:
        items = parsed_items(
            self._sources, self._make_parser, self._batch_size, self._may_parse.wait, self._hold_repeats
        )
        try:
            for item in items:
                if not put_unless_stopped(self._queue, item, self._stop):
                    return
        except BaseException as exc:  # handed to the reader, which re-raises it
            put_unless_stopped(self._queue, Failed(exc), self._stop)


class _Stop(Protocol):
    def is_set(self) -> bool: ...


def put_unless_stopped(out: Any, item: ParsedBatch | FileEnd | Failed, stop: _Stop) -> bool:
    """Put `item` on the bounded queue `out` (threads' or processes'), waiting for room,
    unless `stop` is set meanwhile (the reader gave up); True when it was put."""
    while not stop.is_set():
        try:
            out.put(item, timeout=PUT_TIMEOUT)
            return True
        except queue.Full:
            continue
    return False


def parsed_items(
    sources: Sequence[CsvSource],
    make_parser: ParserFactory,
    batch_size: int,
    checkpoint: Callable[[], object] = lambda: None,
    hold_repeats: bool = False,
) -> Iterator[ParsedBatch | FileEnd]:
    """Every file's parsed batches in order, each file followed by a FileEnd."""
    for source in sources:
        parser = make_parser(source)
        records = source.records()
        held = _Held(source.repeated("dossier_code") if hold_repeats else frozenset())
        while (batch := _parse_batch(source, parser, records, batch_size, checkpoint)) is not None:
            held.take(batch)
            yield batch
        if held.winners:
            yield held.batch()
        yield FileEnd()


class _Held:
    """The rows of a file's repeated codes, held back: the winner of each so far."""

    def __init__(self, codes: frozenset[str]) -> None:
        self.codes = codes
        self.winners: dict[str, tuple[int, dict[str, Any]]] = {}
        self.rows = 0

    def take(self, batch: ParsedBatch) -> None:
        """Move the rows of repeated codes out of `batch`, keeping the newest of each (of
        equals, the later: rows come in file order)."""
        if not self.codes:
            return
        kept: Accepted = []
        for line_no, row in batch.accepted:
            code = row["dossier_code"]
            if code not in self.codes:
                kept.append((line_no, row))
                continue
            self.rows += 1
            best = self.winners.get(code)
            if best is None or row["updated_at"] >= best[1]["updated_at"]:
                self.winners[code] = (line_no, row)
        batch.accepted = kept

    def batch(self) -> ParsedBatch:
        """The winners, in file order, as a batch of no records read (they were counted)."""
        winners = sorted(self.winners.values(), key=lambda pair: pair[0])
        return ParsedBatch(0, winners, [], repeats=self.rows - len(winners))


def _parse_batch(
    source: CsvSource,
    parser: DossierRowParser,
    records: Iterator[tuple[int, list[str]]],
    size: int,
    checkpoint: Callable[[], object] = lambda: None,
) -> ParsedBatch | None:
    """The next `size` records parsed (None at the end); `checkpoint()` is called first
    and every PAUSE_EVERY records (it blocks while the reader holds the thread)."""
    checkpoint()
    accepted: Accepted = []
    rejected: list[QuarantinedRow] = []
    rule_counts: Counter[str] = Counter()
    count = 0
    parse = parser.parse
    for line_no, fields in records:
        count += 1
        if count % PAUSE_EVERY == 0:
            checkpoint()
        row, violations = parse(fields)
        if row is None:
            rejected.append(QuarantinedRow(line_no, raw_row(source.header, fields), tuple(violations)))
            rule_counts.update({v.rule for v in violations})
        else:
            accepted.append((line_no, row))
        if count == size:
            break
    if count == 0:
        return None
    return ParsedBatch(count, accepted, rejected, rule_counts)
