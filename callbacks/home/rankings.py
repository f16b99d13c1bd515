"""Ranking tables beside the map: units of the current level, and provincial departments.

The server sends compact rows (layouts.common.rankings.ranking_payload); the browser draws the
tables (assets/rankings.js, a clientside callback). Unit names link to their view. Every
metric family ranks through its source (dossier KPIs, 766, PAR: for the PAR total the
published rank within the whole group is shown). New data (LIVE_STATE) redraws both. The
rows come with the one interaction callback (callbacks/home/interaction.py).
"""

from __future__ import annotations

from dataclasses import replace

from dash import ClientsideFunction, Dash, Input, Output, no_update

from callbacks.common.services import Services
from callbacks.home.metric_sources import MetricCatalog
from callbacks.home.navigation import Move
from callbacks.home.view_data import unit_name, view_as_of
from layouts.common.as_of import period_text
from layouts.common.dossier_links import ranking_cell_links
from layouts.common.rankings import rank_map_units, ranking_caption, ranking_payload
from layouts.home.ids import Ids
from layouts.home.view import EditionLike, view_edition, view_href

DRAW_TABLE = ClientsideFunction(namespace="bando", function_name="rankingTable")
PUBLISHED_RANKS = "hạng chung toàn tỉnh"


def ranking_outputs(services: Services, moved: Move, new_data: bool, catalog: MetricCatalog) -> tuple:
    """Unit ranking title, caption and rows, department caption and rows for an interaction
    (no_update when neither the view nor the data moved)."""
    view = moved.view
    if moved.changed == [] and not new_data:
        return (no_update,) * 5
    metric = catalog.metric(view.metric)
    source = catalog.source(view.metric)
    province = services.settings.province_code
    edition = view_edition(view, services.view_context())
    if edition is not None and not edition.has_districts:
        return city_rankings(services, moved, catalog, edition)
    if view.district is None:
        title, level_field = "Xếp hạng huyện, thị xã, thành phố", "district"
    else:
        title, level_field = f"Xếp hạng xã, phường — {unit_name(services, view.district)}", "commune"

    def href(code: str) -> str:
        return view_href(replace(view, **{level_field: code}), province)

    def counts(code: str) -> list[str | None]:  # the dossier counts of a row open their lists
        return ranking_cell_links(code, view.period.key, view.metric, metric.columns, metric.family)

    caption = ranking_caption(metric, period_text(view.period.label, view_as_of(services, view.period)))
    units = rank_map_units(source.units(metric, view.period, view.district), metric)
    previous = moved.previous
    if previous and not new_data and (previous.metric, previous.period) == (view.metric, view.period):
        department_outputs: tuple = (no_update, no_update)  # they follow metric and period only
    else:
        departments = rank_map_units(source.departments(metric, view.period), metric)
        department_outputs = (caption, ranking_payload(departments, metric, cell_links=counts))
    return (
        title,
        f"{caption} ({PUBLISHED_RANKS})" if metric.source_ranks and view.district else caption,
        ranking_payload(units, metric, href=href, selected=view.commune, cell_links=counts),
        *department_outputs,
    )


def city_rankings(services: Services, moved: Move, catalog: MetricCatalog, edition: EditionLike) -> tuple:
    """The rankings of an edition without districts: all its communes that have data (the
    others are "chưa có dữ liệu", not last), and the departments."""
    view = moved.view
    metric = catalog.metric(view.metric)
    source = catalog.source(view.metric)
    coverage = services.stats.edition_coverage(view.period, edition.id)
    units = [u for u in source.units(metric, view.period, None, edition.id) if coverage.has_data(u.code)]
    caption = ranking_caption(metric, view.period.label)

    def href(code: str) -> str:
        return view_href(replace(view, commune=code), services.settings.province_code)

    return (
        f"Xếp hạng xã, phường, đặc khu — {edition.unit_name}",
        f"{caption} — {coverage.note}",
        ranking_payload(rank_map_units(units, metric), metric, href=href, selected=view.commune),
        caption,
        ranking_payload(rank_map_units(source.departments(metric, view.period), metric), metric),
    )


RANKING_OUTPUTS = (
    (Ids.UNIT_RANKING_TITLE, "children"),
    (Ids.RANKING_CAPTION, "children"),
    (Ids.UNIT_RANKING_DATA, "data"),
    (Ids.DEPARTMENT_RANKING_CAPTION, "children"),
    (Ids.DEPARTMENT_RANKING_DATA, "data"),
)


def register(app: Dash, _services: Services) -> None:
    """The browser draws both tables from their rows (assets/rankings.js)."""
    for table, data in (
        (Ids.UNIT_RANKING, Ids.UNIT_RANKING_DATA),
        (Ids.DEPARTMENT_RANKING, Ids.DEPARTMENT_RANKING_DATA),
    ):
        app.clientside_callback(DRAW_TABLE, Output(table, "children"), Input(data, "data"))
