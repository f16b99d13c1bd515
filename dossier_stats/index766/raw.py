"""The 766 counts per agency counted by a direct scan of the dossiers table.

An independent implementation of the 766 rule (index766.facts) as date comparisons with
the period's first day S and last day E, instead of monthly deltas: it verifies the
incremental tables in tests, is the baseline of the benchmark, and counts the dossiers
when the rule set chooses what the tables do not hold (`Index766Config.counted_by_tables`:
supplement days in whole days, status 8 paused, the portal's table of splits); otherwise
the app reads agency_month_766 / agency_procedure_month (dossier_stats.index766).

For a counted dossier (status not 1 or 3, received_on known) received by E:
- it ends at finished_on when resolved (9, 10), withdrawn (7) or, under
  `stopped_status = "end"`, stopped (8) with finished_on known; paused ones never end;
- handled = ended in [S, E] + still pending at E; in time = ended in time (withdrawn, or
  at most one supplement and finished_on − due_on within the supplement allowance) +
  pending at E with at most one supplement and (paused, or E − due_on within it). Day
  counts are whole: `days <= supplement_days` is the whole-days rule, `days − 1 <
  supplement_days` (days <= ceil(supplement_days)) the exact one compared at date level;
- flows of dossiers received in [S, E]; resolved, e-result, unsatisfied of dossiers
  resolved in [S, E]; procedure pairs as in index766.score.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Connection, and_, case, func, literal, not_, or_, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import FunctionElement
from sqlalchemy.types import Integer

from db.schema import dossiers
from dossier_stats.index766.config import DEFAULT_CONFIG, Index766Config
from dossier_stats.index766.facts import ONLINE_CHANNEL, ONLINE_LEVELS, STOPPED_STATUS, UNSATISFIED
from dossier_stats.index766.score import Index766Counts
from dossier_stats.periods import Period
from dossier_stats.rules import NOT_COUNTED_STATUSES, PAUSED_STATUSES, RESOLVED_STATUSES, WITHDRAWN_STATUS


class days_between(FunctionElement):
    """Whole days from the second date to the first (a − b)."""

    type = Integer()
    inherit_cache = True


@compiles(days_between)
def _days_default(element: days_between, compiler: Any, **kw: Any) -> str:
    a, b = list(element.clauses)
    return f"({compiler.process(a, **kw)} - {compiler.process(b, **kw)})"


@compiles(days_between, "sqlite")
def _days_sqlite(element: days_between, compiler: Any, **kw: Any) -> str:
    a, b = list(element.clauses)
    return f"CAST(julianday({compiler.process(a, **kw)}) - julianday({compiler.process(b, **kw)}) AS INTEGER)"


def add_months(month: int, delta: int) -> int:
    """yyyymm + delta months."""
    index = (month // 100) * 12 + (month % 100 - 1) + delta
    return (index // 12) * 100 + index % 12 + 1


def _count(when: ColumnElement[bool], name: str) -> ColumnElement[int]:
    return func.coalesce(func.sum(case((when, 1), else_=0)), 0).label(name)


def _flag(column: ColumnElement[bool]) -> ColumnElement[bool]:
    return column.is_(True)


def raw_agency_counts(
    conn: Connection, period: Period, config: Index766Config = DEFAULT_CONFIG
) -> dict[int, Index766Counts]:
    """Index766Counts per agency id, scanning dossiers (agencies with some count only)."""
    d = dossiers.c
    start, end = period.start, period.end
    end_day = literal(end)
    end_statuses = {*RESOLVED_STATUSES, WITHDRAWN_STATUS}
    if config.stopped_status == "end":
        end_statuses.add(STOPPED_STATUS)
    in_time_statuses = sorted(end_statuses - RESOLVED_STATUSES)
    resolved = and_(d.status.in_(sorted(RESOLVED_STATUSES)), d.finished_on.is_not(None))
    ends = and_(d.status.in_(sorted(end_statuses)), d.finished_on.is_not(None))
    paused = and_(d.status.in_(sorted(PAUSED_STATUSES)), not_(ends))
    ended_now = and_(ends, d.finished_on >= start, d.finished_on <= end)
    pending = or_(paused, not_(ends), d.finished_on > end)
    allowance = case((d.supplement_days < 0, 0.0), else_=d.supplement_days)
    once = d.supplement_count <= 1

    def within(days: ColumnElement[int]) -> ColumnElement[bool]:
        return days <= allowance if config.supplement_days == "whole_days" else days - 1 < allowance

    ended_ok = or_(
        d.status.in_(in_time_statuses),
        and_(once, within(days_between(d.finished_on, func.coalesce(d.due_on, d.finished_on)))),
    )
    pending_ok = and_(
        once, or_(paused, within(days_between(end_day, func.coalesce(d.due_on, d.received_on))))
    )
    received_now = d.received_on >= start
    full_online = d.online_level == "full"
    fee = _flag(d.has_fee)
    query = (
        select(
            d.agency_id,
            _count(or_(ended_now, pending), "handled"),
            _count(or_(and_(ended_now, ended_ok), and_(pending, pending_ok)), "good"),
            _count(received_now, "received"),
            _count(and_(received_now, d.channel == ONLINE_CHANNEL), "received_online"),
            _count(and_(received_now, fee), "fee_received"),
            _count(and_(received_now, fee, _flag(d.paid_online)), "paid_online"),
            _count(and_(received_now, _flag(d.digitized)), "digitized"),
            _count(and_(received_now, _flag(d.reused_data)), "reused_data"),
            _count(and_(ended_now, resolved), "resolved"),
            _count(and_(ended_now, resolved, _flag(d.e_result)), "e_result"),
            _count(and_(ended_now, resolved, d.rating == UNSATISFIED), "unsatisfied"),
            _count(and_(ended_now, resolved, ended_ok, d.rating == UNSATISFIED), "unsatisfied_ok"),
            _count(and_(received_now, full_online), "full_received"),
            _count(and_(received_now, full_online, d.channel == ONLINE_CHANNEL), "full_received_online"),
        )
        .where(
            d.status.not_in(sorted(NOT_COUNTED_STATUSES)), d.received_on.is_not(None), d.received_on <= end
        )
        .group_by(d.agency_id)
    )
    out = {
        r.agency_id: {k: int(v) for k, v in r._mapping.items() if k != "agency_id"}
        for r in conn.execute(query)
    }
    for agency_id, values in _raw_procedures(conn, period, config).items():
        out.setdefault(agency_id, {}).update(values)
    return {a: Index766Counts(**v) for a, v in out.items()}


def _raw_procedures(conn: Connection, period: Period, config: Index766Config) -> dict[int, dict[str, int]]:
    d = dossiers.c
    last = period.last_month
    first_window = add_months(last, 1 - max(1, config.integration_window_months))
    window_start = date(first_window // 100, first_window % 100, 1)
    lo = min(period.start, window_start)
    now = d.received_on >= period.start
    fee = _flag(d.has_fee)
    per_procedure = (
        select(
            d.agency_id,
            d.procedure_code,
            _count(now, "r"),
            _count(and_(now, d.channel == ONLINE_CHANNEL), "ro"),
            _count(and_(now, d.online_level.in_(sorted(ONLINE_LEVELS))), "oo"),
            _count(and_(now, fee), "fr"),
            _count(and_(now, fee, _flag(d.paid_online)), "po"),
            _count(and_(d.received_on >= window_start, fee, _flag(d.paid_online)), "pw"),
        )
        .where(
            d.status.not_in(sorted(NOT_COUNTED_STATUSES)),
            d.received_on >= lo,
            d.received_on <= period.end,
        )
        .group_by(d.agency_id, d.procedure_code)
        .subquery()
    )
    q = per_procedure.c
    query = select(
        q.agency_id,
        _count(q.r > 0, "procedures"),
        _count(and_(q.r > 0, q.oo > 0), "procedures_online"),
        _count(and_(q.oo > 0, q.ro > 0), "procedures_online_used"),
        _count(q.fr > 0, "fee_procedures"),
        _count(and_(q.fr > 0, q.pw > 0), "fee_procedures_integrated"),
        _count(and_(q.fr > 0, q.po > 0), "fee_procedures_used"),
    ).group_by(q.agency_id)
    return {
        r.agency_id: {k: int(v) for k, v in r._mapping.items() if k != "agency_id"}
        for r in conn.execute(query)
    }
