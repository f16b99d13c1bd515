"""Hostile and broken files (issue 12, item 6): a bad row costs that row, never the import.

Each case was found by trying: a timestamp no calendar can convert, an integer beyond its
column, a NUL byte, a cell over the csv module's field size limit, a reception date in
the future, one dossier code several times in a file. The same hostile file gives the
same stored rows and quarantine on SQLite, on PostgreSQL through the parse thread and on
PostgreSQL through the parse process.
"""

from __future__ import annotations

import json
from datetime import datetime

import pytest
from sqlalchemy import select

from db.engine import make_engine
from db.migrate import upgrade
from db.schema import dossiers, import_runs, quarantine
from importer.agencies import import_agencies
from importer.csv_source import FIELD_SIZE_LIMIT, FileRejected, UnreadableRecord, open_source
from importer.dossier_rows import ALL_COLUMNS, OPTIONAL_COLUMNS, REQUIRED_COLUMNS, TIMESTAMP_COLUMNS
from importer.dossiers import import_dossiers
from importer.indicators import import_indicators
from importer.runs import data_version
from tests.conftest import create_pg_database, drop_pg_database, require_pg
from tests.import_fixtures import dossier, load_registry, write_dossiers
from tests.test_import_dossiers import assert_aggregates_match_dossiers
from tests.test_import_rules import check_file

NOW = datetime(2026, 1, 15, 10, 0)
TODAY = NOW.date()
HUGE = "x" * (FIELD_SIZE_LIMIT + 10)


@pytest.fixture
def registry_engine(registry_db):
    return registry_db


def csv_line(row: dict[str, str]) -> str:
    """One record of a dossiers.csv in ALL_COLUMNS order (cells quoted when they need it)."""
    cells = []
    for name in ALL_COLUMNS:
        value = row[name]
        if any(c in value for c in ',"\r\n'):
            value = '"' + value.replace('"', '""') + '"'
        cells.append(value)
    return ",".join(cells) + "\n"


def write_raw(path, lines: list[str]):
    """A dossiers.csv written as given text lines after the header (hostile bytes kept)."""
    path.write_text(",".join(ALL_COLUMNS) + "\n" + "".join(lines), encoding="utf-8", newline="")
    return path


def entries(engine):
    with engine.connect() as conn:
        rows = conn.execute(select(quarantine).order_by(quarantine.c.line_no, quarantine.c.rule)).all()
    return [(r.line_no, r.rule) for r in rows]


def codes(engine):
    with engine.connect() as conn:
        return sorted(conn.execute(select(dossiers.c.dossier_code)).scalars())


# --- timestamps and numbers beyond what the columns hold ------------------------------


@pytest.mark.parametrize("column", TIMESTAMP_COLUMNS)
@pytest.mark.parametrize("text", ["0001-01-01T00:00:00+07:00", "9999-12-31T23:59:59-05:00", "0001-01-01"])
def test_a_timestamp_no_calendar_can_convert_is_its_rows_problem(tmp_path, column, text):
    bad = dossier("BAD", **{"status": "10", "returned_at": "2025-03-08", column: text})
    rows = [dossier("GOOD1"), bad]
    reported = check_file(write_dossiers(tmp_path / "d.csv", [*rows, dossier("GOOD2")]))
    assert reported == [(3, ["timestamp_out_of_range"])]


def test_integers_are_checked_against_their_column_on_both_backends(registry_engine, tmp_path):
    rows = [
        dossier("MAX", supplement_count="2147483647"),  # the int4 maximum: stored exactly
        dossier("OVER", supplement_count="2147483648"),
        dossier("HUGE", supplement_count="99999999999999999999"),
        dossier("DAYS", supplement_days="1" + "0" * 400),
    ]
    path = write_dossiers(tmp_path / "d.csv", rows)

    first = import_dossiers(registry_engine, [path], now=NOW)
    held = entries(registry_engine)
    again = import_dossiers(registry_engine, [path], now=NOW)

    assert (first.inserted, first.quarantined) == (1, 3)
    assert held == [(3, "number_out_of_range"), (4, "number_out_of_range"), (5, "number_out_of_range")]
    with registry_engine.connect() as conn:
        stored = conn.execute(select(dossiers.c.supplement_count)).scalars().all()
        messages = [m for m in conn.execute(select(quarantine.c.message)).scalars()]
    assert stored == [2147483647]
    assert any("2147483648" in m and "2.147.483.647" in m for m in messages)
    assert (again.inserted, again.updated, again.unchanged, again.quarantined) == (0, 0, 1, 3)


# --- reception in the future ------------------------------------------------------------


def test_a_reception_after_tomorrow_local_time_is_quarantined(registry_engine, tmp_path):
    def received(code: str, at: str) -> dict[str, str]:
        return dossier(code, status="4", submitted_at="", received_at=at, due_at="2026-02-28", finished_at="")

    rows = [
        received("TODAY", "2026-01-15T16:00:00"),
        received("TOMORROW", "2026-01-16T23:59:59"),  # today + 1: a clock a little ahead
        received("AFTER", "2026-01-17T00:00:00"),
        received("UTC", "2026-01-16T20:00:00Z"),  # 2026-01-17 03:00 in Hồ Chí Minh City
    ]
    summary = import_dossiers(registry_engine, [write_dossiers(tmp_path / "d.csv", rows)], now=NOW)

    assert codes(registry_engine) == ["TODAY", "TOMORROW"]
    assert entries(registry_engine) == [(4, "received_in_future"), (5, "received_in_future")]
    assert summary.rule_counts["received_in_future"] == 2
    with registry_engine.connect() as conn:
        message = conn.execute(select(quarantine.c.message)).scalars().first()
    assert "17/01/2026" in message and "15/01/2026" in message


# --- NUL bytes and oversized cells -------------------------------------------------------


def test_a_nul_byte_costs_its_row_and_line_numbers_stay_right(registry_engine, tmp_path):
    lines = [
        csv_line(dossier("GOOD1")),  # line 2
        csv_line(dossier("NUL", procedure_name="Tặng\x00 Bằng khen")),  # line 3
        csv_line(dossier("GOOD2", field_name="hai\ndòng")),  # lines 4-5
        csv_line(dossier("LATE", channel="7")),  # line 6: another rule, to check the numbering
    ]
    summary = import_dossiers(registry_engine, [write_raw(tmp_path / "nul.csv", lines)], now=NOW)

    assert (summary.rows_read, summary.inserted, summary.quarantined) == (4, 2, 2)
    assert codes(registry_engine) == ["GOOD1", "GOOD2"]
    assert entries(registry_engine) == [(3, "nul_byte"), (6, "invalid_channel")]
    with registry_engine.connect() as conn:
        entry = conn.execute(select(quarantine).where(quarantine.c.rule == "nul_byte")).one()
    assert "procedure_name" in entry.message
    assert json.loads(entry.raw_row)["procedure_name"] == "Tặng\x00 Bằng khen"


@pytest.mark.parametrize(
    "oversized",
    [
        pytest.param(lambda: csv_line(dossier("BIG", procedure_name=HUGE)), id="unquoted"),
        pytest.param(lambda: csv_line(dossier("BIG", procedure_name=HUGE + ", quoted")), id="quoted"),
        pytest.param(lambda: csv_line(dossier("BIG", procedure_name=f'a\n{HUGE}\n"b"\nc')), id="multi-line"),
    ],
)
def test_a_cell_over_the_field_size_limit_costs_its_row(registry_engine, tmp_path, oversized):
    big = oversized()
    lines = [
        csv_line(dossier("GOOD1")),
        big,
        csv_line(dossier("GOOD2")),
        csv_line(dossier("LATE", status="0")),
    ]
    after = 3 + big.count("\n")  # the line GOOD2 starts on

    summary = import_dossiers(registry_engine, [write_raw(tmp_path / "big.csv", lines)], now=NOW)

    assert (summary.rows_read, summary.inserted, summary.quarantined) == (4, 2, 2)
    assert codes(registry_engine) == ["GOOD1", "GOOD2"]
    assert entries(registry_engine) == [(3, "field_too_large"), (after + 1, "invalid_status")]
    with registry_engine.connect() as conn:
        entry = conn.execute(select(quarantine).where(quarantine.c.rule == "field_too_large")).one()
    assert f"{FIELD_SIZE_LIMIT:,}".replace(",", ".") in entry.message
    raw = json.loads(entry.raw_row)
    assert raw["_text"].startswith("BIG,SNV,") and len(raw["_text"]) < 1000
    assert raw["_chars"] == len(big)


def test_a_quote_left_open_to_the_end_of_the_file_rejects_it(tmp_path):
    path = write_raw(tmp_path / "open.csv", [csv_line(dossier("GOOD1")), 'X1,"' + HUGE + "\n", "X2,y\n"])
    source = open_source(path, REQUIRED_COLUMNS, OPTIONAL_COLUMNS)
    with pytest.raises(FileRejected, match="malformed CSV at line 3") as err:
        list(source.records())
    assert "dòng 3" in err.value.message_vi and "ngoặc kép" in err.value.message_vi


def test_unreadable_records_come_as_empty_records_naming_their_problem(tmp_path):
    path = write_raw(tmp_path / "r.csv", ["a\x00b\n", HUGE + "\n", "c\n"])
    records = list(open_source(path, ["dossier_code"], ALL_COLUMNS).records())
    assert [(line, type(fields).__name__) for line, fields in records] == [
        (2, "UnreadableRecord"),
        (3, "UnreadableRecord"),
        (4, "list"),
    ]
    assert [f.violation.rule for _, f in records[:2]] == ["nul_byte", "field_too_large"]
    assert all(isinstance(f, UnreadableRecord) and len(f) == 0 for _, f in records[:2])


def test_a_binary_file_is_still_rejected_whole(tmp_path):
    path = tmp_path / "b.csv"
    path.write_bytes(b"dossier_code\n" + bytes(range(32)) * 8)
    with pytest.raises(FileRejected, match="binary"):
        open_source(path, ["dossier_code"], ())


# --- one code several times in a file -----------------------------------------------------


def test_a_code_repeated_in_a_file_is_counted_once_and_the_repeats_reported(registry_engine, tmp_path):
    versions = [
        dossier("H1", status="4", finished_at="", updated_at=""),
        dossier("H1", status="5", finished_at="", updated_at=""),
        dossier("H1", rating="unsatisfied", updated_at=""),  # no updated_at: the later row wins
    ]
    path = write_dossiers(tmp_path / "d.csv", [*versions, dossier("H2")])

    first = import_dossiers(registry_engine, [path], now=NOW)
    with registry_engine.connect() as conn:
        version = data_version(conn)
    again = import_dossiers(registry_engine, [path], now=datetime(2026, 1, 16, 9, 0))

    assert (first.rows_read, first.inserted, first.updated, first.repeats) == (4, 2, 0, 2)
    assert (again.inserted, again.updated, again.unchanged, again.stale, again.repeats) == (0, 0, 2, 0, 2)
    assert "Lặp lại trong tệp" in again.format_vi()
    with registry_engine.connect() as conn:
        assert data_version(conn) == version  # nothing changed: no redraw
        row = conn.execute(select(dossiers).where(dossiers.c.dossier_code == "H1")).one()
        messages = conn.execute(select(import_runs.c.message).order_by(import_runs.c.id)).scalars().all()
    assert (row.status, row.rating) == (9, "unsatisfied")
    assert all("lặp lại trong tệp: 2" in (m or "") for m in messages[-2:])
    assert_aggregates_match_dossiers(registry_engine)


def test_repeats_keep_the_newest_version_whatever_their_order(registry_engine, tmp_path):
    rows = [
        dossier("H1", status="4", finished_at="", updated_at="2025-03-05T00:00:00"),
        dossier("H1", updated_at="2025-03-07T16:00:00"),  # the newest: kept
        dossier("H1", status="5", finished_at="", updated_at="2025-03-06T00:00:00"),
    ]
    path = write_dossiers(tmp_path / "d.csv", rows)
    summary = import_dossiers(registry_engine, [path], now=NOW, batch_size=1)
    assert (summary.inserted, summary.repeats, summary.stale) == (1, 2, 0)
    with registry_engine.connect() as conn:
        assert conn.execute(select(dossiers.c.status)).scalar_one() == 9


# --- the same hostile file on every path ---------------------------------------------------


def hostile_rows() -> list[str]:
    return [
        csv_line(dossier("OK1")),
        csv_line(dossier("TS", received_at="0001-01-01T00:00:00+07:00")),
        csv_line(dossier("INT", supplement_count="2147483648")),
        csv_line(dossier("NUL", handler_id="CB\x00")),
        csv_line(dossier("BIG", field_name=HUGE)),
        csv_line(
            dossier(
                "FUT",
                status="4",
                submitted_at="",
                received_at="2026-03-01",
                due_at="2026-03-09",
                finished_at="",
            )
        ),
        csv_line(dossier("REP", status="4", finished_at="")),
        csv_line(dossier("REP", updated_at="2025-03-08T00:00:00")),
        csv_line(dossier("OK2", procedure_name='=HYPERLINK("http://x")')),
    ]


def snapshot(engine) -> tuple[list, list, tuple]:
    with engine.connect() as conn:
        stored = [
            tuple(r)[:-1]  # imported_at aside
            for r in conn.execute(select(dossiers).order_by(dossiers.c.dossier_code))
        ]
        held = [
            (r.line_no, r.rule, r.message, r.raw_row)
            for r in conn.execute(select(quarantine).order_by(quarantine.c.line_no, quarantine.c.rule))
        ]
    return stored, held


def _import_hostile(url: str, path, **options):
    engine = make_engine(url)
    try:
        upgrade(engine)
        load_registry(engine)
        summary = import_dossiers(engine, [path], now=NOW, **options)
        again = import_dossiers(engine, [path], now=NOW, **options)
        return summary, again, snapshot(engine)
    finally:
        engine.dispose()


def counts(s):
    return (s.rows_read, s.inserted, s.updated, s.unchanged, s.stale, s.repeats, s.quarantined,
            dict(s.rule_counts))  # fmt: skip


def test_a_hostile_file_gives_the_same_result_on_sqlite_and_both_postgresql_paths(tmp_path):
    require_pg()
    path = write_raw(tmp_path / "hostile.csv", hostile_rows())
    results = [_import_hostile(f"sqlite:///{tmp_path / 'h.sqlite3'}", path)]
    for in_process in (False, True):
        url = create_pg_database()
        try:
            results.append(_import_hostile(url, path, parse_in_process=in_process))
        finally:
            drop_pg_database(url)

    (first, again, state) = results[0]
    assert counts(first) == (9, 3, 0, 0, 0, 1, 5, {
        "timestamp_out_of_range": 1, "number_out_of_range": 1, "nul_byte": 1, "field_too_large": 1,
        "received_in_future": 1,
    })  # fmt: skip
    assert (again.inserted, again.updated, again.unchanged, again.repeats) == (0, 0, 3, 1)
    assert [row[0] for row in state[0]] == ["OK1", "OK2", "REP"]
    for other_first, other_again, other_state in results[1:]:
        assert counts(other_first) == counts(first)
        assert counts(other_again) == counts(again)
        assert other_state == state


# --- the registry and the 766 indicators: the same faults, the same treatment ------------------


REGISTRY_FILE = (
    "agencies.csv",
    "code,name,kind,unit_code,valid_from,valid_to\n"
    "SX1,Sở Một,department,49,2020-01-01,\n"  # line 2
    "SX2,Sở\x00Hai,department,49,2020-01-01,\n"  # line 3
    f"SX3,{HUGE},department,49,2020-01-01,\n"  # line 4
    "SX4,Sở Bốn,department,49,0001-01-01,9999-12-31\n"  # line 5
    "SX5,Sở Năm,department,49,2020-01-01,\n",  # line 6
)
INDICATOR_FILE = (
    "indicators.csv",
    "agency_code,period,indicator,value\n"
    "SNV,2025-Q3,procedures_announced_on_time,5\n"  # line 2
    "SNV,2025-Q2,procedures_announced_on_time,5\x00\n"  # line 3
    f"SNV,2025-Q1,{HUGE},5\n"  # line 4
    "SNV,2025-Q4,procedures_announced_on_time,1" + "0" * 400 + "\n"  # line 5
    "SNV,2025-07,procedures_announced_on_time,4\n",  # line 6
)


@pytest.mark.parametrize(
    ("file", "load", "quarantined"),
    [
        (
            REGISTRY_FILE,
            lambda engine, path: import_agencies(engine, path, now=NOW),
            [
                (3, "nul_byte"),
                (4, "field_too_large"),
                (5, "date_out_of_range"),  # valid_from
                (5, "date_out_of_range"),  # valid_to
            ],
        ),
        (
            INDICATOR_FILE,
            lambda engine, path: import_indicators(engine, path, now=NOW, today=TODAY),
            [(3, "nul_byte"), (4, "field_too_large"), (5, "number_out_of_range")],
        ),
    ],
    ids=["registry", "indicators"],
)
def test_hostile_registry_and_indicator_rows_cost_their_rows(
    registry_engine, tmp_path, file, load, quarantined
):
    name, content = file
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    summary = load(registry_engine, path)
    assert (summary.rows_read, summary.inserted, summary.quarantined) == (5, 2, 3)
    assert entries(registry_engine) == quarantined
