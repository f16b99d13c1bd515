"""The map follows the view with a Patch: values, colours, selection, title — never geometry.

A metric change sends only the new values and colours (and the hover texts when the
metric's family changes: metrics of one family share them). New data (the LIVE_STATE
store moved to a new data version) sends the values, colours and hover texts of the view
on screen.
"""

from __future__ import annotations

from typing import Any

from dash import Dash, Input, Output, Patch
from dash.exceptions import PreventUpdate

from callbacks.common.services import Services
from callbacks.home.live import triggered
from callbacks.home.metric_sources import metric_catalog
from callbacks.home.view_data import map_changes_for
from layouts.common.figures import to_patch
from layouts.home.ids import Ids
from layouts.home.map_figure import data_only, values_only
from layouts.home.view import metric_before, read_view_store


def register(app: Dash, services: Services) -> None:
    @app.callback(Output(Ids.MAP, "figure"), Input(Ids.VIEW, "data"), Input(Ids.LIVE_STATE, "data"))
    def update_map(stored: Any, _live: Any) -> Patch:
        if stored is None:
            raise PreventUpdate
        view, changed = read_view_store(stored)
        new_data = triggered(Ids.LIVE_STATE)
        view_moved = triggered(Ids.VIEW) and changed != []
        if not (view_moved or new_data):
            raise PreventUpdate
        catalog = metric_catalog(services)
        if view.metric not in catalog.metrics:
            raise PreventUpdate  # the navigation callback is about to replace this view
        changes = map_changes_for(services, view, catalog)
        if not view_moved:
            return to_patch(data_only(changes))
        if changed == ["metric"]:
            same_family = catalog.family(metric_before(stored)) == catalog.family(view.metric)
            return to_patch(values_only(changes, hover=new_data or not same_family))
        return to_patch(changes)
