"""The 766 formulas on hand-made counts, at their boundaries (every expected number is
computed by hand in the comment beside it)."""

from __future__ import annotations

import pytest

from dossier_stats.index766.config import (
    GROUPS,
    NOTE_EMPTY,
    NOTE_MISSING,
    Index766Config,
    grade_for,
)
from dossier_stats.index766.score import (
    ImportedValue,
    Index766Counts,
    competition_ranks,
    payment_points,
    satisfaction_points,
    score,
)


def points(counts: Index766Counts, key: str, **imported: float) -> float:
    s = score(counts, {k: ImportedValue(v) for k, v in imported.items()})
    return next(i.points for g in s.groups for i in g.indicators if i.key == key)


def indicator(counts: Index766Counts, key: str, config: Index766Config | None = None):
    s = score(counts, {}, config or Index766Config())
    return next(i for g in s.groups for i in g.indicators if i.key == key)


def test_groups_have_the_published_maxima_summing_to_100():
    assert [(g.key, g.max_points) for g in GROUPS] == [
        ("publicity", 18),
        ("timeliness", 20),
        ("online", 12),
        ("payment", 10),
        ("satisfaction", 18),
        ("digitization", 22),
    ]
    assert sum(g.max_points for g in GROUPS) == 100


def test_timeliness_is_20_times_good_over_handled():
    # 6 of 8 handled dossiers in time: 20 * 6 / 8 = 15
    assert points(Index766Counts(handled=8, good=6, received=8), "on_time") == pytest.approx(15)
    assert points(Index766Counts(handled=8, good=8, received=8), "on_time") == pytest.approx(20)
    assert points(Index766Counts(handled=8, good=0, received=8), "on_time") == 0


def test_satisfaction_exactly_at_90_percent_gets_full_marks():
    # late rate 1/10, nothing rated unsatisfied: ratio 0.9 -> 6 * 0.9 / 0.9 = 6
    counts = Index766Counts(handled=10, good=9, resolved=10, received=10)
    assert points(counts, "dossier_satisfaction") == pytest.approx(6)
    # 11 late of 100: ratio 0.89 -> 6 * 0.89 / 0.9 = 5.9333…
    counts = Index766Counts(handled=100, good=89, resolved=100, received=100)
    assert points(counts, "dossier_satisfaction") == pytest.approx(6 * 0.89 / 0.9)
    # everything in time and nobody unsatisfied: capped at 6, not 6 / 0.9
    assert points(Index766Counts(handled=5, good=5, resolved=5, received=5), "dossier_satisfaction") == 6


def test_satisfaction_two_rates_subtracts_the_late_rate_and_the_unsatisfied_rate():
    # late 1/20 = 5 %, unsatisfied 1 of 10 resolved = 10 %: ratio 0.85 -> 6 * 0.85 / 0.9
    counts = Index766Counts(handled=20, good=19, resolved=10, unsatisfied=1, received=20)
    two_rates = Index766Config(dossier_satisfaction="two_rates")
    assert indicator(counts, "dossier_satisfaction", two_rates).points == pytest.approx(6 * 0.85 / 0.9)
    # one denominator (default): the unsatisfied dossier ended in time -> (19 - 1) / 20 = 0.9
    counts = Index766Counts(handled=20, good=19, resolved=10, unsatisfied=1, unsatisfied_ok=1, received=20)
    assert points(counts, "dossier_satisfaction") == pytest.approx(6)
    # ... and when it is the late one, it is not counted twice: 19 / 20 = 0.95 -> capped 6,
    # whereas two rates give 1 - 0.05 - 0.1 = 0.85
    late_one = Index766Counts(handled=20, good=19, resolved=10, unsatisfied=1, unsatisfied_ok=0, received=20)
    assert points(late_one, "dossier_satisfaction") == pytest.approx(6)
    assert indicator(late_one, "dossier_satisfaction", two_rates).points == pytest.approx(6 * 0.85 / 0.9)
    assert satisfaction_points(0.6, 0.6) == 0  # ratio floored at 0


def test_online_payment_formula_and_its_cap():
    # A = 5/10, B = 2/4, C = 1/4: 6 * 0.5 + min(2, 2.5 * 0.5) + 2.5 * 0.25 = 3 + 1.25 + 0.625
    counts = Index766Counts(
        handled=10,
        good=10,
        received=10,
        fee_received=10,
        paid_online=5,
        fee_procedures=4,
        fee_procedures_integrated=2,
        fee_procedures_used=1,
    )
    s = score(counts)
    assert s.group("payment").points == pytest.approx(4.875)
    assert payment_points(1, 1, 1) == 10  # 6 + 2 + 2.5 = 10.5, capped at the group's 10
    assert payment_points(0, 0.8, 0) == pytest.approx(2)  # B full at 80 %
    assert payment_points(0, 1, 0) == 2


def test_no_fee_bearing_dossiers_gives_zero_payment_as_the_portal_noted():
    counts = Index766Counts(handled=3, good=3, received=3)
    payment = score(counts).group("payment")
    assert payment.points == 0
    assert {i.note for i in payment.indicators} == {NOTE_EMPTY}
    full = score(counts, config=Index766Config(empty_denominator="full"))
    assert full.group("payment").points == 10


def test_online_services_shares_and_their_full_marks_thresholds():
    # filed online 4/10 = 40 % of the 50 % target: 4 * 0.8 = 3.2
    # procedures offered online 4/5 = 80 %: full 4; used online 2/4 = 50 %: 4 * 0.5 = 2
    counts = Index766Counts(
        handled=10,
        good=10,
        received=10,
        received_online=4,
        procedures=5,
        procedures_online=4,
        procedures_online_used=2,
    )
    s = score(counts)
    assert [round(i.points, 6) for i in s.group("online").indicators] == [3.2, 4.0, 2.0]
    assert s.group("online").points == pytest.approx(9.2)
    # half the dossiers online is full marks, more is not more
    counts = Index766Counts(handled=10, good=10, received=10, received_online=9)
    assert indicator(counts, "filed_online").points == 4


def test_online_split_is_configurable_and_must_total_12():
    counts = Index766Counts(handled=10, good=10, received=10, received_online=5)
    config = Index766Config(online_split=(6.0, 3.0, 3.0))
    assert indicator(counts, "filed_online", config).points == 6
    with pytest.raises(ValueError, match="12"):
        Index766Config(online_split=(4.0, 4.0, 5.0))


def test_digitization_items_from_dossier_flags():
    # e-results 6/8 resolved: 6 * 0.75 = 4.5; digitized 5/10 received: 4 * 0.5 = 2;
    # reuse 4/10 = 40 % of the 80 % target: 2 * 0.5 = 1; imported items missing: 0
    counts = Index766Counts(
        handled=10, good=10, received=10, resolved=8, e_result=6, digitized=5, reused_data=4
    )
    s = score(counts)
    digitization = s.group("digitization")
    assert digitization.points == pytest.approx(7.5)
    assert set(digitization.missing) == {
        "certified_copies",
        "citizen_data_store",
        "population_data_dossiers",
        "population_data_procedures",
    }


def test_imported_indicators_count_their_points_and_missing_ones_score_zero_noted():
    counts = Index766Counts(handled=1, good=1, received=1)
    without = score(counts)
    assert without.group("publicity").points == 0
    assert all(i.note == NOTE_MISSING for i in without.group("publicity").indicators)
    with_values = score(
        counts,
        {
            "procedures_announced_on_time": ImportedValue(6),
            "published_on_time": ImportedValue(3.5),
            "synced_realtime": ImportedValue(5),
        },
    )
    publicity = with_values.group("publicity")
    assert publicity.points == pytest.approx(14.5)
    assert publicity.missing == ("published_complete",)
    assert with_values.total == pytest.approx(without.total + 14.5)


def test_total_is_the_sum_of_the_groups_and_gets_its_grade():
    counts = Index766Counts(handled=10, good=9, received=10, resolved=10)
    s = score(counts)
    assert s.total == pytest.approx(sum(g.points for g in s.groups))
    assert s.grade == grade_for(s.total)


@pytest.mark.parametrize(
    ("total", "grade"),
    [
        (100, "Xuất sắc"),
        (90, "Xuất sắc"),
        (89.99, "Tốt"),
        (80, "Tốt"),
        (79.99, "Khá"),
        (65, "Khá"),
        (64.99, "Trung bình"),
        (50, "Trung bình"),
        (49.99, "Yếu"),
        (0, "Yếu"),
    ],
)
def test_grade_thresholds_are_inclusive_lower_bounds(total, grade):
    assert grade_for(total) == grade


def test_grade_thresholds_are_configurable():
    config = Index766Config(grades=((85.0, "A"), (0.0, "B")))
    assert grade_for(85, config) == "A"
    assert grade_for(84.9, config) == "B"
    with pytest.raises(ValueError):
        Index766Config(grades=((50.0, "B"), (85.0, "A")))


def test_ranks_share_ties_and_skip_after_them():
    assert competition_ranks([80.0, 90.0, 85.0, 85.0, None]) == [4, 1, 2, 2, None]
    # compared at two decimals: 85.004 and 85.0 tie, 85.01 does not
    assert competition_ranks([85.004, 85.0, 85.01]) == [2, 2, 1]
    assert competition_ranks([]) == []


def test_counts_add_up_when_agencies_are_pooled():
    a = Index766Counts(handled=2, good=1, procedures=3)
    b = Index766Counts(handled=5, good=5, procedures=1)
    assert a + b == Index766Counts(handled=7, good=6, procedures=4)
    assert (a + b).late == 1
