"""Departments over time (issue 13): the 2025 mergers in the registry and the successions
file, rankings per period listing only the agencies valid then, trends that follow the
successor chain and mark the break (SQLite and PostgreSQL)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from db.schema_editions import agency_successions
from dossier_stats import kpis
from dossier_stats.bieu06.unit import resolve_unit
from dossier_stats.periods import Period
from dossier_stats.successions import chain_codes
from dossier_stats.trends import unit_trends
from importer.dossiers import import_dossiers
from importer.successions import SuccessionFileError, import_successions
from layouts.home.details.trends import trend_figure
from tests.import_fixtures import dossier, write_dossiers

ABOLISHED_MARCH_2025 = {"SKHDT", "SGTVT", "STNMT", "SNNPTNT", "STTTT", "SLDTBXH", "BDT"}


@pytest.fixture
def registry(registry_db: Engine) -> Engine:
    return registry_db


def test_rankings_of_a_period_list_only_the_departments_valid_then(registry: Engine) -> None:
    with registry.connect() as conn:
        in_2026 = {u.code for u in kpis.department_kpis(conn, Period("year", 2026, 0))}
        in_2024 = {u.code for u in kpis.department_kpis(conn, Period("year", 2024, 0))}
        in_april_2025 = {u.code for u in kpis.department_kpis(conn, Period("month", 2025, 4))}
    assert not in_2026 & ABOLISHED_MARCH_2025
    assert {"SNNMT", "SDTTG", "STC", "SXD", "SNV"} <= in_2026
    assert in_2024 >= ABOLISHED_MARCH_2025 and not {"SNNMT", "SDTTG"} & in_2024
    assert not in_april_2025 & ABOLISHED_MARCH_2025


def test_the_shipped_successions_follow_decree_45_and_the_province_merger(registry: Engine) -> None:
    with registry.connect() as conn:
        rows = conn.execute(select(agency_successions)).all()
        assert set(chain_codes(conn, "SNNMT")) == {"SNNMT", "STNMT", "SNNPTNT"}
        assert set(chain_codes(conn, "STC")) == {"STC", "SKHDT"}
        assert set(chain_codes(conn, "SYT")) == {"SYT"}  # a partial transfer is marked, not added
        assert set(chain_codes(conn, "SNV")) == {"SNV", "SLDTBXH"}
    assert {r.predecessor_code for r in rows if str(r.from_date) == "2025-03-01"} == ABOLISHED_MARCH_2025


def test_a_trend_across_the_merger_follows_the_chain_and_marks_the_break(
    registry: Engine, tmp_path: Path
) -> None:
    rows = [
        dossier(f"KH-{i}", agency_code="SKHDT", received_at="2025-01-06T09:00:00", due_at="2025-01-20",
                finished_at="2025-01-10T09:00:00", updated_at="2025-01-10T09:00:00+07:00")
        for i in range(3)
    ] + [
        dossier(f"TC-{i}", agency_code="STC", received_at="2025-04-07T09:00:00", due_at="2025-04-20",
                finished_at="2025-04-10T09:00:00", updated_at="2025-04-10T09:00:00+07:00")
        for i in range(2)
    ]  # fmt: skip
    for row in rows:
        row["submitted_at"] = row["received_at"]
    import_dossiers(registry, [write_dossiers(tmp_path / "d.csv", rows)])
    with registry.connect() as conn:
        trends = unit_trends(conn, resolve_unit(conn, "STC"), 202504, months=4)
    received = {p.month: p.received for p in trends.unit.points}
    assert received == {202501: 3, 202502: 0, 202503: 0, 202504: 2}
    assert [b.month for b in trends.breaks] == [202503]
    assert "01/03/2025" in trends.breaks[0].text and "Kế hoạch và Đầu tư" in trends.breaks[0].text
    figure = trend_figure(trends)  # the chart marks it with a dashed line on 01/03/2025
    assert [shape["x0"] for shape in figure["layout"]["shapes"]] == ["2025-03-01"]


def test_a_bad_successions_file_is_refused_whole_with_each_problem(registry: Engine, tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    path.write_text(
        "predecessor_code,successor_code,from_date,part,note\n"
        "SKHDT,STC,2025-03-01,full,\n"
        "SKHDT,SXYZ,2025-03-01,full,\n"
        "SGTVT,SXD,01/03/2025,full,\n"
        "STTTT,SKHCN,2025-03-01,một phần,\n",
        encoding="utf-8",
    )
    with pytest.raises(SuccessionFileError) as caught:
        import_successions(registry, path)
    message = str(caught.value)
    assert "dòng 3" in message and "SXYZ" in message
    assert "dòng 4" in message and "01/03/2025" in message
    assert "dòng 5" in message and "một phần" in message
    with registry.connect() as conn:  # nothing applied: the shipped rows are still there
        assert len(conn.execute(select(agency_successions)).all()) > 20


def test_dossiers_of_a_merged_department_count_once_for_its_successor_in_rankings(
    registry: Engine, tmp_path: Path
) -> None:
    """Sở Kế hoạch và Đầu tư ended on 28/02/2025 (merged into Sở Tài chính): its dossier
    received in February and finished in April, and one still open, count in Q2 2025 for Sở
    Tài chính, the department that holds them — in the dossier KPIs and the 766 index — each
    once: the department rows add up to every department's dossiers."""
    from dossier_stats.editions import edition_breakdown
    from dossier_stats.index766.results import index766_for_agencies

    rows = [
        dossier("KH-APR", agency_code="SKHDT", submitted_at="2025-02-20T08:00:00",
                received_at="2025-02-20T09:00:00", due_at="2025-04-10",
                finished_at="2025-04-08T09:00:00", updated_at="2025-04-08T09:00:00+07:00"),
        dossier("KH-OPEN", agency_code="SKHDT", submitted_at="2025-02-24T08:00:00",
                received_at="2025-02-24T09:00:00", due_at="2025-03-10",
                status="4", finished_at="", updated_at="2025-02-24T09:00:00+07:00"),
        dossier("TC-MAY", agency_code="STC", submitted_at="2025-05-05T08:00:00",
                received_at="2025-05-05T09:00:00", due_at="2025-05-20",
                finished_at="2025-05-15T09:00:00", updated_at="2025-05-15T09:00:00+07:00"),
    ]  # fmt: skip
    assert import_dossiers(registry, [write_dossiers(tmp_path / "d.csv", rows)]).inserted == 3
    q2 = Period("quarter", 2025, 2)
    with registry.connect() as conn:
        departments = {u.code: u.kpis for u in kpis.department_kpis(conn, q2)}
        every = edition_breakdown(conn, q2, "quang-nam-2020")["department"]
        index = {r.code: r for r in index766_for_agencies(conn, q2) if r.kind == "department"}
    assert "SKHDT" not in departments and "SKHDT" not in index
    stc = departments["STC"]
    assert (stc.carried_over, stc.received_new, stc.resolved_total, stc.pending_total) == (2, 1, 2, 1)
    total = departments["STC"]
    for code, k in departments.items():
        if code != "STC":
            total = total + k
    assert total == every  # each dossier once, all of them in a listed department
    assert index["STC"].counts.handled == 3  # KH-APR, KH-OPEN (late at June 30) and TC-MAY
