"""Plain data for a view, read through the StatsService (shared by callbacks and the page layout)."""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache
from pathlib import Path

from callbacks.common.services import Services
from callbacks.home.metric_sources import MetricCatalog, metric_catalog
from dossier_stats.asof import AsOf
from dossier_stats.kpis import UnitKpis
from dossier_stats.periods import Period
from geodata.display import detached_codes, display_points
from geodata.records import crosswalk_records
from layouts.common.as_of import period_text
from layouts.common.figures import MapChanges
from layouts.common.map_inset import empty_inset, split_inset
from layouts.home.colour_modes import legend_text
from layouts.home.compare import compare_title, with_changes
from layouts.home.map_figure import HOME_INSET, map_changes, map_title
from layouts.home.map_metrics import MapUnit, mark_no_data
from layouts.home.panels import Crumb
from layouts.home.view import EditionLike, View, view_edition, view_href
from vi_format import data_time_text


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


def scope_text(services: Services, view: View, edition: EditionLike | None = None) -> str:
    """What the polygons are, in words."""
    province = services.stats.province().name if edition is None else edition.unit_name
    if edition is not None and not edition.has_districts:
        coverage = services.stats.edition_coverage(view.period, edition.id)
        return f"Các xã, phường, đặc khu của {edition.name} — {coverage.note}"
    if view.district is None:
        return f"Các huyện, thị xã, thành phố (trước 01/7/2025) của {province}"
    return f"Các xã, phường (từ 01/7/2025) trên địa bàn {unit_name(services, view.district)} cũ"


def parent_name(services: Services, view: View) -> str:
    """Whom the units are judged against: the province (city), or the district of its communes."""
    return "toàn tỉnh" if view.district is None else unit_name(services, view.district)


def city_id(services: Services, view: View) -> str | None:
    """The city edition's id when the view is drawn in it (all communes, no district step)."""
    edition = view_edition(view, services.view_context())
    city = services.city_edition()
    return city.id if city is not None and edition is not None and edition.id == city.id else None


def shown_units(
    services: Services, view: View, catalog: MetricCatalog, departments: bool = False
) -> list[MapUnit]:
    """The units the view shows (the level's, the city's with "chưa có dữ liệu" marked, or the
    departments), with their change since the comparison period when the view has one."""
    metric = catalog.metric(view.metric)
    source = catalog.source(view.metric)
    city = city_id(services, view)

    edition = view_edition(view, services.view_context())

    def read(period: Period) -> list[MapUnit]:
        if departments:
            return source.departments(metric, period, None if edition is None else edition.id)
        if city is not None:
            coverage = services.stats.edition_coverage(period, city)
            return mark_no_data(source.units(metric, period, None, city), coverage.has_data)
        return source.units(metric, period, view.district)

    now = read(view.period)
    if view.compare is None:
        return now
    return with_changes(now, read(view.compare), metric, view.compare.label)


def map_changes_for(services: Services, view: View, catalog: MetricCatalog | None = None) -> MapChanges:
    """Everything the view draws on the map, from its metric's source, in the view's edition
    (an edition without districts: all its communes at once, crosses on units without data),
    coloured in the view's colour mode or by the change since its second period."""
    catalog = catalog or metric_catalog(services)
    metric = catalog.metric(view.metric)
    edition = view_edition(view, services.view_context())
    city = services.city_edition()
    title = (
        map_title(metric.label, period_text(view.period.label, view_as_of(services, view.period)))
        if view.compare is None
        else compare_title(metric.label, view.period.label, view.compare.label)
    )
    common = {
        "units": shown_units(services, view, catalog),
        "metric": metric,
        "title": title,
        "subtitle": f"{scope_text(services, view, edition)} · {data_time_text(services.stats.data_time())}",
        "selected": view.commune,
        "mode": view.colour,
        "parent_name": parent_name(services, view),
        "compared": view.compare is not None,
    }
    if city is not None and city_id(services, view) == city.id:
        coverage = services.stats.edition_coverage(view.period, city.id)
        points = display_points(city.folder, "commune", city.files)
        no_data = [(code, points[code]) for code in sorted(points) if not coverage.has_data(code)]
        changes = map_changes(
            level="city",
            view_key=f"city:{city.id}",
            with_city=True,
            no_data=[p for _c, p in no_data],
            **common,
        )
        detached = detached_codes(city.folder, "commune", city.files)
        return split_inset(changes, HOME_INSET, detached, no_data)
    changes = map_changes(
        level=view.level, view_key=view.district or "province", with_city=city is not None, **common
    )
    return changes if city is None else {**changes, **empty_inset(HOME_INSET)}


def map_legend(services: Services, view: View, catalog: MetricCatalog) -> str:
    """What the map's colours mean, in words (under the map)."""
    metric = catalog.metric(view.metric)
    compare = None if view.compare is None else view.compare.label
    return legend_text(metric, view.colour, parent_name(services, view), compare)


def crumbs(services: Services, view: View) -> list[Crumb]:
    """Province (or city) › district › commune, each but the last a link that keeps metric,
    period and edition; the names follow the view's edition."""
    code = services.settings.province_code
    edition = view_edition(view, services.view_context())
    top = services.stats.province().name if edition is None else edition.unit_name
    items = [(top, replace(view, district=None, commune=None))]
    if view.district:
        items.append((unit_name(services, view.district), replace(view, commune=None)))
    if view.commune:
        unit = services.stats.edition_unit(edition.id, view.commune) if edition is not None else None
        items.append((unit.name if unit else unit_name(services, view.commune), view))
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
