"""The as-of rule (issue 14 item 1): a period that has not ended is counted from its first
day to today (local time), "tính đến ngày dd/mm/yyyy"; a finished period is unchanged.

For the period [S, E] asked on day D with S <= D < E, the figures are those of the range
[S, D]: flows (received, resolved) that happened by D, and the pending stock of D — a
dossier not ended by D is overdue when its deadline is before D, else within deadline
(paused ones within), exactly as Biểu 06 counts the range [S, D] (bieu06/query.py).

How, without slowing the map. agency_month_stats judges each month at its last day. For
the month M holding D (last day ME), `asof_month_stats` is agency_month_stats up to M plus
correction rows at month M, read from the few dossiers that month-end judging counts
differently from D:
- A: received in (D, ME]: their whole contribution to month M is taken back;
- B: received by D and ended (resolved 9/10, withdrawn 7) in (D, ME]: their resolution is
  taken back and they are pending at D (within / overdue against D);
- C: received by D, not paused, not ended by ME, deadline in [D, ME): overdue at ME,
  within deadline at D.
With no event after today (live data) A and B are empty and C is the open dossiers due in
the rest of the month, read from the partial index ix_dossiers_open_due (migration
asof_0001). The corrections are summed per agency by one statement (`correction_rows`),
which the services cache per (data version, day); every KPI query then reads
agency_month_stats with those few rows added as a VALUES table (`asof_source`,
kpis.monthly_source's `table`), and so do the trends and channels — the map's level
queries stay as fast as on a finished period.
"""

from __future__ import annotations

from calendar import monthrange
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import (
    ColumnElement,
    Connection,
    FromClause,
    Integer,
    and_,
    case,
    column,
    func,
    literal,
    not_,
    or_,
    select,
    text,
    union_all,
)

from db.schema import agency_month_stats, dossiers
from dossier_stats.aggregates import STAT_COLUMNS
from dossier_stats.bieu06.query import ENDING_STATUSES, OPEN_SQL, received_before, run_indexed
from dossier_stats.kpis import KpiSource, SourceFn, monthly_source
from dossier_stats.periods import Period
from dossier_stats.rules import NOT_COUNTED_STATUSES, PAUSED_STATUSES, WITHDRAWN_STATUS, month_key
from vi_format import as_of_text, format_date

ONLINE_CHANNEL, POSTAL_CHANNEL = 2, 3


class PeriodNotStarted(ValueError):
    """The period begins after today (Vietnamese message)."""


@dataclass(frozen=True)
class AsOf:
    """The day a period's figures are counted to: its last day once it has ended, else today."""

    period: Period
    day: date

    @property
    def running(self) -> bool:
        """True while the period has not ended: its figures stop at `day`."""
        return self.day < self.period.end

    @property
    def start(self) -> date:
        return self.period.start

    @property
    def text(self) -> str:
        """ "tính đến ngày 15/09/2026" (for a title or a legend)."""
        return f"tính đến ngày {format_date(self.day)}"

    @property
    def line(self) -> str:
        """ "Số liệu tính đến ngày 15/09/2026" (the line of every export)."""
        return as_of_text(self.day)


def as_of(period: Period, today: date) -> AsOf:
    """The period counted to min(its last day, today). PeriodNotStarted for a future period."""
    if today < period.start:
        raise PeriodNotStarted(
            f"Kỳ {period.label} chưa bắt đầu (hôm nay là {format_date(today)}): chưa có số liệu."
        )
    return AsOf(period, min(period.end, today))


def month_end(day: date) -> date:
    return date(day.year, day.month, monthrange(day.year, day.month)[1])


def _tail_dossiers(conn: Connection, day: date, last: date) -> FromClause:
    """The dossiers of parts A, B and C (module docstring) with a `part` number (1 A,
    2 ended after D: B or C, 3 open C), each part one index range."""
    d = dossiers.c
    columns = (d.agency_id, d.status, d.channel, d.received_on, d.due_on, d.finished_on)
    open_ = text(f"({OPEN_SQL})")
    judged = d.status.not_in(sorted(NOT_COUNTED_STATUSES | PAUSED_STATUSES))
    received_later = select(*columns, literal(1).label("part")).where(
        d.received_on > day, d.received_on <= last, d.status.not_in(sorted(NOT_COUNTED_STATUSES))
    )
    ended_later = select(*columns, literal(2).label("part")).where(
        received_before(conn, day + timedelta(days=1)), d.finished_on > day, d.status.in_(ENDING_STATUSES)
    )
    open_due = select(*columns, literal(3).label("part")).where(
        open_, judged, d.due_on >= day, d.due_on < last, d.received_on <= day
    )
    # No due date: the deadline is the reception day, in [D, ME) and by D only when it is D.
    open_undated = select(*columns, literal(3).label("part")).where(
        open_, judged, d.due_on.is_(None), d.received_on == day
    )
    return union_all(received_later, ended_later, open_due, open_undated).subquery("tail")


def corrections(conn: Connection, day: date) -> FromClause:
    """Rows (agency_id, month, STAT_COLUMNS…) that move month(day) from its last day to `day`."""
    last = month_end(day)
    u = _tail_dossiers(conn, day, last).c
    deadline = func.coalesce(u.due_on, u.received_on)  # of a pending dossier
    finish_deadline = func.coalesce(u.due_on, u.finished_on)  # of a resolved one
    paused = u.status.in_(sorted(PAUSED_STATUSES))
    ended_by_last = and_(u.status.in_(ENDING_STATUSES), u.finished_on.is_not(None), u.finished_on <= last)
    part_a = u.part == 1
    part_b = and_(u.part == 2, u.finished_on <= last)
    part_c = or_(u.part == 3, and_(u.part == 2, u.finished_on > last, deadline >= day, deadline < last))
    taken_back = or_(and_(part_a, ended_by_last), part_b)  # a resolution after D counted in month M
    resolved_back = and_(taken_back, u.status != WITHDRAWN_STATUS)
    pending_a = and_(part_a, not_(ended_by_last), not_(paused))

    def minus(when: ColumnElement[bool], name: str) -> ColumnElement[int]:
        return case((when, -1), else_=0).label(name)

    columns = [
        minus(and_(part_a, u.channel == ONLINE_CHANNEL), "received_online"),
        minus(and_(part_a, u.channel.not_in([ONLINE_CHANNEL, POSTAL_CHANNEL])), "received_direct"),
        minus(and_(part_a, u.channel == POSTAL_CHANNEL), "received_postal"),
        minus(and_(resolved_back, u.finished_on < finish_deadline), "resolved_early"),
        minus(and_(resolved_back, u.finished_on == finish_deadline), "resolved_on_time"),
        minus(and_(resolved_back, u.finished_on > finish_deadline), "resolved_late"),
        minus(and_(taken_back, u.status == WITHDRAWN_STATUS), "withdrawn"),
        case(
            (and_(pending_a, deadline >= last), -1), (and_(part_b, deadline >= day), 1), (part_c, 1), else_=0
        ).label("d_pending_within"),
        case(
            (and_(pending_a, deadline < last), -1), (and_(part_b, deadline < day), 1), (part_c, -1), else_=0
        ).label("d_pending_overdue"),
        minus(and_(part_a, paused), "d_pending_paused"),
    ]
    by_column = {c.name: c for c in columns}
    return select(
        u.agency_id, literal(month_key(day)).label("month"), *(by_column[name] for name in STAT_COLUMNS)
    ).subquery("corrections")


Fixes = tuple[tuple[int, ...], ...]  # (agency_id, STAT_COLUMNS…) per agency, month(day) implied


def correction_rows(conn: Connection, day: date) -> Fixes:
    """The corrections of month(day) summed per agency, the non-zero ones: one statement,
    which a service caches per (data version, day) and hands to every level's query."""
    if day == month_end(day):
        return ()
    fix = corrections(conn, day).c
    query = select(fix.agency_id, *(func.sum(fix[name]).label(name) for name in STAT_COLUMNS)).group_by(
        fix.agency_id
    )
    rows = [tuple(int(v or 0) for v in row) for row in run_indexed(conn, query)]
    return tuple(sorted(r for r in rows if any(r[1:])))


def _fix_rows(month: int, fixes: Fixes) -> FromClause:
    """The fixes as a VALUES table with the columns of agency_month_stats. Every value is an
    int written by correction_rows (checked here), so they are written into the SQL text:
    one small table instead of thousands of bound parameters."""
    names = ("agency_id", "month", *STAT_COLUMNS)
    width = len(names)
    lines = []
    for row in fixes:
        values = (row[0], month, *row[1:])
        if len(values) != width or not all(type(v) is int for v in values):
            raise ValueError(f"Dòng hiệu chỉnh không hợp lệ: {row!r}.")
        lines.append("(" + ", ".join(str(v) for v in values) + ")")
    columns = ", ".join(f"column{i} AS {name}" for i, name in enumerate(names, start=1))
    sql = f"SELECT {columns} FROM (VALUES {', '.join(lines)}) AS fix_values"  # ints only, checked above
    return text(sql).columns(*(column(name, Integer) for name in names)).subquery("fixes")


def asof_month_stats(conn: Connection, day: date, fixes: Fixes | None = None) -> FromClause:
    """agency_month_stats counted to `day`: its rows up to month(day), plus the corrections
    of that month when `day` is not its last day (`fixes`: correction_rows(conn, day), read
    now when not given). Same columns (agency_id, month, STAT_COLUMNS)."""
    s = agency_month_stats.c
    stored = select(s.agency_id, s.month, *(s[name] for name in STAT_COLUMNS)).where(
        s.month <= month_key(day)
    )
    rows = correction_rows(conn, day) if fixes is None else fixes
    if not rows:
        return stored.subquery("month_stats")
    fix = _fix_rows(month_key(day), rows).c
    return union_all(stored, select(*fix)).subquery("month_stats")


def asof_source(conn: Connection, day: date, fixes: Fixes | None = None) -> SourceFn:
    """A kpis SourceFn that counts every period to min(its last day, `day`); the
    corrections (`fixes`, else read once now) serve every query made with it."""
    cache: list[Fixes] = [] if fixes is None else [fixes]

    def source(period: Period) -> KpiSource:
        if day >= period.end:
            return monthly_source(period)
        if day < period.start:
            raise PeriodNotStarted(f"Kỳ {period.label} chưa bắt đầu ngày {format_date(day)}.")
        if not cache:
            cache.append(correction_rows(conn, day))
        table = asof_month_stats(conn, day, cache[0])
        return monthly_source(period, table=table, last_month=month_key(day))

    return source
