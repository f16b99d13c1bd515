"""Parsing in a child process (PostgreSQL): the same import as with the thread — rows,
summary, quarantine with line numbers, aggregates — and the same behaviour on errors."""

from __future__ import annotations

import pickle
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from db.registry import AgencyIndex, AgencyPeriod
from db.schema import dossiers, quarantine
from importer.csv_source import FileRejected, open_source
from importer.dossier_rows import OPTIONAL_COLUMNS, REQUIRED_COLUMNS
from importer.dossiers import import_dossiers
from importer.parse_process import ParseInProcess, ParserSpec, _picklable, connect_kwargs
from tests.import_fixtures import dossier, generated_rows, write_dossiers
from tests.test_import_dossiers import assert_aggregates_match_dossiers

NOW = datetime(2026, 1, 15, 10, 0)
only_postgresql = pytest.mark.parametrize("backend", ["postgresql"], indirect=True)


@pytest.fixture
def registry_engine(registry_db):
    return registry_db


def _files(tmp_path):
    rows, _ = generated_rows(400, bad_every=13)
    first = write_dossiers(tmp_path / "a.csv", rows[:250])
    later = [dict(r, handler_id="CB999", updated_at="2026-01-10T00:00:00") for r in rows[200:300]]
    older = [dict(r, handler_id="CB000", updated_at="2024-01-01T00:00:00") for r in rows[0:20]]
    again = rows[30]  # sent again unchanged
    second = write_dossiers(tmp_path / "b.csv", [*later, *rows[300:], *older, rows[310], rows[320], again])
    return [first, second]


def _state(engine):
    with engine.connect() as conn:
        stored = [tuple(r)[:-1] for r in conn.execute(select(dossiers).order_by(dossiers.c.dossier_code))]
        held = [
            (r.source_file.rsplit("/", 1)[-1], r.line_no, r.rule, r.raw_row)
            for r in conn.execute(select(quarantine).order_by(quarantine.c.source_file, quarantine.c.line_no))
        ]
    return stored, held


def _counts(s):
    return (
        s.rows_read,
        s.inserted,
        s.updated,
        s.unchanged,
        s.stale,
        s.repeats,
        s.quarantined,
        dict(s.rule_counts),
    )


def _empty(engine):
    with engine.begin() as conn:
        for table in ("quarantine", "import_runs", "dossier_facts", "agency_month_stats", "dossiers"):
            conn.exec_driver_sql(f"DELETE FROM {table}")


@only_postgresql
def test_an_import_parsed_in_a_process_equals_one_parsed_in_a_thread(registry_engine, tmp_path):
    paths = _files(tmp_path)
    in_thread = import_dossiers(registry_engine, paths, now=NOW, batch_size=64, parse_in_process=False)
    expected = _state(registry_engine)
    _empty(registry_engine)

    in_process = import_dossiers(registry_engine, paths, now=NOW, batch_size=64, parse_in_process=True)

    assert _counts(in_process) == _counts(in_thread)
    assert in_process.inserted > 0 and in_process.updated > 0 and in_process.stale > 0
    assert in_process.quarantined > 0 and in_process.unchanged > 0 and in_process.repeats > 0
    assert _state(registry_engine) == expected
    assert_aggregates_match_dossiers(registry_engine)


@only_postgresql
def test_a_file_malformed_half_way_is_rejected_and_earlier_files_stay(registry_engine, tmp_path):
    good = write_dossiers(tmp_path / "good.csv", [dossier("H1")])
    bad = write_dossiers(tmp_path / "bad.csv", [dossier("H2"), dossier("H3")])
    with bad.open("a", encoding="utf-8") as fh:
        fh.write('X1,"' + "x" * 200_000 + "\n")  # a quote never closed: the rest cannot be read

    with pytest.raises(FileRejected, match="malformed CSV at line 4") as err:
        import_dossiers(registry_engine, [good, bad], now=NOW, parse_in_process=True)

    assert err.value.path == bad
    with registry_engine.connect() as conn:
        assert list(conn.execute(select(dossiers.c.dossier_code)).scalars()) == ["H1"]


@only_postgresql
def test_a_reader_that_stops_early_stops_the_process(db_engine, tmp_path):
    paths = [
        write_dossiers(tmp_path / f"f{i}.csv", [dossier(f"H{i}-{j}") for j in range(50)]) for i in range(2)
    ]
    sources = [open_source(p, REQUIRED_COLUMNS, OPTIONAL_COLUMNS) for p in paths]
    spec = ParserSpec(AgencyIndex([("SNV", AgencyPeriod(7, date(2000, 1, 1), None))]), NOW, NOW.date())
    ahead = ParseInProcess(sources, spec, 1, connect_kwargs(db_engine), max_batches=1)
    first = next(ahead.batches(0))
    assert first.records == 1 and first.accepted == [] and first.payload  # COPY bytes
    ahead.close()
    assert not ahead._process.is_alive()


def test_what_cannot_travel_to_the_reader_arrives_as_a_runtime_error_naming_it():
    class Local(Exception):  # not importable by name: cannot be unpickled
        pass

    rejected = FileRejected(Path("d.csv"), "tiếng Việt", "English")
    assert _picklable(rejected) is rejected
    assert pickle.loads(pickle.dumps(rejected)).message_vi == "tiếng Việt"
    arrived = _picklable(Local("boom"))
    assert isinstance(arrived, RuntimeError)
    assert "Local: boom" in str(arrived)
