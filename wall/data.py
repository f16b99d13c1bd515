"""What the wall's scenes show, read through the StatsService as plain data.

`read_wall_data` asks for the period and the one before it (for changes in rank and in
on-time rate), every level (departments, former districts, the current communes of the
whole province) and the 12 months up to the period's last month, a period still running
counted to today (the as-of rule of dossier_stats/asof.py). Each answer is cached by
the StatsService per data version; the wall's callback keeps the built scenes per
(data version, period, metric), so a poll that finds the same version recomputes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from dossier_stats.kpis import Kpis, UnitKpis
from dossier_stats.periods import Period
from dossier_stats.service import StatsService
from wall.warnings import WarningData

TREND_MONTHS = 12


@dataclass(frozen=True)
class WallData:
    version: int
    data_time: datetime | None
    province_name: str
    period: Period
    previous: Period
    province: Kpis
    province_before: Kpis
    districts: tuple[UnitKpis, ...]
    districts_before: tuple[UnitKpis, ...]
    communes: tuple[UnitKpis, ...]
    communes_before: tuple[UnitKpis, ...]
    departments: tuple[UnitKpis, ...]
    departments_before: tuple[UnitKpis, ...]
    months: tuple[tuple[Period, Kpis], ...]  # oldest first, ending with the as-of day's month
    as_of: date | None = None  # the period is counted to this day (today while it runs)
    warnings: WarningData | None = None  # the early-warning scene's figures (wall/warnings.py)


def trend_months(period: Period, count: int = TREND_MONTHS) -> list[Period]:
    """The `count` months ending with the period's last month, oldest first."""
    month = Period("month", period.year, period.last_month_number)
    out = [month]
    while len(out) < count:
        out.append(out[-1].previous())
    return list(reversed(out))


def province_communes(stats: StatsService, period: Period, districts: list[UnitKpis]) -> tuple[UnitKpis, ...]:
    """Every current commune of the province (those of each former district), by code."""
    communes = [c for d in districts for c in stats.commune_kpis(period, d.code)]
    return tuple(sorted(communes, key=lambda u: u.code))


def read_wall_data(stats: StatsService, period: Period) -> WallData:
    version = stats.data_version()
    as_of = stats.as_of(period).day  # a running period: to today, its trend to today's month
    previous = period.previous()
    districts = stats.district_kpis(period)
    districts_before = stats.district_kpis(previous)
    return WallData(
        version=version,
        data_time=stats.data_time(),
        province_name=stats.province().name,
        period=period,
        previous=previous,
        province=stats.province_kpis(period),
        province_before=stats.province_kpis(previous),
        districts=tuple(districts),
        districts_before=tuple(districts_before),
        communes=province_communes(stats, period, districts),
        communes_before=province_communes(stats, previous, districts_before),
        departments=tuple(stats.department_kpis(period)),
        departments_before=tuple(stats.department_kpis(previous)),
        months=tuple((m, stats.province_kpis(m)) for m in trend_months(Period.containing("month", as_of))),
        as_of=as_of,
    )
