"""Side panel (figures of the unit in view), unmapped-communes note and breadcrumb."""

from __future__ import annotations

from typing import Any

from dash import Dash, Input, Output, no_update
from dash.exceptions import PreventUpdate

from callbacks.services import Services
from callbacks.view_data import crumbs, level_units, unit_name, unmapped_in_district
from layouts.ids import Ids
from layouts.panels import breadcrumb, unit_panel, unmapped_note
from layouts.view import View, read_view_store


def panel_for(services: Services, view: View) -> list[Any]:
    """Figures of the selected commune, else of the district in view, else of the province."""
    stats = services.stats
    if view.district is None:
        return unit_panel(stats.province().name, view.period.label, stats.province_kpis(view.period))
    code = view.commune or view.district
    units = level_units(services, view) if view.commune else stats.district_kpis(view.period)
    kpis = next((u.kpis for u in units if u.code == code), None)
    return unit_panel(unit_name(services, code), view.period.label, kpis) if kpis else []


def register(app: Dash, services: Services) -> None:
    @app.callback(
        Output(Ids.UNIT_PANEL, "children"),
        Output(Ids.UNMAPPED_NOTE, "children"),
        Output(Ids.BREADCRUMB, "children"),
        Input(Ids.VIEW, "data"),
    )
    def update_panels(stored: Any) -> tuple[Any, Any, list[Any]]:
        if not stored:
            raise PreventUpdate
        view, changed = read_view_store(stored)
        if changed == []:
            raise PreventUpdate
        links = breadcrumb(crumbs(services, view))  # its links carry metric and period
        if changed == ["metric"]:
            return no_update, no_update, links
        return panel_for(services, view), unmapped_note(unmapped_in_district(services, view)), links
