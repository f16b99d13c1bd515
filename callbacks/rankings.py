"""Ranking tables beside the map: units of the current level, and provincial departments.

The server sends compact rows (layouts.rankings.ranking_payload); the browser draws the
tables (assets/rankings.js, a clientside callback). Unit names link to their view.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from dash import ClientsideFunction, Dash, Input, Output
from dash.exceptions import PreventUpdate

from callbacks.services import Services
from callbacks.view_data import level_units, unit_name
from dossier_stats.metrics import METRICS
from layouts.ids import Ids
from layouts.rankings import rank_units, ranking_caption, ranking_payload
from layouts.view import read_view_store, view_href

DRAW_TABLE = ClientsideFunction(namespace="bando", function_name="rankingTable")


def register(app: Dash, services: Services) -> None:
    @app.callback(
        Output(Ids.UNIT_RANKING_TITLE, "children"),
        Output(Ids.RANKING_CAPTION, "children"),
        Output(Ids.UNIT_RANKING_DATA, "data"),
        Output(Ids.DEPARTMENT_RANKING_DATA, "data"),
        Input(Ids.VIEW, "data"),
    )
    def update_rankings(stored: Any) -> tuple:
        if not stored:
            raise PreventUpdate
        view, changed = read_view_store(stored)
        if changed == []:
            raise PreventUpdate
        metric = METRICS[view.metric]
        province = services.settings.province_code
        if view.district is None:
            title, level_field = "Xếp hạng huyện, thị xã, thành phố", "district"
        else:
            title, level_field = f"Xếp hạng xã, phường — {unit_name(services, view.district)}", "commune"

        def href(code: str) -> str:
            return view_href(replace(view, **{level_field: code}), province)

        units = rank_units(level_units(services, view), metric)
        departments = rank_units(services.stats.department_kpis(view.period), metric)
        return (
            title,
            ranking_caption(metric, view.period.label),
            ranking_payload(units, metric, href=href, selected=view.commune),
            ranking_payload(departments, metric),
        )

    for table, data in (
        (Ids.UNIT_RANKING, Ids.UNIT_RANKING_DATA),
        (Ids.DEPARTMENT_RANKING, Ids.DEPARTMENT_RANKING_DATA),
    ):
        app.clientside_callback(DRAW_TABLE, Output(table, "children"), Input(data, "data"))
