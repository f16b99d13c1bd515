"""AnalysisService (benchmarks against the parent, comparison of two periods, worsening,
finding a unit) and the unit search, on both backends.

The data set: in district 502, commune 20341 resolves 40 dossiers a month from June to
September 2025 with 38, 34, 30, 26 of them early (95 %, 85 %, 75 %, 65 %); commune 20335
40 a month, 20 early (50 %); the district committee 40 a month, all early.
"""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import insert

from db.schema import dossiers
from dossier_stats.aggregates import apply_changes
from dossier_stats.analysis import AnalysisService
from dossier_stats.periods import Period
from dossier_stats.service import StatsService
from dossier_stats.unit_search import MapUnit, find_units, fold
from tests.test_bieu06_properties import registry_ids, rows_for
from tests.test_stats_kpis import _facts

MONTHS = (6, 7, 8, 9)
EARLY = {"NEW_20341": (38, 34, 30, 26), "NEW_20335": (20, 20, 20, 20), "D502": (40, 40, 40, 40)}
SEPTEMBER, AUGUST = Period("month", 2025, 9), Period("month", 2025, 8)


def _load(engine) -> None:
    specs = []
    for label, early in EARLY.items():
        if label == "D502":
            # The old district committee ends on 30/06/2025: its dossiers stay in June.
            early = (40, 0, 0, 0)
        for month, n_early in zip(MONTHS, early, strict=True):
            total = 40 if label != "D502" or month == 6 else 0
            for i in range(total):
                received = date(2025, month, 2)
                due = date(2025, month, 20)
                finished = date(2025, month, 10 if i < n_early else 25)
                specs.append(
                    {
                        "label": label,
                        "status": 9,
                        "channel": 2,
                        "received": received,
                        "due": due,
                        "finished": finished,
                        "sector": None,
                    }
                )
    with engine.begin() as conn:
        rows = rows_for(specs, registry_ids(conn))
        conn.execute(insert(dossiers), rows)
        apply_changes(conn, [], [_facts(r) for r in rows])


@pytest.fixture
def analysis(db_engine) -> AnalysisService:
    _load(db_engine)
    return AnalysisService(StatsService(db_engine, "49", today=lambda: date(2025, 10, 1)))


def test_communes_are_judged_against_their_district_with_wilson_intervals(analysis):
    table = analysis.unit_table(SEPTEMBER, "on_time_rate", "commune", "502")
    assert (table.parent_code, table.parent_name) == ("502", "Thành phố Tam Kỳ")
    assert table.parent_value == pytest.approx(46 / 80 * 100)  # 26 + 20 of 80
    rows = {r.code: r for r in table.rows}
    # 20341: 26/40 = 65 %, Wilson 49.5–77.9 % holds 57.5 %; 20335: 20/40 = 50 %, 35.2–64.8 %.
    assert rows["20341"].benchmark.judgement == "similar"
    assert rows["20341"].benchmark.interval == pytest.approx((49.51, 77.87), abs=0.01)
    assert rows["20335"].benchmark.judgement == "similar"
    assert [r.code for r in table.rows] == ["20341", "20335"]
    assert (table.as_of.day, table.as_of.running) == (date(2025, 9, 30), False)


def test_districts_are_judged_against_the_province_and_compared_with_a_second_period(analysis):
    table = analysis.unit_table(Period("month", 2025, 6), "on_time_rate", "commune", "502", compare=None)
    rows = {r.code: r for r in table.rows}
    # June: parent 502 = (38 + 20 + 40) / 120 = 81.7 %; 20335 at 50 % (35.2–64.8 %) is worse,
    # 20341 at 95 % (83.5–98.6 %) is better.
    assert (rows["20335"].benchmark.judgement, rows["20341"].benchmark.judgement) == ("worse", "better")
    compared = analysis.unit_table(SEPTEMBER, "on_time_rate", "commune", "502", compare=AUGUST)
    change = {r.code: r for r in compared.rows}
    assert change["20341"].value_before == pytest.approx(75.0)
    assert change["20341"].change == pytest.approx(-10.0)  # percentage points
    assert (change["20341"].rank, change["20341"].rank_before, change["20341"].rank_change) == (1, 1, 0)
    assert compared.compare == AUGUST and compared.compare_as_of.day == date(2025, 8, 31)  # type: ignore[union-attr]
    districts = analysis.unit_table(SEPTEMBER, "received", "district")
    assert districts.parent_code is None and districts.parent_name == "Tỉnh Quảng Nam"
    assert {r.benchmark.judgement for r in districts.rows} == {"none"}  # counts: no judgement


def test_a_unit_that_worsened_three_months_in_a_row_is_found(analysis):
    found = analysis.worsening(SEPTEMBER, "on_time_rate", "commune", "502")
    assert [(w.code, w.values) for w in found] == [("20341", (95.0, 85.0, 75.0, 65.0))]
    assert [p.key for p in found[0].periods] == ["2025-06", "2025-07", "2025-08", "2025-09"]
    assert analysis.worsening(SEPTEMBER, "received", "commune", "502") == []


def test_find_units_accent_insensitive_on_the_shipped_map(registry_db):
    analysis = AnalysisService(StatsService(registry_db, "49"))
    found = analysis.find_units("tien phuoc")
    assert [(m.unit.name, m.unit.level) for m in found[:2]] == [
        ("Huyện Tiên Phước", "district"),
        ("Xã Tiên Phước", "commune"),
    ]
    assert analysis.find_units("DIEN BAN")[0].unit.name == "Thị xã Điện Bàn"
    assert all("Điện Bàn" in m.unit.name for m in analysis.find_units("điện bàn"))
    assert analysis.find_units("   ") == []


def test_fold_and_ranking_of_matches():
    assert fold("Huyện Tiên Phước") == "huyen tien phuoc"
    assert fold("ĐẠI LỘC – Đà Nẵng") == "dai loc da nang"
    assert fold("Xã Trà Đốc") == fold("xa tra doc")
    units = [
        MapUnit("1", "Xã Tiên Lãnh", "commune", "505"),
        MapUnit("2", "Xã Tiên Phước", "commune", "505"),
        MapUnit("505", "Huyện Tiên Phước", "district", "49"),
        MapUnit("3", "Phường Phước Hòa", "commune", "502"),
    ]
    assert [m.unit.code for m in find_units("tien phuoc", units)] == ["505", "2"]
    assert [m.unit.code for m in find_units("phuoc", units)] == ["505", "3", "2"]  # word starts only
    assert [m.unit.code for m in find_units("505", units)] == ["505"]  # a code
    assert find_units("hanoi", units) == []
