"""`refresh`: dossiers written directly into the database by the processing system are
taken into the aggregates incrementally by updated_at, idempotently, with the dates and
agency re-derived; data_state moves only when something changed."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import delete, insert, select, update

import cli
from db.schema import agencies, agency_month_stats, dossiers, import_runs, quarantine
from db.schema_stats import agency_month_766, agency_procedure_month, dossier_facts, refresh_state
from dossier_stats import kpis
from dossier_stats.periods import Period
from importer.dossiers import import_dossiers
from importer.refresh import refresh
from importer.runs import data_version
from tests.import_fixtures import dossier, registry_database, write_dossiers
from tests.test_aggregates_consistency import assert_aggregates_consistent

NOW = datetime(2026, 3, 1, 10, 0)
MARCH = Period.parse("2025-03")


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def registry(request, tmp_path_factory):
    """The shipped registry loaded once per backend for the module."""
    with registry_database(request.param, tmp_path_factory.mktemp("refresh")) as engine:
        yield engine


DOSSIER_TABLES = (
    dossier_facts,
    agency_month_766,
    agency_procedure_month,
    agency_month_stats,
    quarantine,
    dossiers,
)


@pytest.fixture
def engine(registry, tmp_path):
    """No dossier, no aggregate, no watermark; then three dossiers imported and refreshed."""
    with registry.begin() as conn:
        for table in DOSSIER_TABLES:
            conn.execute(delete(table))
        conn.execute(delete(import_runs).where(import_runs.c.kind != "agencies"))
        conn.execute(update(refresh_state).values(watermark=None, bootstrapped=True))
    rows = [
        dossier("H1"),  # SNV, resolved early in March 2025
        dossier("H2", status="4", finished_at="", due_at="2025-03-31"),  # pending within
        dossier("H3", status="4", finished_at="", due_at="2025-03-20"),  # pending overdue
    ]
    import_dossiers(registry, [write_dossiers(tmp_path / "d.csv", rows)], now=NOW - timedelta(days=1))
    refresh(registry, now=NOW)  # sets the watermark
    return registry


def version(engine) -> int:
    with engine.connect() as conn:
        return data_version(conn)


def march(engine) -> kpis.Kpis:
    with engine.connect() as conn:
        return kpis.province_kpis(conn, MARCH)


def stored(engine, code):
    with engine.connect() as conn:
        return conn.execute(select(dossiers).where(dossiers.c.dossier_code == code)).mappings().one()


def write(engine, code, **values) -> None:
    with engine.begin() as conn:
        conn.execute(update(dossiers).where(dossiers.c.dossier_code == code).values(**values))


def test_nothing_changed_means_no_new_version_and_no_work(engine):
    before = version(engine)
    for minutes in (1, 2):
        summary = refresh(engine, now=NOW + timedelta(minutes=minutes))
        assert not summary.changed
        assert (summary.inserted, summary.updated, summary.rederived) == (0, 0, 0)
        assert summary.version is None
        assert "giữ nguyên" in summary.format_vi()
    assert version(engine) == before


def test_a_direct_resolution_is_taken_in_with_its_dates_rederived(engine):
    before, kpis_before = version(engine), march(engine)
    # the processing system resolves H3 late and writes only the timestamps
    write(engine, "H3", status=10, finished_at=datetime(2025, 3, 25, 9), returned_at=datetime(2025, 3, 26, 9),
          updated_at=NOW + timedelta(minutes=1))  # fmt: skip
    summary = refresh(engine, now=NOW + timedelta(minutes=2))
    assert (summary.updated, summary.rederived) == (1, 1)
    assert stored(engine, "H3")["finished_on"] == date(2025, 3, 25)
    assert summary.version == before + 1 == version(engine)
    after = march(engine)
    assert (after.resolved_late, after.pending_overdue) == (kpis_before.resolved_late + 1, 0)
    assert_aggregates_consistent(engine)
    again = refresh(engine, now=NOW + timedelta(minutes=3))  # idempotent
    assert not again.changed and version(engine) == before + 1


def test_a_direct_change_of_another_column_bumps_the_version_without_touching_aggregates(engine):
    before = version(engine)
    write(engine, "H1", procedure_name="Tên mới", updated_at=NOW + timedelta(minutes=1))
    summary = refresh(engine, now=NOW + timedelta(minutes=2))
    assert (summary.updated, summary.newer) == (0, 1)
    assert summary.version == before + 1  # readers of the raw rows (lists, reports) must redraw
    assert not refresh(engine, now=NOW + timedelta(minutes=3)).changed


def test_rows_written_by_our_importer_do_not_bump_the_version_again(engine, tmp_path):
    rows = [dossier("H1", channel="3", updated_at="2026-03-01T10:05:00")]  # newer than the watermark
    import_dossiers(engine, [write_dossiers(tmp_path / "e.csv", rows)], now=NOW + timedelta(minutes=6))
    after_import = version(engine)
    summary = refresh(engine, now=NOW + timedelta(minutes=7))
    assert not summary.changed and version(engine) == after_import


def test_a_dossier_inserted_directly_gets_its_agency_from_code_and_date(engine):
    with engine.begin() as conn:
        on = date(2025, 3, 4)  # each department has a version per province, before and after 01/7/2025
        snv, stp = (
            conn.execute(
                select(agencies.c.id).where(
                    agencies.c.code == code, agencies.c.valid_from <= on, agencies.c.valid_to >= on
                )
            ).scalar_one()
            for code in ("SNV", "STP")
        )
        conn.execute(
            insert(dossiers).values(
                dossier_code="D1",
                agency_id=snv,  # wrong: the code says STP
                agency_code="STP",
                procedure_code="P",
                channel=2,
                status=4,
                received_at=datetime(2025, 3, 4, 8),
                due_at=datetime(2025, 3, 10),
                supplement_count=0,
                supplement_days=0.0,
                updated_at=NOW + timedelta(minutes=1),
                imported_at=NOW,
            )
        )
    summary = refresh(engine, now=NOW + timedelta(minutes=2))
    assert (summary.inserted, summary.rederived) == (1, 1)
    row = stored(engine, "D1")
    assert (row["agency_id"], row["received_on"], row["due_on"]) == (stp, date(2025, 3, 4), date(2025, 3, 10))
    assert march(engine).received_new == 4
    assert_aggregates_consistent(engine)


def test_an_unknown_agency_code_keeps_the_stored_agency_and_is_reported(engine):
    write(engine, "H2", agency_code="KHONGCO", channel=3, updated_at=NOW + timedelta(minutes=1))
    summary = refresh(engine, now=NOW + timedelta(minutes=2))
    assert summary.updated == 1 and summary.problems == 1
    assert stored(engine, "H2")["agency_id"] == stored(engine, "H1")["agency_id"]
    with engine.connect() as conn:
        run = conn.execute(select(import_runs).where(import_runs.c.id == summary.run_id)).mappings().one()
        entry = (
            conn.execute(select(quarantine).where(quarantine.c.import_run_id == summary.run_id))
            .mappings()
            .one()
        )
    assert run["kind"] == "refresh"
    assert entry["rule"] == "unknown_agency" and "KHONGCO" in entry["message"] and "H2" in entry["raw_row"]
    assert f"quarantine --run {summary.run_id}" in summary.format_vi()
    assert_aggregates_consistent(engine)


def test_changes_within_the_lag_before_the_watermark_are_read_older_ones_need_full(engine):
    with engine.connect() as conn:
        watermark = conn.execute(select(refresh_state.c.watermark)).scalar_one()
    write(engine, "H1", channel=3, updated_at=watermark - timedelta(minutes=5))  # committed late
    write(engine, "H2", channel=3, updated_at=watermark - timedelta(days=2))  # far behind
    summary = refresh(engine, now=NOW + timedelta(minutes=1), lag=timedelta(minutes=10))
    assert summary.updated == 1
    full = refresh(engine, now=NOW + timedelta(minutes=2), full=True)
    assert full.updated == 1
    assert_aggregates_consistent(engine)


def test_the_watermark_never_passes_now_nor_goes_back(engine):
    with engine.connect() as conn:
        watermark = conn.execute(select(refresh_state.c.watermark)).scalar_one()
    write(engine, "H1", channel=3, updated_at=datetime(2030, 1, 1))  # a clock far ahead
    summary = refresh(engine, now=NOW + timedelta(minutes=1))
    assert summary.updated == 1 and summary.watermark == watermark
    assert not refresh(engine, now=NOW + timedelta(minutes=2)).changed


def test_a_full_refresh_subtracts_deleted_dossiers(engine):
    with engine.begin() as conn:
        conn.execute(delete(dossiers).where(dossiers.c.dossier_code == "H2"))
    assert refresh(engine, now=NOW + timedelta(minutes=1)).removed == 0  # not visible by updated_at
    summary = refresh(engine, now=NOW + timedelta(minutes=2), full=True)
    assert summary.removed == 1 and summary.version is not None
    assert march(engine).received_new == 2
    assert_aggregates_consistent(engine)


def test_a_database_upgraded_with_dossiers_is_filled_once(engine):
    with engine.begin() as conn:
        conn.execute(delete(dossier_facts))
        conn.execute(update(refresh_state).values(bootstrapped=False))
    summary = refresh(engine, now=NOW + timedelta(minutes=1))
    assert summary.bootstrapped and summary.version is not None
    assert_aggregates_consistent(engine)
    assert not refresh(engine, now=NOW + timedelta(minutes=2)).bootstrapped


def test_cli_refresh_prints_what_it_did(tmp_path):
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}",
        "DATA_DIR": str(tmp_path / "data"),
        "APP_TODAY": "2026-01-15",
    }
    root = Path(cli.__file__).resolve().parent
    command = [sys.executable, str(root / "cli.py"), "refresh"]
    result = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "Hồ sơ đã đọc" in result.stdout and "Thời gian" in result.stdout
