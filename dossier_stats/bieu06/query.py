"""Biểu số 06/VPCP/KSTT (Circular 01/2020/TT-VPCP) for any date range and unit.

"Tình hình, kết quả giải quyết TTHC tại cơ quan, đơn vị trực tiếp giải quyết TTHC":
rows by level (departments / district committees / commune committees, `agencies.kind`)
then by sector (lĩnh vực, `field_code`; none → "Lĩnh vực khác"), a subtotal per level
and a grand total; the 13 columns of DOMAIN.md §2.3 as `kpis.Kpis`.

Counted straight from the dossiers table (the period need not be whole months), with the
rules of rules.py and their defaults (RULES_NOTE). For the period [start, end]:
- a dossier is in the report when it counts (status not 1 or 3, received_on known), was
  received by `end` and had not ended before `start` (ended = resolved 9/10 or withdrawn
  7 with a finished_on; paused 5/6/8 never end);
- received in the period → online (channel 2) or direct/postal; earlier → carried over;
- ended by `end` → resolved: withdrawn = on time, else finished_on against due_on
  (early / on time / late); otherwise pending: paused, or due_on on or after `end` →
  within deadline, else overdue.
So every row satisfies c3 = c4 + c5 + c6, c7 = c8 + c9 + c10, c11 = c12 + c13 and
c3 = c7 + c11 by construction; on whole months it equals dossier_stats.raw.

One statement: the union of three disjoint index ranges (received in the period; ended
on or after `start` but received before; never ended and received before), classified
and counted per (agency, sector), then summed per (level, sector).
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import (
    ARRAY,
    ColumnElement,
    Connection,
    Date,
    FromClause,
    Select,
    and_,
    any_,
    case,
    func,
    literal,
    or_,
    select,
    text,
    union_all,
)

from db.schema import agencies, dossiers
from dossier_stats.bieu06.edition import FORMER_DISTRICT, report_edition
from dossier_stats.bieu06.report import OTHER_SECTOR, Bieu06Report, Bieu06Row, build_rows, check_range
from dossier_stats.bieu06.unit import ReportUnit, province_unit
from dossier_stats.kpis import Kpis
from dossier_stats.rules import (
    NOT_COUNTED_STATUSES,
    PAUSED_STATUSES,
    RESOLVED_STATUSES,
    WITHDRAWN_STATUS,
)

ENDING_STATUSES = tuple(sorted(RESOLVED_STATUSES | {WITHDRAWN_STATUS}))
# "Never ended": the predicate of the partial index ix_dossiers_open_received, written out
# literally so that PostgreSQL recognises it (bound parameters would hide it).
OPEN_SQL = f"status NOT IN ({', '.join(map(str, ENDING_STATUSES))}) OR finished_on IS NULL"
ONLINE_CHANNEL = 2


_COLUMNS = (
    "agency_id",
    "field_code",
    "field_name",
    "channel",
    "status",
    "received_on",
    "due_on",
    "finished_on",
)
# Outcome classes, in Kpis field order after the received columns.
_OUTCOMES = ("resolved_early", "resolved_on_time", "resolved_late", "pending_within", "pending_overdue")
_RECEIVED = ("received_online", "received_direct_postal", "carried_over")


def _open() -> ColumnElement[bool]:
    return text(f"({OPEN_SQL})")  # type: ignore[return-value]


def received_before(conn: Connection, day: date) -> ColumnElement[bool]:
    """`dossiers.received_on < day`, written for the (received_on, finished_on) index.

    Combined with `finished_on >= day` (dossiers open across `day`) a range on received_on
    reads every index entry received before `day` — years of them — to find the few that
    end later. On PostgreSQL the condition is written as `received_on = ANY(every day from
    the first reception to the day before)`: the index then seeks each day directly to its
    entries ending on or after `day`, a few thousand index pages instead of the range."""
    if conn.dialect.name != "postgresql":
        return dossiers.c.received_on < day
    first = conn.execute(select(func.min(dossiers.c.received_on))).scalar()
    if first is None or first >= day:
        return dossiers.c.received_on < day
    days = [first + timedelta(days=n) for n in range((day - first).days)]
    return dossiers.c.received_on == any_(literal(days, ARRAY(Date)))


def in_period_parts(
    start: date,
    end: date,
    unit: ReportUnit,
    before_start: ColumnElement[bool],
    names: tuple[str, ...] = _COLUMNS,
) -> Select:
    """The dossiers of the report, as three disjoint index ranges (see module docstring);
    `before_start` is `received_before(conn, start)`; `names`: the columns to read."""
    d = dossiers.c
    counted = d.status.not_in(sorted(NOT_COUNTED_STATUSES))
    ids = unit.agency_ids()
    scope = [] if ids is None else [d.agency_id.in_(ids)]
    columns = [d[name] for name in names]
    received_in = select(*columns).where(
        d.received_on >= start, d.received_on <= end, counted, or_(_open(), d.finished_on >= start), *scope
    )
    ended_later = select(*columns).where(
        before_start, d.finished_on >= start, d.status.in_(ENDING_STATUSES), *scope
    )
    never_ended = select(*columns).where(d.received_on < start, _open(), counted, *scope)
    return union_all(received_in, ended_later, never_ended)


def report_classes(u: FromClause, start: date, end: date) -> tuple[ColumnElement[int], ColumnElement[int]]:
    """(received class, outcome class) of a row of the report's dossiers `u`: the received
    class indexes _RECEIVED (0 online, 1 direct/postal, 2 carried over), the outcome class
    _OUTCOMES (0 early, 1 on time, 2 late, 3 pending within deadline, 4 overdue)."""
    received_class = case((u.c.received_on < start, 2), (u.c.channel == ONLINE_CHANNEL, 0), else_=1).label(
        "received_class"
    )
    ends_by_end = and_(u.c.status.in_(ENDING_STATUSES), u.c.finished_on.is_not(None), u.c.finished_on <= end)
    deadline = func.coalesce(u.c.due_on, u.c.finished_on)
    outcome_class = case(
        (
            ends_by_end,
            case(
                (u.c.status == WITHDRAWN_STATUS, 1),
                (u.c.finished_on < deadline, 0),
                (u.c.finished_on == deadline, 1),
                else_=2,
            ),
        ),
        (u.c.status.in_(sorted(PAUSED_STATUSES)), 3),
        (func.coalesce(u.c.due_on, u.c.received_on) >= end, 3),
        else_=4,
    ).label("outcome_class")
    return received_class, outcome_class


def _classified(start: date, end: date, unit: ReportUnit, before_start: ColumnElement[bool]) -> Select:
    """(agency_id, field_code, field_name, received class, outcome class, n) grouped."""
    u = in_period_parts(start, end, unit, before_start).subquery("in_report")
    received_class, outcome_class = report_classes(u, start, end)
    return select(
        u.c.agency_id,
        u.c.field_code,
        func.max(u.c.field_name).label("field_name"),
        received_class,
        outcome_class,
        func.count().label("n"),
    ).group_by(u.c.agency_id, u.c.field_code, received_class, outcome_class)


def _pivot(
    start: date, end: date, unit: ReportUnit, before_start: ColumnElement[bool], has_districts: bool = True
) -> Select:
    """One row per (level, field_code): name and the eight counts. Without districts (the
    city edition) a district committee's level is FORMER_DISTRICT."""
    c = _classified(start, end, unit, before_start).subquery("classified")
    kind = agencies.c.kind
    level = kind if has_districts else case((kind == "district", FORMER_DISTRICT), else_=kind)

    def total(column: ColumnElement[int], value: int, name: str) -> ColumnElement[int]:
        return func.coalesce(func.sum(case((column == value, c.c.n), else_=0)), 0).label(name)

    return (
        select(
            level.label("level"),
            c.c.field_code,
            func.max(c.c.field_name).label("field_name"),
            *(total(c.c.received_class, i, name) for i, name in enumerate(_RECEIVED)),
            *(total(c.c.outcome_class, i, name) for i, name in enumerate(_OUTCOMES)),
        )
        .select_from(c.join(agencies, agencies.c.id == c.c.agency_id))
        .group_by(level, c.c.field_code)
    )


def run_indexed(conn: Connection, query: Select) -> list:
    """Execute and fetch; on PostgreSQL inside a savepoint with sequential scans and JIT
    compilation off, which restores both settings (the caller's transaction is unchanged).

    PostgreSQL estimates `received_on < start AND finished_on >= start` as if the two
    dates were independent (a quarter of the table instead of the few dossiers that span
    the first day) and would then read the whole table; the indexes answer it exactly
    (see received_before).
    JIT compilation of the report's expressions costs more than it saves at these sizes."""
    if conn.dialect.name != "postgresql":
        return list(conn.execute(query))
    savepoint = conn.begin_nested()
    try:
        conn.execute(text("SET LOCAL enable_seqscan = off"))
        conn.execute(text("SET LOCAL jit = off"))
        return list(conn.execute(query))
    finally:
        savepoint.rollback()


def _counts(row: object) -> Kpis:
    return Kpis(**{name: int(getattr(row, name)) for name in (*_RECEIVED, *_OUTCOMES)})


def bieu06_report(conn: Connection, start: date, end: date, unit: ReportUnit | None = None) -> Bieu06Report:
    """Biểu số 06 for [start, end] (inclusive) and a unit (default: the whole province), in
    the administrative edition valid on `end` (bieu06/edition.py) when editions are stored."""
    check_range(start, end)
    edition = report_edition(conn, end)
    unit = unit or province_unit(conn)
    if edition is not None and unit.kind == "province":
        unit = ReportUnit(unit.code, edition.unit_name, "province")
    has_districts = edition is None or edition.has_districts
    sectors: dict[tuple[str, str | None], Bieu06Row] = {}
    query = _pivot(start, end, unit, received_before(conn, start), has_districts)
    for r in run_indexed(conn, query):
        code = r.field_code or None  # NULL and "" are both "no sector"
        label = (r.field_name or code) if code else OTHER_SECTOR
        previous = sectors.get((r.level, code))
        counts = _counts(r) if previous is None else previous.counts + _counts(r)
        sectors[(r.level, code)] = Bieu06Row("sector", r.level, code, label, counts)
    by_level: dict[str, list[Bieu06Row]] = {}
    for row in sectors.values():
        by_level.setdefault(row.level or "", []).append(row)
    if edition is None:
        return Bieu06Report(start, end, unit, build_rows(by_level))
    rows = build_rows(by_level, edition.level_labels())
    return Bieu06Report(start, end, unit, rows, edition_note=edition.note(end))
