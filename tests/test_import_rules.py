"""Every consistency rule of dossiers.csv: the rule name and the physical line it is reported on.

The parametrised test reads a real file through the importer's reader and row parser
against the shipped registry (no database: fast); one database test imports all the
cases in one file on both backends and checks what lands in the quarantine table.
"""

import csv
import json
from datetime import date, datetime

import pytest
from sqlalchemy import func, select

from db.registry import AgencyIndex, AgencyPeriod
from db.schema import dossiers, quarantine
from importer.csv_source import open_source
from importer.dossier_rows import ALL_COLUMNS, OPTIONAL_COLUMNS, REQUIRED_COLUMNS, DossierRowParser
from importer.dossiers import import_dossiers
from tests.import_fixtures import AGENCIES_FILE, dossier, write_dossiers

NOW = datetime(2026, 1, 15, 10, 0)

RULE_CASES = [
    ("missing_dossier_code", {"dossier_code": ""}),
    ("missing_agency_code", {"agency_code": ""}),
    ("missing_procedure_code", {"procedure_code": ""}),
    ("missing_channel", {"channel": ""}),
    ("missing_status", {"status": ""}),
    ("invalid_channel", {"channel": "4"}),
    ("invalid_status", {"status": "11"}),
    ("invalid_online_level", {"online_level": "toàn trình"}),
    ("invalid_rating", {"rating": "good"}),
    ("invalid_has_fee", {"has_fee": "maybe"}),
    ("invalid_e_result", {"e_result": "2"}),
    ("invalid_received_at", {"received_at": "03/03/2025"}),
    ("invalid_updated_at", {"updated_at": "yesterday"}),
    ("invalid_supplement_count", {"supplement_count": "-1"}),
    ("invalid_supplement_days", {"supplement_days": "1,5"}),
    ("invalid_dossier_code", {"dossier_code": "X" * 65}),
    ("missing_received_at", {"status": "2", "received_at": "", "finished_at": ""}),
    ("missing_due_at", {"status": "4", "due_at": "", "finished_at": ""}),
    ("missing_finished_at", {"status": "7", "finished_at": ""}),
    ("missing_finished_at", {"status": "8", "finished_at": ""}),
    ("missing_returned_at", {"status": "10", "returned_at": ""}),
    ("received_after_due", {"received_at": "2025-03-11T08:00:00", "finished_at": "2025-03-12T08:00:00"}),
    ("finished_before_received", {"finished_at": "2025-03-03T08:59:00"}),
    ("returned_before_finished", {"status": "10", "returned_at": "2025-03-07T15:00:00"}),
    ("returned_before_received", {"status": "10", "finished_at": "xx", "returned_at": "2025-03-02"}),
    ("submitted_after_received", {"submitted_at": "2025-03-03T10:00:00"}),
    ("paid_online_without_fee", {"has_fee": "0", "paid_online": "1"}),
    ("paid_online_without_fee", {"has_fee": "", "paid_online": "có"}),
    ("unknown_agency", {"agency_code": "SKHONGCO"}),
    ("agency_not_valid_on_date", {"agency_code": "20338"}),  # merged 2025-01-01, received 2025-03-03
    ("agency_not_valid_on_date", {"agency_code": "20335", "received_at": "2020-05-31T08:00:00"}),
    # hostile values (issue 12): each costs its row, never the import
    ("timestamp_out_of_range", {"submitted_at": "0001-01-01T00:00:00+07:00"}),
    ("timestamp_out_of_range", {"received_at": "9999-12-31T23:59:59-05:00"}),
    ("timestamp_out_of_range", {"updated_at": "9999-12-31T23:59:59-05:00"}),
    ("number_out_of_range", {"supplement_count": "99999999999999999999"}),
    ("number_out_of_range", {"supplement_count": "2147483648"}),  # int4 maximum + 1
    ("number_out_of_range", {"supplement_days": "1" + "0" * 400}),  # beyond a double
    (
        "received_in_future",
        {
            "status": "4",
            "submitted_at": "",
            "received_at": "2026-01-17T00:00:00",
            "due_at": "2026-01-30",
            "finished_at": "",
        },
    ),
]
CASE_IDS = [f"{rule}-{i}" for i, (rule, _) in enumerate(RULE_CASES)]


def shipped_registry_index() -> AgencyIndex:
    """The shipped agencies.csv as an index (ids = row numbers), read without the importer."""
    with AGENCIES_FILE.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    return AgencyIndex(
        (
            r["code"],
            AgencyPeriod(
                i,
                date.fromisoformat(r["valid_from"]),
                date.fromisoformat(r["valid_to"]) if r["valid_to"] else None,
            ),
        )
        for i, r in enumerate(rows, start=1)
    )


def check_file(path):
    """(line, sorted rules) of every record that breaks a rule."""
    source = open_source(path, REQUIRED_COLUMNS, OPTIONAL_COLUMNS)
    parser = DossierRowParser(source.header, shipped_registry_index(), NOW, NOW.date())
    out = []
    for line, fields in source.records():
        row, violations = parser.parse(fields)
        assert (row is None) == bool(violations)
        if violations:
            out.append((line, sorted(v.rule for v in violations)))
    return out


def test_the_base_dossier_breaks_no_rule(tmp_path):
    assert check_file(write_dossiers(tmp_path / "d.csv", [dossier("OK")])) == []


@pytest.mark.parametrize(("rule", "overrides"), RULE_CASES, ids=CASE_IDS)
def test_row_breaking_a_rule_is_reported_with_rule_name_and_line(tmp_path, rule, overrides):
    rows = [
        dossier("GOOD1", procedure_name="Tên\ntrên hai dòng"),  # lines 2-3: a quoted newline
        dossier("BAD", **overrides),  # line 4
        dossier("GOOD2"),  # line 5
    ]
    reported = check_file(write_dossiers(tmp_path / "d.csv", rows))
    assert [line for line, _ in reported] == [4]
    assert rule in reported[0][1]


@pytest.fixture
def registry_engine(registry_db):
    return registry_db


def test_every_rule_case_lands_in_the_quarantine_table_and_nothing_else_is_dropped(registry_engine, tmp_path):
    rows, expected = [], []
    for i, (rule, overrides) in enumerate(RULE_CASES):
        rows.append(dossier(f"GOOD{i}"))  # line 2 + 2i
        rows.append(dossier(f"BAD{i}", **overrides))  # line 3 + 2i
        expected.append((3 + 2 * i, rule))
    path = write_dossiers(tmp_path / "all_rules.csv", rows)

    summary = import_dossiers(registry_engine, [path], now=NOW)

    n = len(RULE_CASES)
    assert (summary.rows_read, summary.inserted, summary.quarantined) == (2 * n, n, n)
    with registry_engine.connect() as conn:
        entries = conn.execute(select(quarantine)).all()
        codes = set(conn.execute(select(dossiers.c.dossier_code)).scalars())
        assert conn.execute(select(func.count(func.distinct(quarantine.c.line_no)))).scalar_one() == n
    recorded = {(e.line_no, e.rule) for e in entries}
    assert set(expected) <= recorded
    assert codes == {f"GOOD{i}" for i in range(n)}
    for e in entries:
        assert e.import_run_id == summary.run_ids[0]
        assert e.source_file == str(path)
        assert e.message
        raw = json.loads(e.raw_row)
        assert set(ALL_COLUMNS) <= set(raw)
        assert raw["dossier_code"] == rows[e.line_no - 2]["dossier_code"]
