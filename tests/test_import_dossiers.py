import csv
import json
from datetime import date, datetime

import pytest
from sqlalchemy import func, select

from db.schema import agencies, agency_month_stats, dossiers, import_runs, quarantine
from db.schema_stats import agency_month_766, agency_procedure_month, dossier_facts
from dossier_stats.aggregates import FACT_COLUMNS, STAT_COLUMNS, deltas_for, facts_from_row
from importer.csv_source import FileRejected
from importer.dossier_rows import ALL_COLUMNS
from importer.dossiers import import_dossiers
from importer.runs import data_version
from tests.import_fixtures import (
    dossier,
    generated_rows,
    write_dossiers,
)

NOW = datetime(2026, 1, 15, 10, 0)


@pytest.fixture
def registry_engine(registry_db):
    return registry_db


def run(engine, tmp_path, rows, name="dossiers.csv", **kwargs):
    path = write_dossiers(tmp_path / name, rows)
    return import_dossiers(engine, [path], now=NOW, **kwargs)


def stored(engine, code):
    with engine.connect() as conn:
        return conn.execute(select(dossiers).where(dossiers.c.dossier_code == code)).one_or_none()


def quarantined(engine):
    with engine.connect() as conn:
        return conn.execute(select(quarantine).order_by(quarantine.c.line_no, quarantine.c.rule)).all()


def agency_id(engine, code, valid_from):
    with engine.connect() as conn:
        return conn.execute(
            select(agencies.c.id).where(agencies.c.code == code, agencies.c.valid_from == valid_from)
        ).scalar_one()


def assert_aggregates_match_dossiers(engine):
    """agency_month_stats equals the contributions of every stored dossier, computed afresh."""
    with engine.connect() as conn:
        facts = [facts_from_row(r) for r in conn.execute(select(*FACT_COLUMNS))]
        actual = {
            (r.agency_id, r.month): {c: getattr(r, c) for c in STAT_COLUMNS}
            for r in conn.execute(select(agency_month_stats))
        }
    expected = deltas_for((), facts)
    assert {k: v for k, v in actual.items() if any(v.values())} == expected
    return expected


# --- idempotence and which version wins -------------------------------------------------


def test_reimporting_the_same_file_changes_nothing(registry_engine, tmp_path):
    rows = [dossier("H1"), dossier("H2", status="4", finished_at=""), dossier("H3", updated_at="")]
    first = run(registry_engine, tmp_path, rows)
    with registry_engine.connect() as conn:
        version = data_version(conn)
    stats = assert_aggregates_match_dossiers(registry_engine)

    second = run(registry_engine, tmp_path, rows)

    assert (first.inserted, first.unchanged) == (3, 0)
    assert (second.rows_read, second.inserted, second.updated, second.unchanged) == (3, 0, 0, 3)
    with registry_engine.connect() as conn:
        assert data_version(conn) == version
    assert assert_aggregates_match_dossiers(registry_engine) == stats


def test_newer_row_replaces_the_stored_one_and_the_aggregates_follow(registry_engine, tmp_path):
    pending = dossier("H1", status="4", finished_at="", updated_at="2025-03-05T00:00:00")
    run(registry_engine, tmp_path, [pending, dossier("H2")])
    with registry_engine.connect() as conn:
        version = data_version(conn)
    before = assert_aggregates_match_dossiers(registry_engine)

    resolved_late = dossier(
        "H1", status="9", finished_at="2025-04-02T10:00:00", updated_at="2025-04-02T10:00:00"
    )
    summary = run(registry_engine, tmp_path, [resolved_late], name="later.csv")

    assert (summary.updated, summary.inserted, summary.stale) == (1, 0, 0)
    row = stored(registry_engine, "H1")
    assert (row.status, row.finished_on) == (9, date(2025, 4, 2))
    after = assert_aggregates_match_dossiers(registry_engine)
    assert after != before
    snv = agency_id(registry_engine, "SNV", date(2020, 1, 1))
    assert after[(snv, 202504)]["resolved_late"] == 1  # due 2025-03-10, finished 2025-04-02
    with registry_engine.connect() as conn:
        assert data_version(conn) == version + 1


def test_older_row_is_stale_reported_and_not_applied(registry_engine, tmp_path):
    run(registry_engine, tmp_path, [dossier("H1", updated_at="2025-03-07T16:00:00")])
    older = dossier("H1", status="4", finished_at="", updated_at="2025-03-06T00:00:00")

    summary = run(registry_engine, tmp_path, [older], name="old.csv")

    assert (summary.stale, summary.updated, summary.unchanged) == (1, 0, 0)
    assert summary.stale_examples == ["old.csv:2 H1"]
    assert "Cũ hơn" in summary.format_vi()
    assert stored(registry_engine, "H1").status == 9


def test_equal_updated_at_with_different_content_replaces(registry_engine, tmp_path):
    run(registry_engine, tmp_path, [dossier("H1")])
    summary = run(registry_engine, tmp_path, [dossier("H1", rating="unsatisfied")], name="b.csv")
    assert summary.updated == 1
    assert stored(registry_engine, "H1").rating == "unsatisfied"


def test_newer_updated_at_with_the_same_content_is_unchanged(registry_engine, tmp_path):
    run(registry_engine, tmp_path, [dossier("H1")])
    summary = run(registry_engine, tmp_path, [dossier("H1", updated_at="2025-05-01T00:00:00")], name="b.csv")
    assert (summary.unchanged, summary.updated) == (1, 0)


def test_repeated_code_in_one_file_the_later_row_wins_by_updated_at(registry_engine, tmp_path):
    rows = [
        dossier("H1", status="4", finished_at="", updated_at="2025-03-04T00:00:00"),
        dossier("H1", updated_at="2025-03-07T16:00:00"),  # newer: replaces
        dossier("H1", status="5", finished_at="", updated_at="2025-03-05T00:00:00"),  # older: loses
        dossier("H2"),
    ]
    # issue 12: the file's one version of H1 counts once (inserted), its other rows are repeats
    for batch_size in (1, 5000):  # across batches and within one batch
        with registry_engine.begin() as conn:  # back to no dossiers: the shadow and every aggregate too
            for table in (
                dossiers,
                dossier_facts,
                agency_month_stats,
                agency_month_766,
                agency_procedure_month,
            ):
                conn.execute(table.delete())
        summary = run(registry_engine, tmp_path, rows, batch_size=batch_size)
        assert (summary.inserted, summary.updated, summary.stale, summary.repeats) == (2, 0, 0, 2)
        assert stored(registry_engine, "H1").status == 9
        assert_aggregates_match_dossiers(registry_engine)


def test_missing_updated_at_is_the_import_time(registry_engine, tmp_path):
    run(registry_engine, tmp_path, [dossier("H1", updated_at="")])
    row = stored(registry_engine, "H1")
    assert row.updated_at == NOW
    assert row.imported_at == NOW


def test_timestamps_with_offsets_are_stored_as_local_time_with_local_dates(registry_engine, tmp_path):
    row = dossier(
        "H1",
        submitted_at="2025-03-02T18:00:00Z",
        received_at="2025-03-02T20:00:00Z",  # 2025-03-03 03:00 in Hồ Chí Minh City
        due_at="2025-03-10",
        finished_at="2025-03-07T16:00:00+07:00",
    )
    run(registry_engine, tmp_path, [row])
    got = stored(registry_engine, "H1")
    assert got.received_at == datetime(2025, 3, 3, 3, 0)
    assert (got.received_on, got.due_on, got.finished_on) == (
        date(2025, 3, 3),
        date(2025, 3, 10),
        date(2025, 3, 7),
    )


def test_dossier_is_attributed_to_the_agency_valid_on_its_reception_date(registry_engine, tmp_path):
    rows = [
        dossier("OLD", agency_code="20335", received_at="2025-06-30T10:00:00", due_at="2025-07-05",
                finished_at="2025-07-02T10:00:00", submitted_at=""),
        dossier("NEW", agency_code="20335", received_at="2025-07-01T10:00:00", due_at="2025-07-05",
                finished_at="2025-07-02T10:00:00", submitted_at=""),
        dossier("NOT_RECEIVED", agency_code="20335", status="1", received_at="", due_at="", finished_at="",
                submitted_at="2025-06-15T09:00:00"),
    ]  # fmt: skip
    summary = run(registry_engine, tmp_path, rows)
    assert summary.inserted == 3
    old_id = agency_id(registry_engine, "20335", date(2020, 6, 1))
    new_id = agency_id(registry_engine, "20335", date(2025, 7, 1))
    assert stored(registry_engine, "OLD").agency_id == old_id
    assert stored(registry_engine, "NEW").agency_id == new_id
    assert stored(registry_engine, "NOT_RECEIVED").agency_id == old_id  # by its submission date


def test_dossier_without_reception_or_submission_date_is_checked_against_its_update_date(
    registry_engine, tmp_path
):
    row = dossier("R1", agency_code="20338", status="3", received_at="", due_at="", finished_at="",
                  submitted_at="", updated_at="2025-02-01T00:00:00")  # fmt: skip
    summary = run(registry_engine, tmp_path, [row])
    assert summary.quarantined == 1
    entry = quarantined(registry_engine)[0]
    assert entry.rule == "agency_not_valid_on_date"
    assert "01/02/2025" in entry.message and "31/12/2024" in entry.message


# --- quarantine (one test per rule: tests/test_import_rules.py) --------------------------


def test_record_with_too_many_fields_is_quarantined(registry_engine, tmp_path):
    path = write_dossiers(tmp_path / "d.csv", [dossier("GOOD")])
    with path.open("a", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerow([*dossier("BAD").values(), "extra"])
    summary = import_dossiers(registry_engine, [path], now=NOW)
    assert (summary.inserted, summary.quarantined) == (1, 1)
    entry = quarantined(registry_engine)[0]
    assert (entry.rule, entry.line_no) == ("field_count", 3)
    assert json.loads(entry.raw_row)["_extra"] == ["extra"]


def test_row_breaking_several_rules_is_counted_once_with_every_rule_recorded(registry_engine, tmp_path):
    bad = dossier("BAD", channel="9", has_fee="0", paid_online="1", due_at="2025-03-01")
    summary = run(registry_engine, tmp_path, [bad, dossier("GOOD")])
    assert summary.quarantined == 1
    rules = sorted(e.rule for e in quarantined(registry_engine))
    assert rules == ["invalid_channel", "paid_online_without_fee", "received_after_due"]
    assert "cách ly" in summary.format_vi().lower()


def test_deadline_given_as_a_date_is_not_before_a_reception_later_that_day(registry_engine, tmp_path):
    rows = [
        dossier("H1", received_at="2025-03-10T08:00:00", due_at="2025-03-10", finished_at="2025-03-10T15:00"),
        dossier("H2", received_at="2025-03-10T08:00", due_at="2025-03-10 00:00:00", finished_at="2025-03-10"),
        dossier("H3", received_at="2025-03-10T08:00", due_at="2025-03-10T07:59", finished_at="2025-03-10"),
    ]
    summary = run(registry_engine, tmp_path, rows)
    assert (summary.inserted, summary.quarantined) == (2, 1)
    assert [(e.line_no, e.rule) for e in quarantined(registry_engine)] == [(4, "received_after_due")]


def test_quarantine_message_names_the_offending_values(registry_engine, tmp_path):
    run(registry_engine, tmp_path, [dossier("BAD", received_at="2025-03-11T08:00:00", finished_at="")])
    messages = {e.rule: e.message for e in quarantined(registry_engine)}
    assert "2025-03-11T08:00:00" in messages["received_after_due"]
    assert "2025-03-10" in messages["received_after_due"]


# --- whole-file rejection ---------------------------------------------------------------


def test_missing_required_column_rejects_the_whole_file_naming_it(registry_engine, tmp_path):
    columns = [c for c in ALL_COLUMNS if c != "status"]
    path = write_dossiers(tmp_path / "d.csv", [dossier("H1")], columns=columns)
    with pytest.raises(FileRejected) as err:
        import_dossiers(registry_engine, [path], now=NOW)
    assert "status" in err.value.message_vi
    with registry_engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(dossiers)).scalar_one() == 0
        run_row = conn.execute(select(import_runs).where(import_runs.c.kind == "dossiers")).one()
    assert run_row.status == "rejected"
    assert "status" in run_row.message


def test_rejected_second_file_stops_the_import_before_anything_is_written(registry_engine, tmp_path):
    good = write_dossiers(tmp_path / "good.csv", [dossier("H1")])
    bad = tmp_path / "bad.csv"
    bad.write_bytes(good.read_bytes().replace("Tặng".encode(), "Tặng".encode("utf-16-le")))
    with pytest.raises(FileRejected) as err:
        import_dossiers(registry_engine, [good, bad], now=NOW)
    assert err.value.path == bad
    assert stored(registry_engine, "H1") is None


def test_non_utf8_file_is_rejected_with_its_line(registry_engine, tmp_path):
    path = write_dossiers(tmp_path / "d.csv", [dossier("H1"), dossier("H2", procedure_name="Café")])
    path.write_bytes(path.read_bytes().replace("é".encode(), "é".encode("latin-1")))
    with pytest.raises(FileRejected) as err:
        import_dossiers(registry_engine, [path], now=NOW)
    assert "dòng 3" in err.value.message_vi
    assert "UTF-8" in err.value.message_vi


def test_unknown_column_is_ignored_with_a_warning(registry_engine, tmp_path):
    path = write_dossiers(tmp_path / "d.csv", [dossier("H1")], columns=[*ALL_COLUMNS, "ghi_chu"])
    summary = import_dossiers(registry_engine, [path], now=NOW)
    assert summary.inserted == 1
    assert any("ghi_chu" in w for w in summary.warnings)
    assert "ghi_chu" in summary.format_vi()


def test_file_with_only_required_columns_is_imported(registry_engine, tmp_path):
    columns = ["dossier_code", "agency_code", "procedure_code", "channel", "status", "received_at", "due_at"]
    path = write_dossiers(tmp_path / "d.csv", [dossier("H1", status="4")], columns=columns)
    summary = import_dossiers(registry_engine, [path], now=NOW)
    assert summary.inserted == 1
    row = stored(registry_engine, "H1")
    assert (row.supplement_count, row.supplement_days, row.has_fee, row.updated_at) == (0, 0.0, None, NOW)


# --- volume -----------------------------------------------------------------------------


def test_twenty_thousand_rows_import_with_a_correct_summary(registry_engine, tmp_path):
    rows, bad = generated_rows(20_000, bad_every=97)
    path = write_dossiers(tmp_path / "big.csv", rows)
    seen = []

    summary = import_dossiers(registry_engine, [path], progress=seen.append, batch_size=3000, now=NOW)

    n_bad = sum(bad.values())
    assert n_bad == 20_000 // 97
    assert (summary.rows_read, summary.inserted, summary.quarantined) == (20_000, 20_000 - n_bad, n_bad)
    assert (summary.updated, summary.unchanged, summary.stale) == (0, 0, 0)
    assert dict(summary.rule_counts) == {k: v for k, v in bad.items() if v}
    assert sum(seen) == 20_000 and len(seen) == 7
    with registry_engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(dossiers)).scalar_one() == 20_000 - n_bad
        assert conn.execute(select(func.count()).select_from(quarantine)).scalar_one() == n_bad
        run_row = conn.execute(select(import_runs).where(import_runs.c.kind == "dossiers")).one()
    assert (run_row.status, run_row.rows_read, run_row.inserted, run_row.quarantined) == (
        "done",
        20_000,
        20_000 - n_bad,
        n_bad,
    )
    assert_aggregates_match_dossiers(registry_engine)

    again = import_dossiers(registry_engine, [path], batch_size=3000, now=NOW)
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 20_000 - n_bad)


def test_generated_rows_break_exactly_the_announced_rules():
    rows, bad = generated_rows(40, bad_every=5)
    assert sum(bad.values()) == 8
    assert [r["status"] for r in rows].count("11") == bad["invalid_status"]
    assert [r["agency_code"] for r in rows].count("KHONGCO") == bad["unknown_agency"]
