"""Reading, checking and COPY-formatting dossier records in a separate process (PostgreSQL).

`ParseAhead` (importer.parse_ahead) reads ahead in a thread of the importing process;
the two threads then share one interpreter lock. At PostgreSQL speeds that costs the
importer's own thread: every time it comes back from the server (a dozen statements per
file) it waits for the parse thread to hand over the lock (up to its 5 ms switch
interval), and it formats the staging COPY itself (1.8 µs per record). `ParseInProcess`
has the same interface but does the Python work in a child process, which also formats
each batch's accepted rows as a binary COPY stream (importer.bulk.numbered_payload): the
importing process only sends bytes and runs statements, so the server's work, the
longest part, is all that is left on its path.

Same guarantees as the thread: files in order, every record once with its line number,
the thread's exceptions (FileRejected of a file malformed half-way…) raised in the
reader, memory bounded by `max_batches` batches (as COPY bytes: 368 B per demo record), a
reader that gives up stops the child. The child is started with `spawn` (a fresh
interpreter: safe whatever threads the parent runs), which takes 0.4 s (measured: start to
the first batch of a one-record file); the importer uses it for big loads only.
"""

from __future__ import annotations

import multiprocessing as mp
import pickle
import queue
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import psycopg
from sqlalchemy import Engine

from db.registry import AgencyIndex
from importer.bulk import numbered_payload
from importer.csv_source import CsvSource
from importer.dossier_rows import DossierRowParser
from importer.parse_ahead import Failed, FileEnd, ParsedBatch, parsed_items, put_unless_stopped

_POLL = 0.2  # seconds; how often a blocked side looks whether the other gave up


@dataclass(frozen=True)
class ParserSpec:
    """What it takes to build each file's DossierRowParser (picklable, for the child)."""

    agencies: AgencyIndex
    now: datetime
    today: date

    def parser(self, source: CsvSource) -> DossierRowParser:
        return DossierRowParser(source.header, self.agencies, self.now, self.today)


def connect_kwargs(engine: Engine) -> dict[str, Any]:
    """psycopg.connect arguments of `engine`'s database (plain values only: they are
    pickled for the child)."""
    _, params = engine.dialect.create_connect_args(engine.url)
    return {k: v for k, v in params.items() if isinstance(v, str | int | float)}


class ParseInProcess:
    """Parses `sources` in order in a child process; read each file with `batches(i)`.

    Batches carry `payload` (the accepted rows as a binary COPY stream) and no `accepted`
    rows. `connect_kwargs`: psycopg.connect arguments of the target database (its type
    adapters format the COPY; nothing is sent)."""

    def __init__(
        self,
        sources: Sequence[CsvSource],
        spec: ParserSpec,
        batch_size: int,
        connect_kwargs: dict[str, Any],
        *,
        max_batches: int = 32,
    ) -> None:
        ctx = mp.get_context("spawn")
        self._queue: Any = ctx.Queue(max_batches)
        self._stop = ctx.Event()
        self._next_file = 0
        self._process = ctx.Process(
            target=_work,
            args=(list(sources), spec, batch_size, connect_kwargs, self._queue, self._stop),
            name="bando-parse",
            daemon=True,
        )
        self._process.start()

    def batches(self, index: int) -> Iterator[ParsedBatch]:
        """The parsed batches of source `index` (in order, each once); re-raises what the
        child raised."""
        if index != self._next_file:
            raise ValueError(f"files are read in order: expected {self._next_file}, got {index}")
        self._next_file += 1
        while True:
            item = self._get()
            if isinstance(item, Failed):
                raise item.error
            if isinstance(item, FileEnd):
                return
            yield item

    def paused(self) -> AbstractContextManager[None]:
        """Nothing to hold: the child does not share this process's interpreter lock."""
        return nullcontext()

    def close(self) -> None:
        """Stop the child (also when the reader gave up half-way)."""
        self._stop.set()
        self._process.join(timeout=_POLL)
        while self._process.is_alive():
            self._drain()  # a child blocked on a full queue sees the stop once it can put
            self._process.join(timeout=_POLL)
        self._queue.close()

    def __enter__(self) -> ParseInProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _get(self) -> ParsedBatch | FileEnd | Failed:
        while True:
            try:
                return self._queue.get(timeout=_POLL)
            except queue.Empty:
                if not self._process.is_alive():
                    raise RuntimeError(
                        f"the parse process ended unexpectedly (exit code {self._process.exitcode})"
                    ) from None

    def _drain(self) -> None:
        try:
            while True:
                self._queue.get_nowait()
        except queue.Empty:
            pass


# -- the child


def _work(
    sources: list[CsvSource],
    spec: ParserSpec,
    batch_size: int,
    connect_kwargs: dict[str, Any],
    out: Any,
    stop: Any,
) -> None:
    try:
        with psycopg.connect(**connect_kwargs) as conn, conn.cursor() as cursor:
            for item in parsed_items(sources, spec.parser, batch_size):
                if isinstance(item, ParsedBatch):
                    item.payload = numbered_payload(cursor, item.accepted)
                    item.accepted = []
                if not put_unless_stopped(out, item, stop):
                    return
    except BaseException as exc:  # handed to the reader, which re-raises it
        put_unless_stopped(out, Failed(_picklable(exc)), stop)
    finally:
        out.close()
        if stop.is_set():
            out.cancel_join_thread()  # the reader is gone: do not wait to flush the queue


def _picklable(exc: BaseException) -> BaseException:
    """`exc` if it survives the trip to the reader, else a RuntimeError naming it."""
    try:
        pickle.loads(pickle.dumps(exc))
    except Exception:
        return RuntimeError(f"{type(exc).__name__}: {exc}")
    return exc
