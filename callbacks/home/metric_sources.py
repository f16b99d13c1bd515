"""Metric sources: where each family of map metrics reads its values.

A `MetricSource` offers its metrics (`metrics()`) and, for one of them, the map units of
a level — the former districts (`district=None`), or the current communes of one district —
and the provincial departments, for a period. Each unit carries its value, hover text and
ranking cells (layouts.home.map_metrics.MapUnit), so the figure, the rankings and the URL
treat every family alike. A source also answers what the side panel shows of its family
for a view (`panel_blocks`: blocks above the unit's figures when the map shows its family,
below them otherwise):

- `DossierSource`: the Biểu 06 KPIs of the StatsService (any month, quarter or year);
- `Index766Source`: the 766 service index (dossier_stats.index766) per polygon and per
  department, as the StatsService answers it (cached per data version);
- `ParSource`: the PAR index of the ScoringService (map_rows / results_table), yearly,
  for the years with an index version; its cache follows the scoring change counter.

Sources read services and hand plain data to the pure builders of layouts; they never
write SQL. `metric_catalog(services)` lists what is available now, grouped by family; a
family whose service fails is left out of the selector and logged (the map keeps working).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy.exc import SQLAlchemyError

from callbacks.common import auth
from callbacks.common.services import Services
from config import Settings
from dossier_stats.benchmark import unit_rows
from dossier_stats.index766.config import GROUPS as INDEX766_GROUPS
from dossier_stats.index766.results import Index766Row, Index766Unit
from dossier_stats.kpis import Kpis, UnitKpis
from dossier_stats.metrics import METRICS
from dossier_stats.periods import Period
from dossier_stats.service import StatsService
from layouts.home.map_metrics import MapMetric, MapUnit, dossier_map_metric, kpi_map_units
from layouts.home.panels import index766_block, par_block
from layouts.home.score_units import (
    index766_department_units,
    index766_map_units,
    index766_metrics,
    par_department_units,
    par_map_units,
    par_metrics,
)
from layouts.home.view import View
from scoring.service import ScoringService

log = logging.getLogger(__name__)
PAR_MAP_GROUPS = ("districts", "communes")  # the PAR unit groups with polygons


def par_group(district: str | None) -> str:
    """The PAR group drawn at a level: district committees, or (inside a district) communes."""
    return "districts" if district is None else "communes"


PanelBlocks = tuple[list[Any], list[Any]]  # (above the unit's figures, below them)
NO_BLOCKS: PanelBlocks = ([], [])


class MetricSource(Protocol):
    family: str

    def metrics(self) -> list[MapMetric]: ...

    def units(
        self, metric: MapMetric, period: Period, district: str | None, edition: str | None = None
    ) -> list[MapUnit]:
        """The polygons of a level; with `edition` (one without districts) all its communes."""
        ...

    def departments(self, metric: MapMetric, period: Period, edition: str | None = None) -> list[MapUnit]:
        """The departments ranked beside the map (`edition`: the view's, for a family whose
        departments depend on it: the PAR index)."""
        ...

    def panel_blocks(self, view: View, shown_family: str) -> PanelBlocks:
        """What the side panel shows of this family for the view, when the map shows
        `shown_family`."""
        ...


class DossierSource:
    family = "dossiers"

    def __init__(self, stats: StatsService) -> None:
        self.stats = stats

    def metrics(self) -> list[MapMetric]:
        return [dossier_map_metric(m) for m in METRICS.values()]

    def parent(self, period: Period, district: str | None) -> Kpis:
        """The KPIs units are judged against: the district for its communes, else the province."""
        if district is not None:
            found = next((d for d in self.stats.district_kpis(period) if d.code == district), None)
            if found is not None:
                return found.kpis
        return self.stats.province_kpis(period)

    def _units(self, units: list[UnitKpis], metric: MapMetric, parent: Kpis) -> list[MapUnit]:
        """Map units with their rank, judgement against `parent` and "ít số liệu" (benchmark.py)."""
        chosen = METRICS[metric.key]
        marks = {row.code: row for row in unit_rows(units, parent, chosen)}
        return kpi_map_units(units, chosen, marks)

    def units(
        self, metric: MapMetric, period: Period, district: str | None, edition: str | None = None
    ) -> list[MapUnit]:
        rows = (
            self.stats.level_kpis(period, district)
            if edition is None
            else self.stats.edition_level_kpis(period, edition)
        )
        return self._units(rows, metric, self.parent(period, None if edition else district))

    def departments(self, metric: MapMetric, period: Period, edition: str | None = None) -> list[MapUnit]:
        return self._units(self.stats.department_kpis(period), metric, self.stats.province_kpis(period))

    def panel_blocks(self, view: View, shown_family: str) -> PanelBlocks:
        return NO_BLOCKS  # the unit's Biểu 06 figures are the panel itself


class Index766Source:
    family = "index766"

    def __init__(self, stats: StatsService) -> None:
        self.stats = stats

    def metrics(self) -> list[MapMetric]:
        return index766_metrics(INDEX766_GROUPS)

    def scored(self, period: Period, level: str) -> dict[str, Index766Unit]:
        """Index766Unit per polygon code of the level (only polygons with dossiers)."""
        return self.stats.index766_units(period, "district" if level == "district" else "commune")

    def agencies(self, period: Period) -> list[Index766Row]:
        return self.stats.index766_agencies(period)

    def province(self, period: Period) -> Index766Unit:
        return self.stats.index766_province(period)

    def units(
        self, metric: MapMetric, period: Period, district: str | None, edition: str | None = None
    ) -> list[MapUnit]:
        if edition is not None:
            scored = self.stats.index766_edition_units(period, edition)
            return index766_map_units(self.stats.edition_level_kpis(period, edition), scored, metric)
        level = "district" if district is None else "commune"
        return index766_map_units(self.stats.level_kpis(period, district), self.scored(period, level), metric)

    def departments(self, metric: MapMetric, period: Period, edition: str | None = None) -> list[MapUnit]:
        return index766_department_units(self.agencies(period), metric)

    def panel_blocks(self, view: View, shown_family: str) -> PanelBlocks:
        """The 766 result of the unit in view (province, district or commune), above its
        figures, when the map shows a 766 metric."""
        if shown_family != self.family:
            return NO_BLOCKS
        if view.district is None:
            return index766_block(self.province(view.period), view.period.label), []
        level = "district" if view.commune is None else "commune"
        unit = self.scored(view.period, level).get(view.commune or view.district)
        return index766_block(unit, view.period.label), []


class ParSource:
    family = "par"

    def __init__(self, scoring: ScoringService, stats: StatsService, settings: Settings) -> None:
        self.scoring = scoring
        self.stats = stats
        self.settings = settings

    def table_rows(self, year: int, group: str, edition: str | None = None) -> tuple[Any, dict[str, Any]]:
        """(results, {polygon: row}) with the rows the reader may see (callbacks.common.auth:
        provisional scores only for those who may read them); with `edition`, the units of
        that map edition ranked among themselves (scoring/editions.py)."""
        table = auth.readable_table(self.settings, self.scoring.edition_table(year, group, edition))
        rows = {} if table is None else {r.map_code: r for r in table.rows if r.map_code is not None}
        return table, rows

    def metrics(self) -> list[MapMetric]:
        """The total and every area of the districts' and communes' versions (first name wins)."""
        every = self.scoring.versions()  # newest year first: that year's area names win
        years = sorted({v.year for v in every}, reverse=True)
        versions = [v for v in every if v.group in PAR_MAP_GROUPS]
        areas: dict[str, str] = {}
        for version in versions:
            for area in version.definition.areas:
                areas.setdefault(area.code, area.name)
        maxima = {float(v.definition.max_total) for v in versions}
        return par_metrics(years, list(areas.items()), maxima.pop() if len(maxima) == 1 else None)

    def result(self, year: int, group: str, code: str, edition: str | None = None) -> tuple[Any, Any]:
        """(row, group results) of the polygon `code` in the group (districts | communes);
        the row is None when the polygon has no score that year, the results None when the
        year has no version for the group."""
        table, rows = self.table_rows(year, group, edition)
        return rows.get(code), table

    def units(
        self, metric: MapMetric, period: Period, district: str | None, edition: str | None = None
    ) -> list[MapUnit]:
        group = par_group(district) if edition is None else "communes"
        table, rows = self.table_rows(period.year, group, edition)
        polygons = (
            self.stats.level_kpis(period, district)
            if edition is None
            else self.stats.edition_level_kpis(period, edition)
        )
        return par_map_units(polygons, rows, table, metric, period.year)

    def departments(self, metric: MapMetric, period: Period, edition: str | None = None) -> list[MapUnit]:
        table, _ = self.table_rows(period.year, "departments", edition)
        return par_department_units(table, metric, period.year)

    def year_for(self, view: View, shown_family: str) -> int | None:
        """The PAR year the panel shows: the view's year for a PAR metric, else the newest
        year with an index up to the period's year (None: none)."""
        years = self.scoring.years()
        if shown_family == self.family:
            return view.period.year if view.period.year in years else None
        return next((y for y in years if y <= view.period.year), None)

    def city_edition(self, view: View) -> str | None:
        """The view's edition id (its own, else its period's)."""
        if view.edition is not None:
            return view.edition
        found = self.stats.edition_for(view.period)
        return None if found is None else found.id

    def panel_blocks(self, view: View, shown_family: str) -> PanelBlocks:
        """The PAR result of the district or commune in view, with the link to its scorecard:
        above its figures for a PAR metric, below them otherwise (nothing for the province)."""
        code = view.commune or view.district
        if code is None:
            return NO_BLOCKS
        try:
            year = self.year_for(view, shown_family)
            if year is None:
                return NO_BLOCKS
            city = view.district is None and view.commune is not None  # a commune of the city edition
            group = "communes" if city else par_group(None if view.commune is None else view.district)
            row, table = self.result(year, group, code, self.city_edition(view) if city else None)
        except SQLAlchemyError:
            log.exception("panel: PAR results not readable")
            return NO_BLOCKS
        blocks = par_block(row, table, year)
        return (blocks, []) if shown_family == self.family else ([], blocks)


@dataclass(frozen=True)
class MetricCatalog:
    """The metrics offered now (dossier metrics first, then 766, then PAR) and their sources."""

    metrics: dict[str, MapMetric]
    sources: dict[str, MetricSource]

    def metric(self, key: str) -> MapMetric:
        return self.metrics[key]

    def source(self, key: str) -> MetricSource:
        return self.sources[self.metrics[key].family]

    def family(self, key: str | None) -> str | None:
        metric = self.metrics.get(key or "")
        return None if metric is None else metric.family


def sources_for(services: Services) -> list[MetricSource]:
    return [
        DossierSource(services.stats),
        Index766Source(services.stats),
        ParSource(services.scoring, services.stats, services.settings),
    ]


def metric_catalog(
    services: Services, sources: Callable[[Services], list[MetricSource]] = sources_for
) -> MetricCatalog:
    metrics: dict[str, MapMetric] = {}
    by_family: dict[str, MetricSource] = {}
    for source in sources(services):
        try:
            offered = source.metrics()
        except SQLAlchemyError:
            if source.family == "dossiers":
                raise
            log.exception("metric family %s not readable: left out of the selector", source.family)
            continue
        by_family[source.family] = source
        metrics.update((m.key, m) for m in offered)
    return MetricCatalog(metrics, by_family)
