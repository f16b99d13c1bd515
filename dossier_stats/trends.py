"""Monthly trends of a unit, its parent and the province, and its rank among its siblings.

From agency_month_stats (the counting rules of rules.py, their defaults as in kpis.py):
per month, dossiers newly received, resolved (withdrawn included, as resolved on time),
and the on-time rate (early + on time) / resolved. Ranks: the unit among its siblings
(districts among districts, a commune among the communes of its district, a department
among departments) for a metric of dossier_stats.metrics, per month, ties 1, 2, 2, 4;
a sibling without any dossier received, resolved or pending that month is not ranked,
nor is one whose metric is undefined (a rate over nothing).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, Connection, FromClause, func, select

from db.schema import admin_units, agencies, agency_month_stats
from dossier_stats.aggregates import STAT_COLUMNS
from dossier_stats.asof import asof_month_stats, month_end
from dossier_stats.bieu06.unit import ReportUnit, province_unit
from dossier_stats.kpis import Kpis
from dossier_stats.metrics import METRICS, Metric
from dossier_stats.rules import month_key
from dossier_stats.successions import TrendBreak, chain_codes, trend_breaks

DEFAULT_MONTHS = 24


def month_range(end_month: int, count: int = DEFAULT_MONTHS) -> list[int]:
    """The `count` months (yyyymm) ending with `end_month`, oldest first."""
    if count < 1:
        raise ValueError(f"Số tháng phải ≥ 1 (nhận {count}).")
    year, month = divmod(end_month, 100)
    if not 1 <= month <= 12:
        raise ValueError(f"Tháng không hợp lệ: {end_month} (dạng yyyymm, ví dụ 202512).")
    out = []
    for _ in range(count):
        out.append(year * 100 + month)
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return out[::-1]


@dataclass(frozen=True)
class MonthPoint:
    month: int  # yyyymm
    received: int  # newly received in the month
    resolved: int  # early + on time (withdrawn included) + late
    on_time_rate: float | None  # 0..1; None when nothing was resolved


@dataclass(frozen=True)
class Series:
    unit: ReportUnit
    points: list[MonthPoint]


@dataclass(frozen=True)
class RankPoint:
    month: int
    value: float | None  # the unit's metric that month
    rank: int | None  # 1 = best; None when the unit is not ranked that month
    of: int  # how many siblings were ranked that month


@dataclass(frozen=True)
class UnitTrends:
    metric: str
    months: list[int]
    unit: Series
    parent: Series | None  # None for the province itself
    province: Series
    ranks: list[RankPoint]  # empty when the unit has no siblings (the province)
    as_of: date | None = None  # the running month's point is counted to this day
    # a department's series follows its chain of predecessors; each succession in the
    # window is a break to mark on the chart (dossier_stats/successions.py)
    breaks: tuple[TrendBreak, ...] = ()


def competition_ranks(values: Mapping[str, float | None], higher_is_better: bool) -> dict[str, int | None]:
    """Standard competition ranking (1, 2, 2, 4); None values get no rank."""
    ranked = sorted((v for v in values.values() if v is not None), reverse=higher_is_better)
    first_position: dict[float, int] = {}
    for position, value in enumerate(ranked, start=1):
        first_position.setdefault(value, position)
    return {key: None if v is None else first_position[v] for key, v in values.items()}


# ---------------------------------------------------------------- monthly KPIs

MonthlySums = dict[int, dict[str, int]]  # month -> stat column -> sum


def _monthly_sums(
    conn: Connection,
    key: ColumnElement[str] | None,
    conditions: Sequence[ColumnElement[bool]],
    last_month: int,
    table: FromClause = agency_month_stats,
) -> dict[str, MonthlySums]:
    """Sums of every stat column per (key, month) for months up to last_month (all of them:
    the pending stock of a month is the sum of the deltas before it). Without a key, one
    group under "". `table`: agency_month_stats, or asof.asof_month_stats."""
    s = table.c
    keys = [] if key is None else [key]
    query = (
        select(*(k.label("key") for k in keys), s.month, *(func.sum(s[c]).label(c) for c in STAT_COLUMNS))
        .select_from(table.join(agencies, agencies.c.id == s.agency_id))
        .where(s.month <= last_month, *conditions)
        .group_by(*keys, s.month)
    )
    out: dict[str, MonthlySums] = defaultdict(dict)
    for r in conn.execute(query):
        code = r.key if keys else ""
        out[code][r.month] = {c: int(getattr(r, c) or 0) for c in STAT_COLUMNS}
    return out


def month_kpis(sums: MonthlySums, months: Sequence[int]) -> dict[int, Kpis]:
    """Kpis of each of `months` (each month a period of its own) from the monthly sums."""
    wanted = set(months)
    within = overdue = paused = 0
    out: dict[int, Kpis] = {}
    for month in sorted(set(sums) | wanted):
        carried = within + overdue + paused
        row = sums.get(month, {})
        within += row.get("d_pending_within", 0)
        overdue += row.get("d_pending_overdue", 0)
        paused += row.get("d_pending_paused", 0)
        if month in wanted:
            out[month] = Kpis(
                received_online=row.get("received_online", 0),
                received_direct_postal=row.get("received_direct", 0) + row.get("received_postal", 0),
                carried_over=carried,
                resolved_early=row.get("resolved_early", 0),
                resolved_on_time=row.get("resolved_on_time", 0) + row.get("withdrawn", 0),
                resolved_late=row.get("resolved_late", 0),
                pending_within=within + paused,
                pending_overdue=overdue,
            )
    return out


def _point(month: int, k: Kpis) -> MonthPoint:
    return MonthPoint(month, k.received_new, k.resolved_total, k.on_time_rate)


def monthly_series(
    conn: Connection, unit: ReportUnit, months: Sequence[int], table: FromClause = agency_month_stats
) -> Series:
    """The unit's received / resolved / on-time rate for each month (zeros when no data)."""
    sums = _monthly_sums(conn, None, unit.agency_conditions(), max(months), table)
    by_month = month_kpis(sums.get("", {}), months)
    return Series(unit, [_point(m, by_month[m]) for m in months])


# ---------------------------------------------------------------- family of a unit


def parent_unit(conn: Connection, unit: ReportUnit, province: ReportUnit | None = None) -> ReportUnit | None:
    """A commune's district; the province for a district or a department; an old commune's
    (agency code) mapped district, else the province; None for the province."""
    if unit.kind == "province":
        return None
    province = province or province_unit(conn)
    parent_code: str | None = None
    if unit.kind == "commune":
        parent_code = conn.execute(
            select(admin_units.c.parent_code).where(admin_units.c.code == unit.code)
        ).scalar()
    elif unit.kind == "agency":
        parent_code = conn.execute(
            select(agencies.c.map_district_code)
            .where(agencies.c.code == unit.code, agencies.c.map_district_code.is_not(None))
            .order_by(agencies.c.valid_from.desc())
            .limit(1)
        ).scalar()
    if parent_code is None:
        return province
    name = conn.execute(select(admin_units.c.name).where(admin_units.c.code == parent_code)).scalar()
    return ReportUnit(parent_code, name or parent_code, "district")


def _sibling_sums(
    conn: Connection, unit: ReportUnit, last_month: int, table: FromClause = agency_month_stats
) -> dict[str, MonthlySums] | None:
    """Monthly sums of the unit and its siblings, keyed by their codes; None when the unit has none."""
    a = agencies.c
    if unit.kind == "district":
        return _monthly_sums(conn, a.map_district_code, [a.map_district_code.is_not(None)], last_month, table)
    if unit.kind == "department":
        return _monthly_sums(conn, a.code, [a.kind == "department"], last_month, table)
    if unit.kind == "commune":
        parent = conn.execute(
            select(admin_units.c.parent_code).where(admin_units.c.code == unit.code)
        ).scalar()
        siblings = select(admin_units.c.code).where(
            admin_units.c.level == "commune", admin_units.c.parent_code == parent
        )
        return _monthly_sums(conn, a.map_commune_code, [a.map_commune_code.in_(siblings)], last_month, table)
    return None


def monthly_ranks(
    conn: Connection,
    unit: ReportUnit,
    months: Sequence[int],
    metric: str = "on_time_rate",
    table: FromClause = agency_month_stats,
) -> list[RankPoint]:
    """The unit's rank among its siblings for `metric` in each month (empty list when it has
    no siblings: the province, or an agency that is not a map unit or a department)."""
    chosen = _metric(metric)
    family = _sibling_sums(conn, unit, max(months), table)
    if family is None:
        return []
    per_unit = {code: month_kpis(sums, months) for code, sums in family.items()}
    out = []
    for month in months:
        values = {
            code: chosen.value(by_month[month]) if by_month[month] != Kpis() else None
            for code, by_month in per_unit.items()
        }
        ranks = competition_ranks(values, chosen.higher_is_better)
        ranked = sum(1 for r in ranks.values() if r is not None)
        out.append(RankPoint(month, values.get(unit.code or ""), ranks.get(unit.code or ""), ranked))
    return out


def _metric(key: str) -> Metric:
    if key not in METRICS:
        raise ValueError(f"Chỉ tiêu không hợp lệ: {key!r}; chọn một trong: {', '.join(METRICS)}.")
    return METRICS[key]


def unit_trends(
    conn: Connection,
    unit: ReportUnit,
    end_month: int,
    months: int = DEFAULT_MONTHS,
    metric: str = "on_time_rate",
    province: ReportUnit | None = None,
    as_of: date | None = None,
) -> UnitTrends:
    """Everything the trends panel shows for a unit: its series, its parent's and the
    province's over the `months` months ending with `end_month` (yyyymm), and its ranks.

    `as_of` (today): the month holding it is counted to that day (asof.py), later months
    are empty; None counts every month to its last day."""
    _metric(metric)
    span = month_range(end_month, months)
    province = province or province_unit(conn)
    parent = parent_unit(conn, unit, province)
    table = _table_as_of(conn, as_of, end_month)
    breaks: tuple[TrendBreak, ...] = ()
    series_unit = unit
    if unit.kind == "department" and unit.code is not None:
        chain = chain_codes(conn, unit.code)
        series_unit = ReportUnit(unit.code, unit.name, unit.kind, tuple(c for c in chain if c != unit.code))
        breaks = tuple(trend_breaks(conn, unit.code, span[0], span[-1]))
    return UnitTrends(
        metric=metric,
        months=span,
        unit=monthly_series(conn, series_unit, span, table),
        parent=None if parent is None else monthly_series(conn, parent, span, table),
        province=monthly_series(conn, province, span, table),
        ranks=monthly_ranks(conn, unit, span, metric, table),
        as_of=as_of,
        breaks=breaks,
    )


def _table_as_of(conn: Connection, as_of: date | None, end_month: int) -> FromClause:
    """The monthly table counted to `as_of` when that day falls before the end of end_month."""
    if as_of is None or month_end(as_of) == as_of or month_key(as_of) > end_month:
        return agency_month_stats
    return asof_month_stats(conn, as_of)
