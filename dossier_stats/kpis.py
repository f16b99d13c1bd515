"""Dossier KPIs per unit and period, read from the monthly table agency_month_stats.

The columns are those of report form Biểu số 06 (DOMAIN.md §2.3). For a period:
- flows (received by channel, resolved early / on time / late, withdrawn) are summed
  over the months of the period;
- the pending stock at the period's end is the sum of the d_pending_* deltas of every
  month up to its last month; carried over (từ kỳ trước) is the whole stock at the end
  of the month before its first month.
Default rules (rules.RULES_NOTE): withdrawn dossiers count as resolved on time, paused
ones as pending within deadline.

Every function is one grouped SQL statement (SQLAlchemy Core), the same on SQLite and
PostgreSQL; units without any data get zeros. Which agencies make up a unit is decided
here once; where the sums come from is a `KpiSource` (default: `monthly_source`;
raw.py passes a scan of the dossiers table through the same unit queries).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields
from datetime import date, datetime

from sqlalchemy import (
    ColumnElement,
    Connection,
    FromClause,
    Select,
    and_,
    case,
    func,
    or_,
    select,
)

from db.schema import admin_units, agencies, agency_month_stats, data_state, dossiers
from dossier_stats.periods import Period
from dossier_stats.successions import successors_in_period


@dataclass(frozen=True)
class Kpis:
    received_online: int = 0
    received_direct_postal: int = 0  # channel 1 and 3
    carried_over: int = 0  # pending at the end of the day before the period
    resolved_early: int = 0
    resolved_on_time: int = 0  # includes withdrawn under the default rule
    resolved_late: int = 0
    pending_within: int = 0  # includes paused under the default rule
    pending_overdue: int = 0

    @property
    def received_new(self) -> int:
        return self.received_online + self.received_direct_postal

    @property
    def received_total(self) -> int:
        """Biểu 06 column 3: newly received plus carried over."""
        return self.received_new + self.carried_over

    @property
    def resolved_total(self) -> int:
        return self.resolved_early + self.resolved_on_time + self.resolved_late

    @property
    def pending_total(self) -> int:
        return self.pending_within + self.pending_overdue

    @property
    def on_time_rate(self) -> float | None:
        """(early + on time) / resolved, 0..1; None when nothing was resolved."""
        total = self.resolved_total
        return (self.resolved_early + self.resolved_on_time) / total if total else None

    @property
    def online_share(self) -> float | None:
        """Online / newly received, 0..1; None when nothing was received."""
        total = self.received_new
        return self.received_online / total if total else None

    def __add__(self, other: Kpis) -> Kpis:
        return Kpis(**{f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(self)})


KPI_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(Kpis))


@dataclass(frozen=True)
class UnitKpis:
    code: str  # unit code (district/commune GSO code) or agency code for departments
    name: str
    kpis: Kpis


def kpis_from_row(row: object) -> Kpis:
    """Kpis from a result row with one (possibly NULL) column per KPI field."""
    return Kpis(**{name: int(getattr(row, name) or 0) for name in KPI_FIELDS})


@dataclass(frozen=True)
class KpiSource:
    """Where a period's KPI sums come from: a FROM clause that includes `agencies` (so
    units can group by its columns), the rows to read, and one labelled SUM per KPI field."""

    from_: FromClause
    where: tuple[ColumnElement[bool], ...]
    sums: tuple[ColumnElement[int], ...]


SourceFn = Callable[[Period], KpiSource]


def _sum_when(when: ColumnElement[bool] | None, expr: ColumnElement[int], name: str) -> ColumnElement[int]:
    value = expr if when is None else case((when, expr), else_=0)
    return func.coalesce(func.sum(value), 0).label(name)


def monthly_source(
    period: Period, *, table: FromClause | None = None, last_month: int | None = None
) -> KpiSource:
    """The KPIs from agency_month_stats: flows summed over the period's months, pending
    stock = deltas summed up to its last month, carried over = up to the month before.

    `table` replaces agency_month_stats by a FROM clause with its columns (asof.py passes
    the table with the running month's corrections), `last_month` the period's last
    month (yyyymm; asof.py: the month of the as-of day)."""
    t = agency_month_stats if table is None else table
    s = t.c
    in_period = s.month >= period.first_month
    before = s.month < period.first_month
    return KpiSource(
        from_=t.join(agencies, agencies.c.id == s.agency_id),
        where=(s.month <= (period.last_month if last_month is None else last_month),),
        sums=(
            _sum_when(in_period, s.received_online, "received_online"),
            _sum_when(in_period, s.received_direct + s.received_postal, "received_direct_postal"),
            _sum_when(before, s.d_pending_within + s.d_pending_overdue + s.d_pending_paused, "carried_over"),
            _sum_when(in_period, s.resolved_early, "resolved_early"),
            _sum_when(in_period, s.resolved_on_time + s.withdrawn, "resolved_on_time"),
            _sum_when(in_period, s.resolved_late, "resolved_late"),
            _sum_when(None, s.d_pending_within + s.d_pending_paused, "pending_within"),
            _sum_when(None, s.d_pending_overdue, "pending_overdue"),
        ),
    )


def _stats_by(
    source: KpiSource, key: ColumnElement[str], where: Sequence[ColumnElement[bool]] = ()
) -> FromClause:
    """Subquery (key, KPI sums...) grouped by key."""
    return (
        select(key.label("key"), *source.sums)
        .select_from(source.from_)
        .where(*source.where, *where)
        .group_by(key)
        .subquery()
    )


def _units_with_stats(units: Select, stats: FromClause) -> Select:
    """units (code, name, ...) LEFT JOIN stats ON code = key, with every KPI column."""
    u = units.subquery()
    return (
        select(u.c.code, u.c.name, *(stats.c[name] for name in KPI_FIELDS))
        .select_from(u.outerjoin(stats, stats.c.key == u.c.code))
        .order_by(u.c.code)
    )


def _unit_rows(conn: Connection, query: Select) -> list[UnitKpis]:
    return [UnitKpis(code=r.code, name=r.name, kpis=kpis_from_row(r)) for r in conn.execute(query)]


def province_kpis(conn: Connection, period: Period, *, source: SourceFn = monthly_source) -> Kpis:
    """Every agency of the database (departments, districts, old and current communes)."""
    src = source(period)
    query = select(*src.sums).select_from(src.from_).where(*src.where)
    return kpis_from_row(conn.execute(query).one())


def district_kpis(conn: Connection, period: Period, *, source: SourceFn = monthly_source) -> list[UnitKpis]:
    """Every district of admin_units, with the agencies mapped to it (its committee, its
    old and current communes, old communes without successor); zeros when no data."""
    units = select(admin_units.c.code, admin_units.c.name).where(admin_units.c.level == "district")
    key = agencies.c.map_district_code
    stats = _stats_by(source(period), key, [key.is_not(None)])
    return _unit_rows(conn, _units_with_stats(units, stats))


def commune_kpis(
    conn: Connection, period: Period, district_code: str, *, source: SourceFn = monthly_source
) -> list[UnitKpis]:
    """Every current commune of the district, with the agencies mapped to it (itself and
    the old communes it succeeds); zeros when no data."""
    units = select(admin_units.c.code, admin_units.c.name).where(
        admin_units.c.level == "commune", admin_units.c.parent_code == district_code
    )
    key = agencies.c.map_commune_code
    # Agencies mapped to a commune of the district carry the district too: aggregate only those.
    in_district = [key.is_not(None), agencies.c.map_district_code == district_code]
    stats = _stats_by(source(period), key, in_district)
    return _unit_rows(conn, _units_with_stats(units, stats))


def _valid_in(period: Period) -> ColumnElement[bool]:
    return and_(
        agencies.c.valid_from <= period.end,
        or_(agencies.c.valid_to.is_(None), agencies.c.valid_to >= period.start),
    )


def _latest_names(where: Sequence[ColumnElement[bool]]) -> Select:
    """(code, name) of agencies matching `where`, the name of each code's latest version."""
    latest = (
        select(agencies.c.code, func.max(agencies.c.valid_from).label("valid_from"))
        .where(*where)
        .group_by(agencies.c.code)
        .subquery()
    )
    return select(agencies.c.code, agencies.c.name).select_from(
        latest.join(
            agencies, and_(agencies.c.code == latest.c.code, agencies.c.valid_from == latest.c.valid_from)
        )
    )


def department_kpis(conn: Connection, period: Period, *, source: SourceFn = monthly_source) -> list[UnitKpis]:
    """Every department with a version valid in the period (by agency code, all its
    versions' dossiers together, with those of the departments merged into it before the
    period, named after its latest version valid in the period)."""
    is_department = agencies.c.kind == "department"
    units = _latest_names([is_department, _valid_in(period)])
    # a department merged before the period (Sở Kế hoạch và Đầu tư into Sở Tài chính on
    # 1/3/2025): its dossiers still counting in the period count for its successor, once
    successors = successors_in_period(conn, period)
    key = case(successors, value=agencies.c.code, else_=agencies.c.code) if successors else agencies.c.code
    stats = _stats_by(source(period), key, [is_department])
    return _unit_rows(conn, _units_with_stats(units, stats))


def unmapped_kpis(conn: Connection, period: Period, *, source: SourceFn = monthly_source) -> list[UnitKpis]:
    """Commune agencies that map to no current commune (old communes without successor),
    by agency code, only those with some count in the period. They are already in their
    district's and the province's figures."""
    unmapped = [agencies.c.kind == "commune", agencies.c.map_commune_code.is_(None)]
    query = _units_with_stats(_latest_names(unmapped), _stats_by(source(period), agencies.c.code, unmapped))
    rows = _unit_rows(conn, query)
    return [r for r in rows if r.kpis != Kpis()]


def data_version(conn: Connection) -> int:
    """data_state.version, 0 before any import."""
    value = conn.execute(select(data_state.c.version).order_by(data_state.c.id).limit(1)).scalar()
    return int(value or 0)


def data_time(conn: Connection) -> datetime | None:
    """When imported data last changed (data_state.updated_at), local time."""
    return conn.execute(select(data_state.c.updated_at).order_by(data_state.c.id).limit(1)).scalar()


def first_data_date(conn: Connection) -> date | None:
    """Earliest reception date of any dossier."""
    return conn.execute(select(func.min(dossiers.c.received_on))).scalar()
