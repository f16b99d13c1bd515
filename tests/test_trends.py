"""Monthly trends and ranks on the registry of test_stats_kpis, August–October 2025.

After 2025-07-01 district 502 holds the new communes 20335 and 20341, district 503 the
commune 20400, district 504 the commune 20500. Every number below was counted by hand.
"""

from __future__ import annotations

import pytest

from dossier_stats.bieu06.unit import resolve_unit
from dossier_stats.trends import (
    MonthPoint,
    RankPoint,
    competition_ranks,
    month_range,
    monthly_ranks,
    parent_unit,
    unit_trends,
)
from tests.test_stats_kpis import load_sample

# (code, agency label, status, channel, received, due, finished) — how it counts.
TREND_DOSSIERS = [
    ("t01", "NEW_20341", 10, 2, "2025-08-04", "2025-08-10", "2025-08-08"),  # Aug, early
    ("t02", "NEW_20341", 9, 1, "2025-08-05", "2025-08-10", "2025-08-12"),  # Aug, late
    ("t03", "NEW_20335", 9, 1, "2025-08-06", "2025-08-20", "2025-08-20"),  # Aug, on time
    ("t04", "NEW_20400", 10, 2, "2025-08-07", "2025-08-15", "2025-08-14"),  # Aug, early (503)
    ("t05", "NEW_20500", 9, 1, "2025-08-08", "2025-08-15", "2025-08-16"),  # Aug, late (504)
    ("t06", "NEW_20341", 4, 2, "2025-09-02", "2025-09-10", None),  # Sep, pending overdue
    ("t07", "NEW_20400", 10, 1, "2025-09-03", "2025-09-10", "2025-09-09"),  # Sep, early (503)
    ("t08", "NEW_20500", 10, 1, "2025-09-04", "2025-09-10", "2025-09-08"),  # Sep, early (504)
    ("t09", "NEW_20335", 7, 2, "2025-10-01", "2025-10-10", "2025-10-02"),  # Oct, withdrawn: on time
    ("t10", "NEW_20400", 9, 2, "2025-10-02", "2025-10-05", "2025-10-09"),  # Oct, late (503)
    ("t11", "NEW_20500", 9, 1, "2025-10-03", "2025-10-10", "2025-10-10"),  # Oct, on time (504)
    ("t12", "SNV", 9, 1, "2025-08-11", "2025-08-20", "2025-08-19"),  # Aug, early
    ("t13", "STC_v2", 9, 2, "2025-08-12", "2025-08-20", "2025-08-25"),  # Aug, late
]
MONTHS = [202508, 202509, 202510]


@pytest.fixture
def conn(db_engine):
    load_sample(db_engine, TREND_DOSSIERS)
    with db_engine.connect() as connection:
        yield connection


def test_month_range_ends_with_the_given_month_across_a_year():
    assert month_range(202502, 3) == [202412, 202501, 202502]
    assert len(month_range(202512)) == 24
    assert month_range(202512)[0] == 202401
    with pytest.raises(ValueError, match="Tháng không hợp lệ"):
        month_range(202513)


def test_competition_ranks_share_a_rank_and_skip_the_next():
    values = {"a": 0.9, "b": 0.8, "c": 0.8, "d": 0.7, "e": None}
    assert competition_ranks(values, higher_is_better=True) == {"a": 1, "b": 2, "c": 2, "d": 4, "e": None}
    assert competition_ranks(values, higher_is_better=False) == {"a": 4, "b": 2, "c": 2, "d": 1, "e": None}
    assert competition_ranks({}, higher_is_better=True) == {}


def test_commune_series_with_its_district_and_the_province(conn):
    trends = unit_trends(conn, resolve_unit(conn, "20341"), 202510, months=3)
    assert trends.months == MONTHS
    assert trends.unit.points == [
        MonthPoint(202508, received=2, resolved=2, on_time_rate=1 / 2),  # t01 early, t02 late
        MonthPoint(202509, received=1, resolved=0, on_time_rate=None),  # t06 pending
        MonthPoint(202510, received=0, resolved=0, on_time_rate=None),
    ]
    assert trends.parent is not None and trends.parent.unit.code == "502"
    assert trends.parent.points == [
        MonthPoint(202508, received=3, resolved=3, on_time_rate=2 / 3),  # + t03 on time
        MonthPoint(202509, received=1, resolved=0, on_time_rate=None),
        MonthPoint(202510, received=1, resolved=1, on_time_rate=1.0),  # t09 withdrawn = on time
    ]
    assert trends.province.unit.kind == "province"
    assert trends.province.points == [
        MonthPoint(202508, received=7, resolved=7, on_time_rate=4 / 7),  # t01 t03 t04 t12 of t01–t05 t12 t13
        MonthPoint(202509, received=3, resolved=2, on_time_rate=1.0),  # t07 t08
        MonthPoint(202510, received=3, resolved=3, on_time_rate=2 / 3),  # t09 t11 of t09–t11
    ]


def test_district_rank_on_time_rate_with_ties_and_unranked_months(conn):
    ranks = monthly_ranks(conn, resolve_unit(conn, "502"), MONTHS, "on_time_rate")
    assert ranks == [
        RankPoint(202508, value=2 / 3, rank=2, of=3),  # 503: 1.0, 502: 2/3, 504: 0
        RankPoint(202509, value=None, rank=None, of=2),  # nothing resolved at 502; 503 and 504 tie at 1.0
        RankPoint(202510, value=1.0, rank=1, of=3),  # 502 and 504 at 1.0 share rank 1, 503 (0) is third
    ]
    assert monthly_ranks(conn, resolve_unit(conn, "503"), MONTHS)[2] == RankPoint(202510, 0.0, 3, 3)


def test_rank_on_a_count_where_fewer_is_better(conn):
    ranks = monthly_ranks(conn, resolve_unit(conn, "502"), [202509], "pending_overdue")
    # End of September: 502 has t06 overdue; 503 and 504 none → 1, 1, 3.
    assert ranks == [RankPoint(202509, value=1.0, rank=3, of=3)]
    assert monthly_ranks(conn, resolve_unit(conn, "504"), [202509], "pending_overdue")[0].rank == 1


def test_commune_ranks_among_the_communes_of_its_district(conn):
    ranks = monthly_ranks(conn, resolve_unit(conn, "20341"), MONTHS)
    assert ranks == [
        RankPoint(202508, value=0.5, rank=2, of=2),  # 20335: 1.0
        RankPoint(202509, value=None, rank=None, of=0),  # 20341 only pending, 20335 no dossier
        RankPoint(202510, value=None, rank=None, of=1),  # 20335: t09
    ]


def test_department_ranks_among_departments_and_has_the_province_as_parent(conn):
    unit = resolve_unit(conn, "SNV")
    assert monthly_ranks(conn, unit, [202508]) == [RankPoint(202508, 1.0, 1, 2)]  # STC: t13 late
    assert parent_unit(conn, unit).kind == "province"
    assert parent_unit(conn, resolve_unit(conn, "502")).kind == "province"
    assert parent_unit(conn, resolve_unit(conn, None)) is None


def test_the_province_has_no_parent_and_no_rank(conn):
    trends = unit_trends(conn, resolve_unit(conn, None), 202510, months=3)
    assert trends.parent is None
    assert trends.ranks == []
    assert trends.unit.points == trends.province.points


def test_unknown_metric_is_refused(conn):
    with pytest.raises(ValueError, match="Chỉ tiêu không hợp lệ"):
        unit_trends(conn, resolve_unit(conn, "502"), 202510, metric="speed")
