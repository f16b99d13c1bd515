"""Ranking tables beside the map: units of the current level, and provincial departments."""

from __future__ import annotations

from typing import Any

from dash import Dash, Input, Output
from dash.exceptions import PreventUpdate

from callbacks.services import Services
from callbacks.view_data import level_units, unit_name
from dossier_stats.metrics import METRICS
from layouts.ids import Ids
from layouts.rankings import rank_units, ranking_caption, ranking_columns, ranking_data
from layouts.view import read_view_store


def register(app: Dash, services: Services) -> None:
    @app.callback(
        Output(Ids.UNIT_RANKING_TITLE, "children"),
        Output(Ids.RANKING_CAPTION, "children"),
        Output(Ids.UNIT_RANKING, "columns"),
        Output(Ids.UNIT_RANKING, "data"),
        Output(Ids.DEPARTMENT_RANKING, "columns"),
        Output(Ids.DEPARTMENT_RANKING, "data"),
        Input(Ids.VIEW, "data"),
    )
    def update_rankings(stored: Any) -> tuple:
        if not stored:
            raise PreventUpdate
        view, changed = read_view_store(stored)
        if changed == []:
            raise PreventUpdate
        metric = METRICS[view.metric]
        if view.district is None:
            title = "Xếp hạng huyện, thị xã, thành phố"
        else:
            title = f"Xếp hạng xã, phường — {unit_name(services, view.district)}"
        columns = ranking_columns(metric)
        units = rank_units(level_units(services, view), metric)
        departments = rank_units(services.stats.department_kpis(view.period), metric)
        return (
            title,
            ranking_caption(metric, view.period.label),
            columns,
            ranking_data(units, view.commune),
            columns,
            ranking_data(departments),
        )
