"""Plain data for a view, read through the StatsService (shared by callbacks and the page layout)."""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache
from pathlib import Path

from callbacks.common.services import Services
from callbacks.home.metric_sources import MetricCatalog, metric_catalog
from dossier_stats.kpis import UnitKpis
from dossier_stats.periods import Period
from geodata.records import crosswalk_records
from layouts.common.figures import MapChanges
from layouts.home.colour_modes import legend_text
from layouts.home.compare import compare_title, with_changes
from layouts.home.map_figure import map_changes, map_title
from layouts.home.map_metrics import MapUnit
from layouts.home.panels import Crumb
from layouts.home.view import View, view_href
from vi_format import data_time_text


def unit_name(services: Services, code: str) -> str:
    unit = services.stats.unit(code)
    return unit.name if unit else code


def scope_text(services: Services, view: View) -> str:
    """What the polygons are, in words."""
    province = services.stats.province().name
    if view.district is None:
        return f"Các huyện, thị xã, thành phố (trước 01/7/2025) của {province}"
    return f"Các xã, phường (từ 01/7/2025) trên địa bàn {unit_name(services, view.district)} cũ"


def parent_name(services: Services, view: View) -> str:
    """Whom the units are judged against: the province, or the district of its communes."""
    return "toàn tỉnh" if view.district is None else unit_name(services, view.district)


def shown_units(
    services: Services, view: View, catalog: MetricCatalog, departments: bool = False
) -> list[MapUnit]:
    """The units the view shows (the level's, or the departments), with their change since
    the comparison period when the view has one (layouts.home.compare)."""
    metric = catalog.metric(view.metric)
    source = catalog.source(view.metric)

    def read(period: Period) -> list[MapUnit]:
        return (
            source.departments(metric, period) if departments else source.units(metric, period, view.district)
        )

    now = read(view.period)
    if view.compare is None:
        return now
    return with_changes(now, read(view.compare), metric, view.compare.label)


def map_changes_for(services: Services, view: View, catalog: MetricCatalog | None = None) -> MapChanges:
    """Everything the view draws on the map, from its metric's source."""
    catalog = catalog or metric_catalog(services)
    metric = catalog.metric(view.metric)
    title = (
        map_title(metric.label, view.period.label)
        if view.compare is None
        else compare_title(metric.label, view.period.label, view.compare.label)
    )
    return map_changes(
        level=view.level,
        units=shown_units(services, view, catalog),
        metric=metric,
        title=title,
        subtitle=f"{scope_text(services, view)} · {data_time_text(services.stats.data_time())}",
        selected=view.commune,
        view_key=view.district or "province",
        mode=view.colour,
        parent_name=parent_name(services, view),
        compared=view.compare is not None,
    )


def map_legend(services: Services, view: View, catalog: MetricCatalog) -> str:
    """What the map's colours mean, in words (under the map)."""
    metric = catalog.metric(view.metric)
    compare = None if view.compare is None else view.compare.label
    return legend_text(metric, view.colour, parent_name(services, view), compare)


def crumbs(services: Services, view: View) -> list[Crumb]:
    """Province › district › commune, each but the last a link that keeps metric and period."""
    code = services.settings.province_code
    items = [(services.stats.province().name, replace(view, district=None, commune=None))]
    if view.district:
        items.append((unit_name(services, view.district), replace(view, commune=None)))
    if view.commune:
        items.append((unit_name(services, view.commune), view))
    last = len(items) - 1
    return [Crumb(label, None if i == last else view_href(v, code)) for i, (label, v) in enumerate(items)]


@lru_cache(maxsize=8)
def unmapped_district_of(geodata_dir: Path) -> dict[str, str]:
    """Old commune code -> its 2024 district, for old communes without a successor."""
    return {r.old_code: r.old_district_code for r in crosswalk_records(geodata_dir) if r.new_code is None}


def unmapped_in_district(services: Services, view: View) -> list[UnitKpis]:
    """Dossiers of old communes without successor that count in the district in view."""
    if view.district is None:
        return []
    district_of = unmapped_district_of(services.geodata_dir)
    return [u for u in services.stats.unmapped_kpis(view.period) if district_of.get(u.code) == view.district]
