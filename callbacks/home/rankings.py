"""Ranking tables beside the map: units of the current level, and provincial departments.

The server sends compact rows (layouts.common.rankings.ranking_payload); the browser draws the
tables (assets/rankings.js, a clientside callback) as plain DOM, not Dash components: every
Dash component costs each later update of the page (issue 15). Unit names link to their view. Every
metric family ranks through its source (dossier KPIs, 766, PAR: for the PAR total the
published rank within the whole group is shown). New data (LIVE_STATE) redraws both. The
rows follow the map (callbacks/home/interaction.py: `follow`).
"""

from __future__ import annotations

import json
from dataclasses import replace

from dash import Dash, Input, Output, no_update

from callbacks.common.services import Services
from callbacks.home.metric_sources import MetricCatalog
from callbacks.home.view_data import shown_units, unit_name, view_as_of
from layouts.common.as_of import period_text
from layouts.common.dossier_links import ranking_cell_links
from layouts.common.rankings import rank_map_units, ranking_caption, ranking_payload
from layouts.home.compare import change_columns
from layouts.home.ids import Ids
from layouts.home.view import EditionLike, View, view_edition, view_href

PUBLISHED_RANKS = "hạng chung toàn tỉnh"


def ranking_outputs(
    services: Services, view: View, changed: list[str] | None, new_data: bool, catalog: MetricCatalog
) -> tuple:
    """Unit ranking title, caption and rows, department caption and rows after the view moved
    (`changed`: its fields that moved, None: everything) or new data came (no_update when
    neither moved)."""
    if changed == [] and not new_data:
        return (no_update,) * 5
    same = ("metric", "period", "compare")  # what the departments' ranking follows
    keep = changed is not None and not new_data and not set(changed) & set(same)
    return ranking_tables(services, view, catalog, keep_departments=keep)


def ranking_tables(
    services: Services, view: View, catalog: MetricCatalog, keep_departments: bool = False
) -> tuple:
    """(unit title, unit caption, unit payload, department caption, department payload) of a
    view: what the two ranking tables show (and their "Tải số liệu" writes); the departments'
    no_update with `keep_departments` (they follow metric, period and comparison only)."""
    metric = catalog.metric(view.metric)
    province = services.settings.province_code
    edition = view_edition(view, services.view_context())
    if edition is not None and not edition.has_districts:
        return city_rankings(services, view, catalog, edition)
    if view.district is None:
        title, level_field = "Xếp hạng huyện, thị xã, thành phố", "district"
    else:
        title, level_field = f"Xếp hạng xã, phường — {unit_name(services, view.district)}", "commune"

    def href(code: str) -> str:
        return view_href(replace(view, **{level_field: code}), province)

    def counts(code: str) -> list[str | None]:  # the dossier counts of a row open their lists
        return ranking_cell_links(code, view.period.key, view.metric, metric.columns, metric.family)

    caption = ranking_caption(metric, period_text(view.period.label, view_as_of(services, view.period)))
    caption += compare_caption(view)
    columns = (*metric.columns, *change_columns(metric)) if view.compare is not None else metric.columns
    units = rank_map_units(shown_units(services, view, catalog), metric)
    if keep_departments:
        department_outputs: tuple = (no_update, no_update)
    else:
        departments = rank_map_units(shown_units(services, view, catalog, departments=True), metric)
        department_outputs = (
            caption,
            ranking_payload(departments, metric, cell_links=counts, columns=columns),
        )
    return (
        title,
        f"{caption} ({PUBLISHED_RANKS})" if metric.source_ranks and view.district else caption,
        ranking_payload(units, metric, href=href, selected=view.commune, cell_links=counts, columns=columns),
        *department_outputs,
    )


def compare_caption(view: View) -> str:
    return "" if view.compare is None else f" · thay đổi so với {view.compare.label}"


def city_rankings(services: Services, view: View, catalog: MetricCatalog, edition: EditionLike) -> tuple:
    """The rankings of an edition without districts: all its communes that have data (the
    others are "chưa có dữ liệu", not last), and the departments."""
    metric = catalog.metric(view.metric)
    coverage = services.stats.edition_coverage(view.period, edition.id)
    units = [u for u in shown_units(services, view, catalog) if coverage.has_data(u.code)]
    departments = shown_units(services, view, catalog, departments=True)
    caption = ranking_caption(metric, period_text(view.period.label, view_as_of(services, view.period)))
    caption += compare_caption(view)
    columns = (*metric.columns, *change_columns(metric)) if view.compare is not None else metric.columns

    def href(code: str) -> str:
        return view_href(replace(view, commune=code), services.settings.province_code)

    def counts(code: str) -> list[str | None]:  # the dossier counts of a row open their lists
        return ranking_cell_links(code, view.period.key, view.metric, metric.columns, metric.family)

    return (
        f"Xếp hạng xã, phường, đặc khu — {edition.unit_name}",
        f"{caption} — {coverage.note}",
        ranking_payload(
            rank_map_units(units, metric),
            metric,
            href=href,
            selected=view.commune,
            cell_links=counts,
            columns=columns,
        ),
        caption,
        ranking_payload(rank_map_units(departments, metric), metric, cell_links=counts, columns=columns),
    )


RANKING_OUTPUTS = (
    (Ids.UNIT_RANKING_TITLE, "children"),
    (Ids.RANKING_CAPTION, "children"),
    (Ids.UNIT_RANKING_DATA, "data"),
    (Ids.DEPARTMENT_RANKING_CAPTION, "children"),
    (Ids.DEPARTMENT_RANKING_DATA, "data"),
)


def register(app: Dash, _services: Services) -> None:
    """The browser draws both tables from their rows into their containers (assets/rankings.js;
    the output is never written: the table is not part of Dash's layout)."""
    for table, data in (
        (Ids.UNIT_RANKING, Ids.UNIT_RANKING_DATA),
        (Ids.DEPARTMENT_RANKING, Ids.DEPARTMENT_RANKING_DATA),
    ):
        draw = f"window.dash_clientside.bando.drawRanking({json.dumps(str(table))}, rows)"
        app.clientside_callback(
            f"function (rows) {{ return {draw}; }}",
            Output(table, "children"),
            Input(data, "data"),
        )
