"""How one dossier counts for the 766 index: its facts and their contributions (pure).

The 766 on-time rule (DOMAIN.md §2.2, a *choice*; RULE_766_NOTE says it in words):
- the applicant's supplement time is not the agency's: the 766 deadline moves by the
  exact supplement days, compared at date level: the deadline is the end of due_on,
  2.5 days later is within due_on + 3, so a dossier finished 3 days after due_on is on
  time with 2.5 supplement days (due_on + ceil(days)); the rule set's
  `supplement_days = "whole_days"` (floor) is computed by the direct scan (index766.raw);
- more than one supplement request (supplement_count > 1) counts as late, whatever the
  dates (also for a dossier still pending);
- a dossier without an end state is judged at the period's last day: pending past its
  766 deadline at that day = late, else within deadline;
- status 1 and 3 do not count; withdrawn (7) and stopped (8) are end states dated by
  finished_on, counted as ended in time (the rule set's default `stopped_status = "end"`;
  "paused" is computed by the direct scan); paused (5, 6, and 8 without an end date)
  counts as pending within deadline.

Contributions go to two tables (db.schema_stats): `agency_month_766` (per agency and
month: flows of the month, deltas of the pending stock at month end, read like
agency_month_stats) and `agency_procedure_month` (per agency, procedure and
reception month). These tables hold the default rule set's counting; `unsatisfied_ok`
(resolved in time yet rated unsatisfied) lets dossier satisfaction count a dossier once.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from dataclasses import fields
from datetime import date, timedelta
from typing import Any, NamedTuple

from dossier_stats.rules import (
    NOT_COUNTED_STATUSES,
    PAUSED_STATUSES,
    RESOLVED_STATUSES,
    WITHDRAWN_STATUS,
    DossierFacts,
    month_key,
    pending_changes,
)

ONLINE_CHANNEL = 2
STOPPED_STATUS = 8
ENDED_766_STATUSES = frozenset({*RESOLVED_STATUSES, WITHDRAWN_STATUS, STOPPED_STATUS})
IN_TIME_END_STATUSES = frozenset({WITHDRAWN_STATUS, STOPPED_STATUS})
ONLINE_LEVELS = frozenset({"full", "partial"})
UNSATISFIED = "unsatisfied"
MAX_SUPPLEMENT_SHIFT = 36_500  # days; a larger supplement_days cannot move a deadline further

RULE_766_NOTE = (
    "Quy tắc 766: hạn giải quyết được cộng thêm đúng số ngày công dân bổ sung hồ sơ (so theo ngày); "
    "hồ sơ bị yêu cầu bổ sung quá một lần tính là quá hạn; "
    "hồ sơ chưa kết thúc được xét tại ngày cuối kỳ (quá hạn 766 tại ngày đó là quá hạn); "
    "hồ sơ rút và hồ sơ dừng xử lý kết thúc vào ngày kết thúc, tính là đúng hạn; "
    "hồ sơ tạm dừng tính là trong hạn."
)


class Facts(NamedTuple):
    """Every field of a dossier that decides how it counts, normalised (unknown flag = no).

    This is also a row of the `dossier_facts` shadow table (same names). A named tuple:
    the importer makes one per dossier, 4× faster than a frozen dataclass."""

    dossier_code: str
    agency_id: int
    procedure_code: str
    status: int
    channel: int
    received_on: date | None
    due_on: date | None
    finished_on: date | None
    supplement_count: int = 0
    supplement_days: float = 0.0
    online_offered: bool = False
    has_fee: bool = False
    paid_online: bool = False
    e_result: bool = False
    digitized: bool = False
    reused_data: bool = False
    unsatisfied: bool = False

    @property
    def base(self) -> DossierFacts:
        """The provincial-rule facts (agency_month_stats): the DossierFacts fields of these."""
        return DossierFacts(**{f.name: getattr(self, f.name) for f in fields(DossierFacts)})

    def as_row(self) -> dict[str, Any]:
        return {f: getattr(self, f) for f in FACT_FIELDS}


FACT_FIELDS: tuple[str, ...] = Facts._fields
# Columns of a dossiers row that `facts_from_dossier` reads.
DOSSIER_SOURCE_COLUMNS = (
    "dossier_code",
    "agency_id",
    "procedure_code",
    "status",
    "channel",
    "received_on",
    "due_on",
    "finished_on",
    "supplement_count",
    "supplement_days",
    "online_level",
    "has_fee",
    "paid_online",
    "e_result",
    "digitized",
    "reused_data",
    "rating",
)


def facts_from_dossier(row: Mapping[str, Any]) -> Facts:
    """Facts of a dossiers row (a mapping with DOSSIER_SOURCE_COLUMNS)."""
    return Facts(
        dossier_code=row["dossier_code"],
        agency_id=row["agency_id"],
        procedure_code=row["procedure_code"],
        status=row["status"],
        channel=row["channel"],
        received_on=row["received_on"],
        due_on=row["due_on"],
        finished_on=row["finished_on"],
        supplement_count=int(row["supplement_count"] or 0),
        supplement_days=float(row["supplement_days"] or 0.0),
        online_offered=row["online_level"] in ONLINE_LEVELS,
        has_fee=bool(row["has_fee"]),
        paid_online=bool(row["paid_online"]),
        e_result=bool(row["e_result"]),
        digitized=bool(row["digitized"]),
        reused_data=bool(row["reused_data"]),
        unsatisfied=row["rating"] == UNSATISFIED,
    )


def facts_from_shadow(row: Mapping[str, Any]) -> Facts:
    """Facts of a dossier_facts row."""
    values = {name: row[name] for name in FACT_FIELDS}
    for name in ("online_offered", "has_fee", "paid_online", "e_result", "digitized", "reused_data"):
        values[name] = bool(values[name])
    values["unsatisfied"] = bool(values["unsatisfied"])
    values["supplement_days"] = float(values["supplement_days"])
    return Facts(**values)


def deadline_766(due_on: date, supplement_days: float) -> date:
    """The 766 deadline date: the end of the promised date moved by the applicant's exact
    supplement days falls on due_on + ceil(days) (2.5 days after the end of 10/3 is 13/3)."""
    shift = min(MAX_SUPPLEMENT_SHIFT, math.ceil(max(0.0, supplement_days)))
    try:
        return due_on + timedelta(days=shift)
    except OverflowError:
        return date.max


def ends(f: Facts) -> bool:
    """Resolved, withdrawn or stopped with a known end date."""
    return f.finished_on is not None and f.status in ENDED_766_STATUSES


def paused(f: Facts) -> bool:
    """Supplement or fee awaited (5, 6), or stopped without an end date: pending, never late
    unless supplemented more than once."""
    return f.status in PAUSED_STATUSES and not ends(f)


def ended_in_time(f: Facts) -> bool:
    """For an ended dossier: withdrawn or stopped, or resolved by its 766 deadline with at
    most one supplement."""
    assert f.finished_on is not None
    if f.status in IN_TIME_END_STATUSES:
        return True
    if f.supplement_count > 1:
        return False
    return f.finished_on <= deadline_766(f.due_on or f.finished_on, f.supplement_days)


def counts(f: Facts) -> bool:
    return f.status not in NOT_COUNTED_STATUSES and f.received_on is not None


def month_contributions(f: Facts) -> Iterator[tuple[int, str, int]]:
    """(month, column, delta) this dossier adds to agency_month_766."""
    if not counts(f):
        return
    assert f.received_on is not None
    received = month_key(f.received_on)
    yield received, "received", 1
    if f.channel == ONLINE_CHANNEL:
        yield received, "received_online", 1
    if f.has_fee:
        yield received, "fee_received", 1
        if f.paid_online:
            yield received, "paid_online", 1
    if f.digitized:
        yield received, "digitized", 1
    if f.reused_data:
        yield received, "reused_data", 1

    repeated_supplement = f.supplement_count > 1
    if paused(f):
        yield received, "d_pending_late" if repeated_supplement else "d_pending_ok", 1
        return

    finished: int | None = None
    if ends(f):
        assert f.finished_on is not None
        finished = month_key(f.finished_on)
        if f.status in RESOLVED_STATUSES:
            yield finished, "resolved", 1
            if f.e_result:
                yield finished, "e_result", 1
            if f.unsatisfied:
                yield finished, "unsatisfied", 1
                if ended_in_time(f):
                    yield finished, "unsatisfied_ok", 1
        yield finished, "ended_ok" if ended_in_time(f) else "ended_late", 1

    # Pending at the end of month M for received <= M < finished; late from `late_from`.
    if repeated_supplement:
        late_from = received
    else:
        deadline = deadline_766(f.due_on or f.received_on, f.supplement_days)
        late_from = received if deadline >= date.max else max(received, month_key(deadline + timedelta(1)))
    yield from pending_changes(received, late_from, finished, ("d_pending_ok", "d_pending_late"))


def procedure_contributions(f: Facts) -> Iterator[tuple[str, int, str, int]]:
    """(procedure_code, reception month, column, delta) this dossier adds to agency_procedure_month."""
    if not counts(f):
        return
    assert f.received_on is not None
    month = month_key(f.received_on)
    code = f.procedure_code
    yield code, month, "received", 1
    if f.channel == ONLINE_CHANNEL:
        yield code, month, "received_online", 1
    if f.online_offered:
        yield code, month, "online_offered", 1
    if f.has_fee:
        yield code, month, "fee_received", 1
        if f.paid_online:
            yield code, month, "paid_online", 1


MonthRows = dict[tuple[int, int], dict[str, int]]
ProcedureRows = dict[tuple[int, str, int], dict[str, int]]
_PAUSED = PAUSED_STATUSES
_RESOLVED = RESOLVED_STATUSES
_ENDED = ENDED_766_STATUSES
_NOT_COUNTED = NOT_COUNTED_STATUSES


def _month(day: date) -> int:
    return day.year * 100 + day.month


def accumulate(f: Facts, sign: int, months: MonthRows, procedures: ProcedureRows) -> None:
    """Add sign × the contributions of `f` into defaultdict-backed delta mappings.

    The same result as summing `month_contributions` and `procedure_contributions` (a test
    checks it on random facts), written flat because the importer runs it per dossier."""
    received_on = f.received_on
    if received_on is None or f.status in _NOT_COUNTED:
        return
    agency = f.agency_id
    received = received_on.year * 100 + received_on.month
    row = months[(agency, received)]
    proc = procedures[(agency, f.procedure_code, received)]
    row["received"] += sign
    proc["received"] += sign
    if f.channel == ONLINE_CHANNEL:
        row["received_online"] += sign
        proc["received_online"] += sign
    if f.online_offered:
        proc["online_offered"] += sign
    if f.has_fee:
        row["fee_received"] += sign
        proc["fee_received"] += sign
        if f.paid_online:
            row["paid_online"] += sign
            proc["paid_online"] += sign
    if f.digitized:
        row["digitized"] += sign
    if f.reused_data:
        row["reused_data"] += sign
    repeated = f.supplement_count > 1
    finished_on = f.finished_on
    ended = finished_on is not None and f.status in _ENDED
    if f.status in _PAUSED and not ended:
        row["d_pending_late" if repeated else "d_pending_ok"] += sign
        return
    finished: int | None = None
    if ended:
        assert finished_on is not None
        finished = finished_on.year * 100 + finished_on.month
        end = months[(agency, finished)]
        in_time = ended_in_time(f)
        if f.status in _RESOLVED:
            end["resolved"] += sign
            if f.e_result:
                end["e_result"] += sign
            if f.unsatisfied:
                end["unsatisfied"] += sign
                if in_time:
                    end["unsatisfied_ok"] += sign
        end["ended_ok" if in_time else "ended_late"] += sign
    if repeated:
        late_from = received
    else:
        deadline = deadline_766(f.due_on or received_on, f.supplement_days)
        late_from = received if deadline >= date.max else max(received, _month(deadline + timedelta(1)))
    ok_end = late_from if finished is None else min(late_from, finished)
    if ok_end > received:
        row["d_pending_ok"] += sign
        months[(agency, ok_end)]["d_pending_ok"] -= sign
    if finished is None or late_from < finished:
        months[(agency, late_from)]["d_pending_late"] += sign
        if finished is not None:
            months[(agency, finished)]["d_pending_late"] -= sign
