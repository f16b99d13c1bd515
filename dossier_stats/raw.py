"""The same KPIs as dossier_stats.kpis, counted by a direct scan of the dossiers table.

An independent implementation of the counting rules (rules.py), written as date
comparisons of received_on / due_on / finished_on with the period's first day S and
last day E instead of monthly deltas. It verifies the incremental aggregates in tests
and is the baseline of the benchmark; the app reads agency_month_stats.

For a dossier that counts (status not 1 or 3, received_on known) and was received by E:
- received in the period: S <= received_on; online when channel 2, else direct/postal;
- it ends at finished_on when it is resolved (9, 10) or withdrawn (7) and finished_on
  is known; paused ones (5, 6, 8) never end and count as pending within deadline;
- resolved / withdrawn in the period: S <= finished_on <= E; timeliness against due_on;
- carried over: received before S and not ended before S;
- pending at E: not ended by E; overdue when its deadline is before E.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import ColumnElement, Connection, and_, case, func, not_, or_

from db.schema import agencies, dossiers
from dossier_stats.kpis import (
    Kpis,
    KpiSource,
    UnitKpis,
    commune_kpis,
    department_kpis,
    district_kpis,
    province_kpis,
    unmapped_kpis,
)
from dossier_stats.periods import Period
from dossier_stats.rules import NOT_COUNTED_STATUSES, PAUSED_STATUSES, RESOLVED_STATUSES, WITHDRAWN_STATUS

ONLINE_CHANNEL = 2


def count_if(when: ColumnElement[bool], name: str) -> ColumnElement[int]:
    return func.coalesce(func.sum(case((when, 1), else_=0)), 0).label(name)


def dossier_scan(period: Period) -> KpiSource:
    """KpiSource over dossiers JOIN agencies for the period [period.start, period.end]."""
    return scan_between(period.start, period.end)


def _resolved_withdrawn() -> tuple[ColumnElement[bool], ColumnElement[bool]]:
    """(resolved with an end date, withdrawn with an end date): the dossiers that end."""
    d = dossiers.c
    finished = d.finished_on.is_not(None)
    return and_(d.status.in_(sorted(RESOLVED_STATUSES)), finished), and_(
        d.status == WITHDRAWN_STATUS, finished
    )


def carried_over(start: date) -> ColumnElement[bool]:
    """Received before `start` and not ended before it (Biểu 06 column 6)."""
    d = dossiers.c
    ends = or_(*_resolved_withdrawn())
    paused = d.status.in_(sorted(PAUSED_STATUSES))
    return and_(d.received_on < start, or_(paused, not_(ends), d.finished_on >= start))


def scan_between(start: date, end: date) -> KpiSource:
    """KpiSource over dossiers JOIN agencies for the days [start, end] (a period, or a year
    counted up to today)."""
    d = dossiers.c
    paused = d.status.in_(sorted(PAUSED_STATUSES))
    resolved, withdrawn = _resolved_withdrawn()
    ends = or_(resolved, withdrawn)
    finished_in_period = and_(d.finished_on >= start, d.finished_on <= end)
    deadline = func.coalesce(d.due_on, d.finished_on)
    pending_at_end = and_(not_(paused), or_(not_(ends), d.finished_on > end))
    pending_deadline = func.coalesce(d.due_on, d.received_on)
    received_in_period = d.received_on >= start
    return KpiSource(
        from_=dossiers.join(agencies, agencies.c.id == d.agency_id),
        where=(
            d.status.not_in(sorted(NOT_COUNTED_STATUSES)),
            d.received_on.is_not(None),
            d.received_on <= end,
        ),
        sums=(
            count_if(and_(received_in_period, d.channel == ONLINE_CHANNEL), "received_online"),
            count_if(and_(received_in_period, d.channel != ONLINE_CHANNEL), "received_direct_postal"),
            count_if(carried_over(start), "carried_over"),
            count_if(and_(resolved, finished_in_period, d.finished_on < deadline), "resolved_early"),
            count_if(
                or_(
                    and_(resolved, finished_in_period, d.finished_on == deadline),
                    and_(withdrawn, finished_in_period),
                ),
                "resolved_on_time",
            ),
            count_if(and_(resolved, finished_in_period, d.finished_on > deadline), "resolved_late"),
            count_if(or_(paused, and_(pending_at_end, pending_deadline >= end)), "pending_within"),
            count_if(and_(pending_at_end, pending_deadline < end), "pending_overdue"),
        ),
    )


def raw_province_kpis(conn: Connection, period: Period) -> Kpis:
    return province_kpis(conn, period, source=dossier_scan)


def raw_district_kpis(conn: Connection, period: Period) -> list[UnitKpis]:
    return district_kpis(conn, period, source=dossier_scan)


def raw_commune_kpis(conn: Connection, period: Period, district_code: str) -> list[UnitKpis]:
    return commune_kpis(conn, period, district_code, source=dossier_scan)


def raw_department_kpis(conn: Connection, period: Period) -> list[UnitKpis]:
    return department_kpis(conn, period, source=dossier_scan)


def raw_unmapped_kpis(conn: Connection, period: Period) -> list[UnitKpis]:
    return unmapped_kpis(conn, period, source=dossier_scan)
