"""Auto sub-criteria rules at their boundaries (rates computed from dossier counts)."""

from __future__ import annotations

import pytest

from dossier_stats.kpis import Kpis
from scoring.auto import evaluate
from scoring.definition import LinearRule, ThresholdRule, ThresholdStep


def threshold(metric: str, comparison: str, steps: list[tuple[float, float]], no_data: str) -> ThresholdRule:
    """A threshold rule as the scoring definition words it: (value, points) steps, else 0."""
    return ThresholdRule(metric, comparison, tuple(ThresholdStep(v, p) for v, p in steps), 0, no_data)


# "on-time rate ≥ 98% → full points (2), ≥ 95% → half (1), else 0"
ON_TIME = threshold("on_time_rate", "at_least", [(98, 2), (95, 1)], no_data="full")
# "pending overdue ≤ 1% of pending → 1.5, ≤ 3% → 0.75, else 0"
OVERDUE = threshold("pending_overdue_share", "at_most", [(1, 1.5), (3, 0.75)], no_data="zero")
ONLINE = LinearRule(metric="online_share", zero_at=20, full_at=50, no_data="full")


def resolved(on_time: int, late: int) -> Kpis:
    return Kpis(resolved_on_time=on_time, resolved_late=late)


@pytest.mark.parametrize(
    ("on_time", "late", "points"),
    [
        (49, 1, 2),  # exactly 98 %
        (4899, 101, 1),  # 97.98 %: just below 98 %
        (19, 1, 1),  # exactly 95 %
        (9499, 501, 0),  # 94.99 %: just below 95 %
        (100, 0, 2),
        (0, 10, 0),
    ],
)
def test_on_time_threshold_at_its_boundaries(on_time, late, points):
    assert evaluate(ON_TIME, resolved(on_time, late), 2).points == points


def test_early_dossiers_count_as_on_time():
    kpis = Kpis(resolved_early=30, resolved_on_time=19, resolved_late=1)  # 49 / 50 = 98 %
    result = evaluate(ON_TIME, kpis, 2)
    assert result.points == 2
    assert result.metric_value == pytest.approx(0.98)
    assert "98% ≥ 98% → 2 điểm" in result.explanation


@pytest.mark.parametrize(
    ("within", "overdue", "points"),
    [
        (99, 1, 1.5),  # exactly 1 %
        (9899, 101, 0.75),  # 1.01 %: just above 1 %
        (97, 3, 0.75),  # exactly 3 %
        (969, 31, 0),  # 3.1 %
    ],
)
def test_at_most_threshold_at_its_boundaries(within, overdue, points):
    kpis = Kpis(pending_within=within, pending_overdue=overdue)
    assert evaluate(OVERDUE, kpis, 1.5).points == points


@pytest.mark.parametrize(
    ("online", "direct", "points"),
    [
        (20, 80, 0),  # at zero_at
        (10, 90, 0),  # below: clamped
        (35, 65, 5),  # half way: 10 × 15 / 30
        (50, 50, 10),  # at full_at
        (90, 10, 10),  # above: clamped
        (1, 3, 1.67),  # 25 %: 10 × 5 / 30 = 1.666… → 1.67
    ],
)
def test_linear_rule_between_its_two_rates(online, direct, points):
    kpis = Kpis(received_online=online, received_direct_postal=direct)
    assert evaluate(ONLINE, kpis, 10).points == points


def test_linear_rule_can_fall_with_the_rate():
    late = LinearRule(metric="late_rate", zero_at=10, full_at=0, no_data="full")
    assert evaluate(late, resolved(95, 5), 4).points == 2  # 5 % late: half way from 10 % to 0 %
    assert evaluate(late, resolved(80, 20), 4).points == 0


def test_without_dossiers_the_rule_says_full_or_zero():
    assert evaluate(ON_TIME, None, 2).points == 2
    assert evaluate(ON_TIME, Kpis(), 2).points == 2
    assert evaluate(OVERDUE, Kpis(resolved_on_time=5), 1.5).points == 0  # nothing pending
    result = evaluate(ON_TIME, None, 2)
    assert result.metric_value is None
    assert "không có hồ sơ" in result.explanation


def test_timeliness_766_counts_pending_within_deadline_over_all_received():
    rule = threshold("timeliness_766", "at_least", [(90, 3)], no_data="full")
    # received 10 new + 10 carried over = 20; early 5 + on time 8 + pending within 5 = 18 → 90 %
    kpis = Kpis(
        received_online=4,
        received_direct_postal=6,
        carried_over=10,
        resolved_early=5,
        resolved_on_time=8,
        resolved_late=1,
        pending_within=5,
        pending_overdue=1,
    )
    assert evaluate(rule, kpis, 3).points == 3
    assert evaluate(rule, Kpis(**{**kpis.__dict__, "pending_within": 4, "pending_overdue": 2}), 3).points == 0
