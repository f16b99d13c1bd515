"""rules.monthly_contributions at its boundaries (pure, no database)."""

from datetime import date

import pytest

from dossier_stats.rules import DossierFacts, Timeliness, monthly_contributions, timeliness


def facts(status=4, channel=1, received=None, due=None, finished=None):
    return DossierFacts(
        agency_id=1, status=status, channel=channel, received_on=received, due_on=due, finished_on=finished
    )


def as_dict(d: DossierFacts) -> dict[tuple[int, str], int]:
    out: dict[tuple[int, str], int] = {}
    for month, column, delta in monthly_contributions(d):
        out[(month, column)] = out.get((month, column), 0) + delta
    return {k: v for k, v in out.items() if v}


def stock_at(d: DossierFacts, column: str, month: int) -> int:
    """Pending stock of that column at the end of `month` (sum of deltas up to it)."""
    return sum(delta for m, c, delta in monthly_contributions(d) if c == column and m <= month)


def moved_in_february(received: str, pending: str, february: str) -> dict[tuple[int, str], int]:
    """The contributions of a dossier received in January 2025 (`received`) and pending at
    the end of January in `pending`, which leaves it in February for `february`."""
    return {(202501, received): 1, (202501, pending): 1, (202502, pending): -1, (202502, february): 1}


def test_timeliness_compares_dates():
    assert timeliness(date(2025, 3, 9), date(2025, 3, 10)) is Timeliness.EARLY
    assert timeliness(date(2025, 3, 10), date(2025, 3, 10)) is Timeliness.ON_TIME
    assert timeliness(date(2025, 3, 11), date(2025, 3, 10)) is Timeliness.LATE


def test_pending_dossier_due_on_last_day_of_month_is_within_then_overdue_next_month():
    d = facts(received=date(2025, 1, 10), due=date(2025, 1, 31))
    assert as_dict(d) == moved_in_february("received_direct", "d_pending_within", "d_pending_overdue")
    assert (stock_at(d, "d_pending_within", 202501), stock_at(d, "d_pending_overdue", 202501)) == (1, 0)
    assert (stock_at(d, "d_pending_within", 202502), stock_at(d, "d_pending_overdue", 202502)) == (0, 1)


def test_pending_dossier_due_the_day_before_month_end_is_overdue_at_that_month_end():
    d = facts(received=date(2025, 1, 10), due=date(2025, 1, 30))
    assert as_dict(d) == {(202501, "received_direct"): 1, (202501, "d_pending_overdue"): 1}


def test_received_and_finished_in_the_same_month_leaves_no_pending_delta():
    d = facts(
        status=10, channel=2, received=date(2025, 4, 2), due=date(2025, 4, 20), finished=date(2025, 4, 20)
    )
    assert as_dict(d) == {(202504, "received_online"): 1, (202504, "resolved_on_time"): 1}


def test_finished_the_month_after_becoming_overdue_moves_from_overdue_to_late():
    d = facts(
        status=9, channel=3, received=date(2025, 1, 10), due=date(2025, 1, 20), finished=date(2025, 2, 5)
    )
    assert as_dict(d) == moved_in_february("received_postal", "d_pending_overdue", "resolved_late")


def test_due_on_month_end_and_finished_next_month_is_within_at_month_end_and_late():
    d = facts(status=9, received=date(2025, 1, 10), due=date(2025, 1, 31), finished=date(2025, 2, 3))
    assert as_dict(d) == moved_in_february("received_direct", "d_pending_within", "resolved_late")


def test_finished_months_after_deadline_stays_overdue_until_the_finishing_month():
    d = facts(status=10, received=date(2025, 1, 10), due=date(2025, 2, 10), finished=date(2025, 5, 1))
    assert [stock_at(d, "d_pending_within", m) for m in (202501, 202502, 202505)] == [1, 0, 0]
    assert [stock_at(d, "d_pending_overdue", m) for m in (202501, 202502, 202504, 202505)] == [0, 1, 1, 0]
    assert as_dict(d)[(202505, "resolved_late")] == 1


def test_resolved_early_across_months_is_within_until_it_finishes():
    d = facts(status=9, received=date(2025, 1, 25), due=date(2025, 3, 15), finished=date(2025, 2, 28))
    assert as_dict(d) == moved_in_february("received_direct", "d_pending_within", "resolved_early")


def test_withdrawn_counts_in_its_own_column_at_finishing_month():
    d = facts(status=7, received=date(2025, 1, 25), due=date(2025, 3, 15), finished=date(2025, 2, 2))
    assert as_dict(d) == moved_in_february("received_direct", "d_pending_within", "withdrawn")


@pytest.mark.parametrize("status", [5, 6, 8])
def test_paused_dossier_is_pending_paused_forever_even_past_its_deadline(status):
    d = facts(status=status, received=date(2025, 1, 25), due=date(2025, 1, 26), finished=date(2025, 2, 2))
    assert as_dict(d) == {(202501, "received_direct"): 1, (202501, "d_pending_paused"): 1}


@pytest.mark.parametrize("status", [1, 3])
def test_submitted_or_refused_dossiers_do_not_count(status):
    assert as_dict(facts(status=status, received=date(2025, 1, 5), due=date(2025, 1, 9))) == {}


def test_dossier_without_reception_date_does_not_count():
    assert as_dict(facts(status=4, received=None, due=date(2025, 1, 9))) == {}


def test_unknown_channel_counts_as_direct():
    d = facts(status=4, channel=0, received=date(2025, 1, 5), due=date(2025, 3, 9))
    assert as_dict(d)[(202501, "received_direct")] == 1


@pytest.mark.parametrize(
    ("status", "finished"),
    [(9, date(2025, 1, 5)), (9, date(2025, 3, 31)), (10, date(2025, 6, 1)), (7, date(2025, 2, 28))],
)
def test_pending_deltas_of_an_ended_dossier_sum_to_zero(status, finished):
    d = facts(status=status, received=date(2025, 1, 5), due=date(2025, 2, 28), finished=finished)
    for column in ("d_pending_within", "d_pending_overdue", "d_pending_paused"):
        assert stock_at(d, column, 209912) == 0
