"""Scores from the database: units per group and year, per-agency dossier KPIs, the
service's results / scorecards / map values, its cache per change key, and the export.

Dossier KPIs come from agency_month_stats rows written here (what the importer
maintains); every expected number is computed by hand in the comments.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import insert

from clock import now_local
from db.schema import agency_month_stats
from dossier_stats.agency_kpis import agency_kpis
from dossier_stats.aggregates import STAT_COLUMNS
from dossier_stats.kpis import Kpis, department_kpis
from dossier_stats.periods import Period
from importer.runs import bump_data_state
from scoring.export import write_results
from scoring.service import ScoringService
from scoring.survey_adjustments import set_survey_results
from scoring.units import scored_units
from scoring.versions import get_version
from scoring.workflow import Appraisal, SelfAssessment, lock_self_assessment, set_appraisal1, set_appraisal2
from scoring.workflow import set_self_assessment as self_assess
from tests.test_scoring_definition import commune_mapping, small_mapping
from tests.test_scoring_workflow import APPRAISER, UNIT, load_small_registry, staff, store

YEAR = Period("year", 2025, 0)


def month_row(agency_id: int, month: int, **counts: int) -> dict:
    return {"agency_id": agency_id, "month": month, **{c: counts.get(c, 0) for c in STAT_COLUMNS}}


@pytest.fixture
def ids(db_engine):
    ids = load_small_registry(db_engine)
    snv, stp = ids[("SNV", "2020-01-01")], ids[("STP", "2020-01-01")]
    old_20335, new_20335 = ids[("20335", "2020-06-01")], ids[("20335", "2025-07-01")]
    with db_engine.begin() as conn:
        conn.execute(
            insert(agency_month_stats),
            [
                # SNV 2025: 49 of 50 resolved early or on time (98 %), 35 of 100 online (35 %)
                month_row(snv, 202503, resolved_early=30, resolved_on_time=19, resolved_late=1),
                month_row(snv, 202504, received_online=35, received_direct=60, received_postal=5),
                # STP 2025: 979 of 1000 on time (97.9 %), 50 % online
                month_row(
                    stp,
                    202506,
                    resolved_on_time=979,
                    resolved_late=21,
                    received_online=50,
                    received_direct=50,
                ),
                # SNV 2024: only late dossiers (0 % on time)
                month_row(snv, 202411, resolved_late=4),
                # old commune 20335 (until 2025-06-30): 10 late; new 20335 (from 2025-07-01): 49 of 50
                month_row(old_20335, 202503, resolved_late=10),
                month_row(new_20335, 202509, resolved_on_time=49, resolved_late=1),
            ],
        )
    return ids


@pytest.fixture
def service(db_engine, ids):
    for group in ("departments", "districts"):
        store(db_engine, small_mapping(group))
    store(db_engine, commune_mapping())
    store(db_engine, small_mapping("departments", 2024))
    store(db_engine, commune_mapping(2024))
    return ScoringService(db_engine)


def test_units_scored_per_group_and_year(db_engine, ids):
    with db_engine.connect() as conn:
        codes = {
            g: [u.code for u in scored_units(conn, g, 2025)] for g in ("departments", "districts", "communes")
        }
        communes_2024 = scored_units(conn, "communes", 2024)
        new_commune = next(u for u in scored_units(conn, "communes", 2025) if u.code == "20335")
    assert codes == {
        "departments": ["SKHDT", "SNV", "STP"],  # SCU ended in 2024; SKHDT valid until 2025-02-28
        "districts": ["502", "503"],  # Nông Sơn (519) ended in 2024
        "communes": ["20335", "20341"],  # valid on 2025-12-31
    }
    assert [(u.code, u.name) for u in communes_2024] == [("20335", "UBND phường Tân Thạnh")]
    assert (new_commune.name, new_commune.map_code, new_commune.since.isoformat()) == (
        "UBND phường Bàn Thạch",
        "20335",
        "2025-07-01",
    )


def test_agency_kpis_match_the_department_kpis_and_tell_reused_codes_apart(db_engine, ids):
    with db_engine.connect() as conn:
        by_agency = agency_kpis(conn, YEAR, "department")
        departments = {u.code: u.kpis for u in department_kpis(conn, YEAR) if u.kpis != Kpis()}
        at_year_end = agency_kpis(conn, YEAR, "commune", valid_on=YEAR.end)
        all_year = agency_kpis(conn, YEAR, "commune")
    assert by_agency == departments
    assert by_agency["SNV"].on_time_rate == pytest.approx(0.98)
    assert by_agency["SNV"].resolved_late == 1  # the 2024 late dossiers are not flows of 2025
    # code 20335: the new commune only when asked for those valid on 2025-12-31
    assert at_year_end["20335"] == Kpis(resolved_on_time=49, resolved_late=1)
    assert all_year["20335"] == Kpis(resolved_on_time=49, resolved_late=11)


def test_results_by_rank_with_auto_points_from_the_dossiers(service):
    rows = service.results(2025, "departments")
    # nothing entered, no survey: counted maximum 80, rescaled × 100/80
    # SKHDT: no dossiers → 30 + 10 = 40 → 50;  SNV: 30 (98 %) + 5 (35 %) = 35 → 43.75
    # STP: 15 (97.9 %) + 10 (50 %) = 25 → 31.25
    assert [(r.rank, r.unit_code, r.total, r.grade, r.provisional, r.survey_missing) for r in rows] == [
        (1, "SKHDT", 50, "Trung bình", True, True),
        (2, "SNV", 43.75, "Yếu", True, True),
        (3, "STP", 31.25, "Yếu", True, True),
    ]
    assert rows[1].area_points == {"1": 0, "2": 35, "3": 0}
    assert rows[1].group_label == "Sở, ban, ngành"
    assert service.results(2030, "departments") == []


def test_new_commune_is_scored_on_its_own_dossiers_with_no_previous_year(service):
    rows = {r.unit_code: r for r in service.results(2025, "communes")}
    # new 20335: 49/50 = 98 % → 25; no online data → 10; 35 of 70 counted → 50
    assert rows["20335"].area_points["2"] == 35
    assert rows["20335"].total == 50
    card = service.scorecard("20335", 2025)
    assert card is not None and card.group == "communes"
    assert card.previous is None  # 2024's 20335 was the old commune Tân Thạnh
    assert all(line.previous_points is None for line in card.areas)
    assert service.scorecard("NOPE", 2025) is None


def test_cache_recomputes_only_when_something_changed(db_engine, service, ids):
    assert service.results(2025, "departments")[1].total == 43.75
    service.results(2025, "departments")
    assert service.computations == 1
    with db_engine.begin() as conn:  # a score entered: SNV 1.1.1 = 20 → (35 + 20) × 100/80 = 68.75
        version = get_version(conn, 2025, "departments")
        self_assess(conn, version, "SNV", [SelfAssessment("1.1.1", 20)], UNIT)
    assert {r.unit_code: r.total for r in service.results(2025, "departments")}["SNV"] == 68.75
    assert service.computations == 2
    with db_engine.begin() as conn:  # dossiers imported: SNV now 49 of 60 on time (81.7 %) → 0
        conn.execute(
            insert(agency_month_stats), [month_row(ids[("SNV", "2020-01-01")], 202510, resolved_late=10)]
        )
        bump_data_state(conn, now_local())
    assert {r.unit_code: r.total for r in service.results(2025, "departments")}[
        "SNV"
    ] == 31.25  # (5 + 20) × 1.25
    assert service.computations == 3


def snv_self_assessed_and_locked(conn):
    """SNV's 2025 version after its self-assessment of 1.1.1 (24, evidence QĐ 5) and 1.1.2 (15), locked."""
    version = get_version(conn, 2025, "departments")
    self_assess(
        conn, version, "SNV", [SelfAssessment("1.1.1", 24, "QĐ 5"), SelfAssessment("1.1.2", 15)], UNIT
    )
    lock_self_assessment(conn, version, "SNV", UNIT)
    return version


def test_scorecard_tree_with_steps_lost_points_and_previous_year(db_engine, service):
    with db_engine.begin() as conn:
        version = snv_self_assessed_and_locked(conn)
        set_appraisal1(conn, version, "SNV", [Appraisal("1.1.1", 18), Appraisal("1.1.2", 12)], APPRAISER)
        set_appraisal2(conn, version, "SNV", [Appraisal("1.1.1", 20)], APPRAISER)
        set_survey_results(conn, version, "SNV", {"3.1.1": 10, "3.1.2": 6}, APPRAISER)
    card = service.scorecard("SNV", 2025)
    assert card is not None
    # 20 (final) + 12 (appraisal 1, provisional) + 35 + 16 = 83
    assert (card.total, card.percent, card.grade, card.rank, card.rank_count) == (83, 83, "Tốt", 1, 3)
    assert card.provisional and card.self_locked and not card.survey_missing
    area1 = card.areas[0]
    assert (
        area1.max,
        area1.points,
        area1.lost,
        area1.self_points,
        area1.appraisal1_points,
        area1.final_points,
    ) == (
        40,
        32,
        8,
        39,
        30,
        20,
    )
    s111, s112 = area1.children[0].children
    assert (s111.points, s111.stage, s111.provisional, s111.evidence, s111.lost) == (
        20,
        "final",
        False,
        "QĐ 5",
        5,
    )
    assert (s112.points, s112.stage, s112.provisional) == (12, "appraisal1", True)
    auto = card.areas[1].children[0].children[0]
    assert auto.auto_explanation is not None and "98% ≥ 98%" in auto.auto_explanation
    # 2024: SNV had 0 % on time → 0, no online data → 10: 10 of 80 counted → 12.5
    assert card.previous is not None
    assert (card.previous.year, card.previous.total) == (2024, 12.5)
    assert card.percent_change == 70.5
    assert card.areas[1].children[0].children[0].previous_points == 0


def test_map_values_per_polygon_groups_and_unit_lookup(service):
    totals = service.map_values(2025, "communes")
    assert set(totals) == {"20335", "20341"}
    assert totals["20335"] == 50
    assert service.map_values(2025, "communes", area="2") == {"20335": 35, "20341": 35}
    assert set(service.map_values(2025, "districts")) == {"502", "503"}
    with pytest.raises(ValueError, match="không có trên bản đồ"):
        service.map_values(2025, "departments")
    assert service.years() == [2025, 2024]
    assert service.groups(2025) == ["departments", "districts", "communes"]
    assert service.groups(2024) == ["departments", "communes"]
    assert service.unit_group("502", 2025) == "districts"
    assert service.unit_group("STP", 2025) == "departments"


def test_export_xlsx_and_csv_hold_the_results_table(service, tmp_path: Path):
    tables = [service.results_table(2025, g) for g in service.groups(2025)]
    xlsx = write_results(tables, "xlsx", tmp_path / "kq.xlsx")
    wb = load_workbook(xlsx)
    assert wb.sheetnames == ["Sở, ban, ngành", "UBND cấp huyện", "UBND cấp xã"]
    ws = wb["Sở, ban, ngành"]
    header = [c.value for c in ws[4]]
    assert header[:5] == ["Xếp hạng", "Mã đơn vị", "Tên đơn vị", "Nhóm", "1. Lĩnh vực 1 (tối đa 40)"]
    assert header[-6:] == ["Điểm thưởng", "Điểm trừ", "Tổng điểm", "Tỷ lệ (%)", "Xếp loại", "Ghi chú"]
    assert [c.value for c in ws[6]][:3] == [2, "SNV", "Sở Nội vụ"]
    assert [c.value for c in ws[6]][-4:-1] == [43.75, 43.75, "Yếu"]
    path = write_results(tables, "csv", tmp_path / "kq.csv")
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 3 + 2 + 2
    snv = next(r for r in rows if r["Mã đơn vị"] == "SNV")
    assert (snv["Xếp hạng"], snv["Lĩnh vực 2"], snv["Tổng điểm"], snv["Xếp loại"]) == (
        "2",
        "35.0",
        "43.75",
        "Yếu",
    )
    assert "Tạm tính" in snv["Ghi chú"]


def test_history_of_a_unit_lists_every_recorded_change_of_its_year(db_engine, service):
    with db_engine.begin() as conn:
        version = snv_self_assessed_and_locked(conn)
        set_appraisal1(conn, version, "SNV", [Appraisal("1.1.1", 18)], APPRAISER)
        self_assess(
            conn, get_version(conn, 2025, "districts"), "502", [SelfAssessment("1.1.1", 5)], staff("502")
        )
    changes = service.history("SNV", 2025, "departments")
    fields = [(c.item_code, c.field, c.old_value, c.new_value, c.changed_by) for c in changes]
    assert ("1.1.1", "self_points", None, "24.0", UNIT.name) in fields
    assert ("1.1.1", "evidence", None, "QĐ 5", UNIT.name) in fields
    assert (None, "self_locked", "false", "true", UNIT.name) in fields
    assert ("1.1.1", "appraisal1_points", None, "18.0", APPRAISER.name) in fields
    assert all(c.unit_code == "SNV" for c in changes)  # not the district's change
    assert service.history("SNV", 2024, "departments") == []
