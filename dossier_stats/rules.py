"""How one dossier counts: the rules of DOMAIN.md §2.2–2.3 as pure functions.

Provincial rule (default): compare the end of processing with the deadline at date
level — earlier = early (trước hạn), same day = on time (đúng hạn), later = late
(quá hạn). A pending dossier is within deadline (trong hạn) at a period's last day if
its deadline is on or after that day, else overdue.

Choices, named so reports can state them (RULES_NOTE):
- status 1 (submitted, not received) and 3 (refused) are not counted at all;
- status 7 (withdrawn) ends the dossier at finished_at; it is counted as resolved on
  time by default (kept in its own column, so the choice is made when reading);
- status 5, 6, 8 (paused: supplement, financial obligation, stopped) are pending and
  counted within deadline by default, whatever the deadline (own column too);
- status 2, 4 are pending until a later status ends them; 9, 10 end at finished_at.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Protocol

NOT_COUNTED_STATUSES = frozenset({1, 3})
RESOLVED_STATUSES = frozenset({9, 10})
WITHDRAWN_STATUS = 7
PAUSED_STATUSES = frozenset({5, 6, 8})

RULES_NOTE = (
    "Quy tắc tỉnh: so sánh ngày kết thúc xử lý với ngày hẹn trả theo ngày; "
    "hồ sơ công dân rút (trạng thái 7) tính là đã giải quyết đúng hạn; "
    "hồ sơ tạm dừng (5, 6, 8) tính là đang giải quyết trong hạn; "
    "hồ sơ từ kỳ trước = tiếp nhận trước kỳ và chưa kết thúc trước ngày đầu kỳ."
)


class Timeliness(StrEnum):
    EARLY = "early"
    ON_TIME = "on_time"
    LATE = "late"


def timeliness(finished_on: date, due_on: date) -> Timeliness:
    if finished_on < due_on:
        return Timeliness.EARLY
    if finished_on == due_on:
        return Timeliness.ON_TIME
    return Timeliness.LATE


def month_key(day: date) -> int:
    """2026-10-05 -> 202610."""
    return day.year * 100 + day.month


class HasFacts(Protocol):
    """What `monthly_contributions` reads: a DossierFacts, or the 766 Facts that carry the same."""

    @property
    def status(self) -> int: ...
    @property
    def channel(self) -> int: ...
    @property
    def received_on(self) -> date | None: ...
    @property
    def due_on(self) -> date | None: ...
    @property
    def finished_on(self) -> date | None: ...


@dataclass(frozen=True)
class DossierFacts:
    """The few fields of a dossier that decide how it counts."""

    agency_id: int
    status: int
    channel: int
    received_on: date | None
    due_on: date | None
    finished_on: date | None


CHANNEL_COLUMNS = {1: "received_direct", 2: "received_online", 3: "received_postal"}


def pending_changes(
    received: int, late_from: int, finished: int | None, columns: tuple[str, str]
) -> Iterator[tuple[int, str, int]]:
    """(month, column, delta) of a dossier in the month-end pending stock: in columns[0]
    (within deadline) from its reception month until `late_from`, in columns[1] (late) from
    then, both until the month it ended (`finished`; None: still open). Months are yyyymm.
    The dossier KPIs and the 766 index count their pending dossiers this way."""
    within, late = columns
    within_end = late_from if finished is None else min(late_from, finished)
    if within_end > received:
        yield received, within, 1
        yield within_end, within, -1
    if finished is None or late_from < finished:
        yield late_from, late, 1
        if finished is not None:
            yield finished, late, -1


def monthly_contributions(d: HasFacts) -> Iterator[tuple[int, str, int]]:
    """Yield (month, column, delta) that this dossier adds to agency_month_stats.

    Pending intervals are half-open in months: a dossier pending at the end of month
    M for R <= M < F (R = received month, F = finishing month). It is overdue at the
    end of M when its deadline is before M's last day, i.e. from T = month(due + 1 day).
    """
    if d.status in NOT_COUNTED_STATUSES or d.received_on is None:
        return
    received = month_key(d.received_on)
    yield received, CHANNEL_COLUMNS.get(d.channel, "received_direct"), 1

    if d.status in PAUSED_STATUSES:
        yield received, "d_pending_paused", 1
        return

    finished: int | None = None
    if d.finished_on is not None and (d.status in RESOLVED_STATUSES or d.status == WITHDRAWN_STATUS):
        finished = month_key(d.finished_on)
        if d.status == WITHDRAWN_STATUS:
            yield finished, "withdrawn", 1
        else:
            kind = timeliness(d.finished_on, d.due_on or d.finished_on)
            yield finished, f"resolved_{kind.value}", 1

    # max(): a deadline before reception (the importer rejects it) must not count earlier.
    overdue_from = max(received, month_key((d.due_on or d.received_on) + timedelta(days=1)))
    yield from pending_changes(received, overdue_from, finished, ("d_pending_within", "d_pending_overdue"))
