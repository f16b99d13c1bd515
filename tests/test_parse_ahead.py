"""The parse-ahead thread: files in order, every record once, errors raised in the reader,
and a reader that gives up does not leave the thread blocked."""

from __future__ import annotations

import time
from datetime import date, datetime

import pytest

from db.registry import AgencyIndex, AgencyPeriod
from importer.csv_source import FileRejected, open_source
from importer.dossier_rows import OPTIONAL_COLUMNS, REQUIRED_COLUMNS, DossierRowParser
from importer.parse_ahead import ParseAhead
from tests.import_fixtures import dossier, write_dossiers

NOW = datetime(2026, 1, 5, 12, 0)
INDEX = AgencyIndex([("SNV", AgencyPeriod(7, date(2000, 1, 1), None))])


def _parser(source):
    return DossierRowParser(source.header, INDEX, NOW, NOW.date())


def _sources(tmp_path, files):
    paths = [write_dossiers(tmp_path / f"f{i}.csv", rows) for i, rows in enumerate(files)]
    return [open_source(p, REQUIRED_COLUMNS, OPTIONAL_COLUMNS) for p in paths]


def _rows(n, prefix, **overrides):
    return [dossier(f"{prefix}{i}", **overrides) for i in range(n)]


def test_files_come_in_order_with_every_record_once_and_their_line_numbers(tmp_path):
    files = [[*_rows(7, "A"), dossier("BAD", status="42"), *_rows(3, "B")], _rows(5, "C")]
    sources = _sources(tmp_path, files)
    with ParseAhead(sources, _parser, batch_size=4, max_batches=2) as ahead:
        first = list(ahead.batches(0))
        second = list(ahead.batches(1))
    assert [b.records for b in first] == [4, 4, 3]
    accepted = [(line, row["dossier_code"]) for b in first for line, row in b.accepted]
    assert accepted == [(i + 2, f"A{i}") for i in range(7)] + [(i + 10, f"B{i}") for i in range(3)]
    rejected = [r for b in first for r in b.rejected]
    assert [(r.line_no, r.raw["dossier_code"]) for r in rejected] == [(9, "BAD")]
    assert sum(b.rule_counts["invalid_status"] for b in first) == 1
    assert [row["dossier_code"] for b in second for _, row in b.accepted] == [f"C{i}" for i in range(5)]


def test_a_file_malformed_half_way_is_raised_in_the_reader_after_its_good_batches(tmp_path):
    path = write_dossiers(tmp_path / "bad.csv", _rows(5, "A"))
    with path.open("a", encoding="utf-8") as fh:
        fh.write('X1,"' + "x" * 200_000 + "\n")  # a quote never closed: the rest cannot be read
    sources = [open_source(path, REQUIRED_COLUMNS, OPTIONAL_COLUMNS)]
    with ParseAhead(sources, _parser, batch_size=2) as ahead:
        batches = ahead.batches(0)
        assert next(batches).records == 2
        with pytest.raises(FileRejected, match="malformed CSV at line 7"):
            list(batches)


def test_a_reader_that_stops_early_does_not_leave_the_thread_blocked(tmp_path):
    sources = _sources(tmp_path, [_rows(50, "A"), _rows(50, "B")])
    ahead = ParseAhead(sources, _parser, batch_size=1, max_batches=1)
    next(ahead.batches(0))  # the thread is now blocked on a full queue
    ahead.close()
    assert not ahead._thread.is_alive()


def test_files_must_be_read_in_order(tmp_path):
    with (
        ParseAhead(_sources(tmp_path, [_rows(1, "A"), _rows(1, "B")]), _parser, 10) as ahead,
        pytest.raises(ValueError, match="in order"),
    ):
        next(ahead.batches(1))


def test_a_paused_thread_parses_nothing_until_the_pause_ends(tmp_path):
    sources = _sources(tmp_path, [_rows(60_000, "A")])
    # a queue that never fills: while paused, the thread can only be held by the pause
    ahead = ParseAhead(sources, _parser, batch_size=100, max_batches=1000)
    try:
        with ahead.paused():
            time.sleep(0.3)  # the thread reaches its next checkpoint and waits there
            held = ahead._queue.qsize()
            time.sleep(0.3)
            assert ahead._queue.qsize() == held
            assert held < 600  # of 600 batches and the end of the file: not finished
        assert sum(b.records for b in ahead.batches(0)) == 60_000
    finally:
        ahead.close()
