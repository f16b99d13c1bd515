"""The map follows the view with a Patch: values, colours, selection, title — never geometry.
A metric change sends only the new values and colours."""

from __future__ import annotations

from typing import Any

from dash import Dash, Input, Output, Patch
from dash.exceptions import PreventUpdate

from callbacks.services import Services
from callbacks.view_data import map_changes_for
from layouts.ids import Ids
from layouts.map_figure import to_patch, values_only
from layouts.view import read_view_store


def register(app: Dash, services: Services) -> None:
    @app.callback(Output(Ids.MAP, "figure"), Input(Ids.VIEW, "data"))
    def update_map(stored: Any) -> Patch:
        if not stored:
            raise PreventUpdate
        view, changed = read_view_store(stored)
        if changed == []:
            raise PreventUpdate
        changes = map_changes_for(services, view)
        return to_patch(values_only(changes) if changed == ["metric"] else changes)
