"""Plain data for a view, read through the StatsService (shared by callbacks and the page layout)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from callbacks.common.services import Services
from callbacks.home.metric_sources import MetricCatalog, metric_catalog
from dossier_stats.asof import AsOf
from dossier_stats.kpis import UnitKpis
from dossier_stats.periods import Period
from geodata.records import crosswalk_records
from layouts.common.as_of import period_text
from layouts.common.figures import MapChanges
from layouts.home.map_figure import map_changes, map_title
from layouts.home.panels import Crumb
from layouts.home.view import View, view_href


def view_as_of(services: Services, period: Period) -> AsOf | None:
    """The day the period is counted to (None for a period that has not begun: a yearly
    index's year)."""
    try:
        return services.stats.as_of(period)
    except ValueError:
        return None


def unit_name(services: Services, code: str) -> str:
    unit = services.stats.unit(code)
    return unit.name if unit else code


def scope_text(services: Services, view: View) -> str:
    """What the polygons are, in words."""
    province = services.stats.province().name
    if view.district is None:
        return f"Các huyện, thị xã, thành phố (trước 01/7/2025) của {province}"
    return f"Các xã, phường (từ 01/7/2025) trên địa bàn {unit_name(services, view.district)} cũ"


def map_changes_for(services: Services, view: View, catalog: MetricCatalog | None = None) -> MapChanges:
    """Everything the view draws on the map, from its metric's source."""
    catalog = catalog or metric_catalog(services)
    metric = catalog.metric(view.metric)
    return map_changes(
        level=view.level,
        units=catalog.source(view.metric).units(metric, view.period, view.district),
        metric=metric,
        title=map_title(metric.label, period_text(view.period.label, view_as_of(services, view.period))),
        subtitle=scope_text(services, view),
        selected=view.commune,
        view_key=view.district or "province",
    )


def crumbs(services: Services, view: View) -> list[Crumb]:
    """Province › district › commune, each but the last a link that keeps metric and period."""
    code = services.settings.province_code
    items = [(services.stats.province().name, View(view.metric, view.period))]
    if view.district:
        items.append((unit_name(services, view.district), View(view.metric, view.period, view.district)))
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
