"""What the wall's scenes show, read through the StatsService as plain data.

`read_wall_data` asks for the period and the one before it (for changes in rank and in
on-time rate), every level (departments, former districts, the current communes of the
whole province) and the 12 months up to the period's last month, a period still running
counted to today (the as-of rule of dossier_stats/asof.py). The period is drawn in the map
edition valid on its last day, as on the home map (or the one asked for): an edition
without districts (the city of Đà Nẵng from 01/7/2025) gives the city's units instead of
the former districts (`WallCity`: all its units, those without data drawn "chưa có dữ
liệu" and left out of rankings, with the coverage note). Each answer is cached by
the StatsService per data version; the wall's callback keeps the built scenes per
(data version, period, metric), so a poll that finds the same version recomputes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from dossier_stats.editions import EditionInfo
from dossier_stats.kpis import Kpis, UnitKpis
from dossier_stats.periods import Period
from dossier_stats.service import StatsService
from wall.warnings import WarningData

TREND_MONTHS = 12


@dataclass(frozen=True)
class WallCity:
    """The period's edition when it has no district level: every unit of the city."""

    id: str
    name: str  # "Thành phố Đà Nẵng (từ 01/7/2025)"
    units: tuple[UnitKpis, ...]  # every unit of the edition (zeros for those without dossiers)
    with_data: frozenset[str]  # the units with data (edition coverage): coloured and ranked
    coverage_note: str  # "Số liệu của 78/94 đơn vị; 16 đơn vị chưa có dữ liệu (dấu ×), …"
    # from the boundary files (callbacks/wall/refresh.py): a point in each unit without
    # data (its "chưa có dữ liệu" cross) and the units drawn in the inset (Đặc khu Hoàng Sa)
    no_data_points: tuple[tuple[str, tuple[float, float]], ...] = ()
    detached: frozenset[str] = frozenset()


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
    city: WallCity | None = None  # the period's edition has no districts: the city's units

    @property
    def whole(self) -> str:
        """ "Toàn tỉnh", or "Toàn thành phố" in the city's edition."""
        return "Toàn tỉnh" if self.city is None else "Toàn thành phố"

    def attention_groups(self) -> list[tuple[str, tuple[UnitKpis, ...], tuple[UnitKpis, ...]]]:
        """The groups whose units the attention list compares (wall.summary.attention_list):
        the departments and the communes, each now and in the previous period."""
        return [
            ("Sở, ban, ngành", self.departments, self.departments_before),
            ("Xã, phường", self.communes, self.communes_before),
        ]


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


def wall_edition(stats: StatsService, period: Period, edition: str | None = None) -> EditionInfo | None:
    """The stored edition asked for, else the one valid on the period's last day (None: none)."""
    chosen = next((e for e in stats.editions() if e.id == edition), None) if edition else None
    return chosen or stats.edition_for(period)


def _city(stats: StatsService, period: Period, edition: EditionInfo) -> tuple[WallCity, tuple, tuple]:
    """The city's units, and the units with data now and before (what rankings compare)."""
    coverage = stats.edition_coverage(period, edition.id)
    units = tuple(stats.edition_level_kpis(period, edition.id))
    before = stats.edition_level_kpis(period.previous(), edition.id)
    missing = coverage.total - len(coverage.with_data)
    note = f"Số liệu của {len(coverage.with_data)}/{coverage.total} đơn vị" + (
        f"; {missing} đơn vị chưa có dữ liệu (dấu ×), không xếp hạng." if missing else "."
    )
    city = WallCity(edition.id, edition.name, units, coverage.with_data, note)
    ranked = tuple(u for u in units if coverage.has_data(u.code))
    return city, ranked, tuple(u for u in before if coverage.has_data(u.code))


def read_wall_data(stats: StatsService, period: Period, edition: str | None = None) -> WallData:
    """The wall's data of the period in its edition (`edition`: another stored one by id)."""
    version = stats.data_version()
    as_of = stats.as_of(period).day  # a running period: to today, its trend to today's month
    previous = period.previous()
    shown = wall_edition(stats, period, edition)
    city = None
    if shown is not None and not shown.has_districts:
        districts: list[UnitKpis] = []
        districts_before: list[UnitKpis] = []
        city, communes, communes_before = _city(stats, period, shown)
    else:
        districts = stats.district_kpis(period)
        districts_before = stats.district_kpis(previous)
        communes = province_communes(stats, period, districts)
        communes_before = province_communes(stats, previous, districts_before)
    return WallData(
        version=version,
        data_time=stats.data_time(),
        province_name=stats.province().name if shown is None else shown.unit_name,
        period=period,
        previous=previous,
        province=stats.province_kpis(period),
        province_before=stats.province_kpis(previous),
        districts=tuple(districts),
        districts_before=tuple(districts_before),
        communes=communes,
        communes_before=communes_before,
        departments=tuple(stats.department_kpis(period)),
        departments_before=tuple(stats.department_kpis(previous)),
        months=tuple((m, stats.province_kpis(m)) for m in trend_months(Period.containing("month", as_of))),
        as_of=as_of,
        city=city,
    )
