"""Benchmarks with confidence, comparison of periods and worsening (dossier_stats/benchmark.py).

The Wilson score interval is checked against the published worked examples of
Newcombe RG (1998), "Two-sided confidence intervals for the single proportion: comparison
of seven methods", Statistics in Medicine 17(8):857–872, Table II, method 3 (score method
without continuity correction, Wilson 1927): 81/263 → 0.2553–0.3662, 15/148 →
0.0624–0.1605, 0/20 → 0–0.1611, 1/29 → 0.0061–0.1718.
"""

from __future__ import annotations

import pytest

from dossier_stats.benchmark import (
    MIN_DOSSIERS,
    benchmark,
    change,
    judge,
    unit_rows,
    wilson_interval,
    worsened,
)
from dossier_stats.kpis import Kpis, UnitKpis
from dossier_stats.metrics import METRICS

ON_TIME = METRICS["on_time_rate"]
OVERDUE = METRICS["pending_overdue"]
RECEIVED = METRICS["received"]


@pytest.mark.parametrize(
    ("successes", "trials", "low", "high"),
    [(81, 263, 0.2553, 0.3662), (15, 148, 0.0624, 0.1605), (0, 20, 0.0, 0.1611), (1, 29, 0.0061, 0.1718)],
)
def test_wilson_interval_matches_newcombe_1998_table_ii(successes, trials, low, high):
    got = wilson_interval(successes, trials)
    assert got is not None
    assert (round(got[0], 4), round(got[1], 4)) == (low, high)


def test_wilson_interval_edges_and_bad_input():
    assert wilson_interval(0, 0) is None
    low, high = wilson_interval(20, 20)  # type: ignore[misc]
    assert high == 1.0 and low == pytest.approx(1 - 0.1611, abs=1e-4)  # the mirror of 0/20
    with pytest.raises(ValueError, match="Tỷ lệ không hợp lệ"):
        wilson_interval(5, 3)


def test_judgement_follows_the_polarity_and_includes_the_limits():
    interval = (0.80, 0.90)
    assert judge(interval, 0.75, higher_is_better=True) == "better"  # parent below: unit higher
    assert judge(interval, 0.95, higher_is_better=True) == "worse"
    assert judge(interval, 0.75, higher_is_better=False) == "worse"
    assert judge(interval, 0.80, higher_is_better=True) == "similar"  # on the limit
    assert judge(interval, 0.90, higher_is_better=True) == "similar"
    assert judge(None, 0.5, True) == judge(interval, None, True) == "none"


def k(
    early: int = 0, on_time: int = 0, late: int = 0, overdue: int = 0, online: int = 0, direct: int = 0
) -> Kpis:
    return Kpis(
        received_online=online,
        received_direct_postal=direct,
        resolved_early=early,
        resolved_on_time=on_time,
        resolved_late=late,
        pending_overdue=overdue,
    )


def test_a_rate_is_judged_against_the_parent_and_counts_are_not():
    parent = k(early=90, late=10, direct=100)  # 90 %
    # 99/100: Wilson 94.6–99.8 % lies above 90 %: better. 50/100: 40.4–59.6 %: worse.
    # 9/10: few dossiers, interval 59.6–98.2 % holds 90 %: not different, and flagged.
    good = benchmark(ON_TIME, k(early=99, late=1, direct=100), parent)
    bad = benchmark(ON_TIME, k(early=50, late=50, direct=100), parent)
    small = benchmark(ON_TIME, k(early=9, late=1, direct=10), parent)
    assert (good.judgement, bad.judgement, small.judgement) == ("better", "worse", "similar")
    assert (good.few_data, small.few_data, small.n) == (False, True, 10)
    assert good.value == pytest.approx(99.0) and good.interval[0] == pytest.approx(94.55, abs=0.01)  # type: ignore[index]
    counted = benchmark(OVERDUE, k(early=5, overdue=30, direct=35), parent)
    assert (counted.judgement, counted.interval, counted.value, counted.n) == ("none", None, 30.0, 35)


def test_rankings_put_units_with_few_dossiers_after_the_others_without_a_rank():
    parent = k(early=80, late=20, direct=100)
    units = [
        UnitKpis("A", "Xã A", k(early=18, late=2, direct=20)),  # 90 %, 20 dossiers
        UnitKpis("B", "Xã B", k(early=14, direct=14)),  # 100 % but 14 dossiers
        UnitKpis("C", "Xã C", k(early=30, late=10, direct=40)),  # 75 %
        UnitKpis("D", "Xã D", Kpis()),  # no data
        UnitKpis("E", "Xã E", k(early=27, late=3, direct=30)),  # 90 %: tie with A
    ]
    rows = unit_rows(units, parent, ON_TIME)
    assert [(r.code, r.rank) for r in rows] == [("A", 1), ("E", 1), ("C", 3), ("B", None), ("D", None)]
    assert rows[3].benchmark.few_data and rows[3].benchmark.n < MIN_DOSSIERS


def test_comparison_gives_points_for_rates_percent_for_counts_and_rank_changes():
    assert change(ON_TIME, 92.5, 90.0) == pytest.approx(2.5)
    assert change(OVERDUE, 30.0, 20.0) == pytest.approx(50.0)
    assert change(OVERDUE, 5.0, 0.0) is None and change(ON_TIME, None, 90.0) is None
    parent = k(early=80, late=20, direct=100)
    now = [UnitKpis("A", "A", k(early=20, direct=20)), UnitKpis("B", "B", k(early=10, late=10, direct=20))]
    before = [UnitKpis("A", "A", k(early=10, late=10, direct=20)), UnitKpis("B", "B", k(early=20, direct=20))]
    rows = {r.code: r for r in unit_rows(now, parent, ON_TIME, before)}
    assert (rows["A"].rank, rows["A"].rank_before, rows["A"].rank_change) == (1, 2, 1)
    assert (rows["B"].rank, rows["B"].rank_before, rows["B"].rank_change) == (2, 1, -1)
    assert rows["A"].change == pytest.approx(50.0) and rows["A"].value_before == pytest.approx(50.0)


def test_worsened_three_periods_in_a_row_with_polarity():
    assert worsened([95.0, 93.0, 90.1, 88.0], ON_TIME)
    assert not worsened([95.0, 93.0, 93.0, 88.0], ON_TIME)  # flat once
    assert not worsened([95.0, 93.04, 93.0, 88.0], ON_TIME)  # 93.0 and 93.0 as shown
    assert worsened([3.0, 5.0, 8.0, 9.0], OVERDUE)  # more overdue dossiers is worse
    assert not worsened([9.0, 8.0, 5.0, 3.0], OVERDUE)
    assert not worsened([1.0, 2.0, 3.0, 4.0], RECEIVED)  # neutral: never "worse"
    assert not worsened([95.0, None, 90.0, 88.0], ON_TIME)
