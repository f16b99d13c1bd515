"""One server round trip per interaction on the home page.

A click on a district or a commune, a breadcrumb or ranking link (the URL), a metric, period
kind or period change, and new data (LIVE_STATE, from the poll) all fire this one callback,
which answers with every output that moves: the VIEW store, URL and controls
(callbacks/home/navigation.py), the map's Patch (map.py), the side panel, unmapped note and
breadcrumb (panels.py) and the ranking rows (rankings.py). The detail tabs listen to the
VIEW store and so arrive after the map, in a request of their own (details.py); the ranking
tables are drawn in the browser (a clientside callback).

Each answer is timed per callback on the server (callbacks/common/timing.py).
"""

from __future__ import annotations

import logging
from typing import Any

from dash import Dash, Input, Output, State, ctx, no_update
from dash.exceptions import PreventUpdate

from callbacks.common.services import Services
from callbacks.home.live import triggered
from callbacks.home.map import legend_output, map_output
from callbacks.home.metric_sources import metric_catalog
from callbacks.home.navigation import NAVIGATION_INPUTS, NAVIGATION_OUTPUTS, Move, move, navigation_outputs
from callbacks.home.panels import panel_outputs
from callbacks.home.prefetch import districts_ahead
from callbacks.home.rankings import RANKING_OUTPUTS, ranking_outputs
from layouts.common.urls import page_path
from layouts.home.ids import Ids
from layouts.home.view import read_view_store

log = logging.getLogger(__name__)
PANEL_OUTPUTS = ((Ids.UNIT_PANEL, "children"), (Ids.UNMAPPED_NOTE, "children"), (Ids.BREADCRUMB, "children"))
OUTPUTS = (
    *NAVIGATION_OUTPUTS,
    (Ids.MAP, "figure"),
    (Ids.MAP_LEGEND, "children"),
    *PANEL_OUTPUTS,
    *RANKING_OUTPUTS,
)
INPUTS = (*((i, p) for i, p, _ in NAVIGATION_INPUTS), (Ids.LIVE_STATE, "data"))
STATES = ((Ids.VIEW, "data"), (Ids.URL, "pathname"))
LIVE_PROP = f"{Ids.LIVE_STATE}.data"


def output_key() -> str:
    """The callback's output key as the browser sends it ("..view-store.data...map.figure..")."""
    return ".." + "...".join(f"{i}.{p}" for i, p in OUTPUTS) + ".."


def only_new_data() -> bool:
    """Whether the poll's new data version is all that fired (no URL, control or click)."""
    fired = set(ctx.triggered_prop_ids)
    return bool(fired) and fired <= {LIVE_PROP}


def answer(services: Services, values: dict[str, Any], stored: Any) -> tuple:
    """Every output of the interaction, in OUTPUTS order."""
    catalog = metric_catalog(services)
    new_data = triggered(Ids.LIVE_STATE)
    if only_new_data():
        if stored is None:
            raise PreventUpdate
        view = read_view_store(stored)[0]
        if view.metric not in catalog.metrics:
            raise PreventUpdate  # its family is gone: the next interaction reads the URL again
        moved = Move(view, view, [], None, Ids.LIVE_STATE)
        navigation: tuple = (no_update,) * len(NAVIGATION_OUTPUTS)
    else:
        moved = move(services, ctx.triggered_id, values, stored, catalog)
        navigation = navigation_outputs(services, moved, catalog)
    outputs = (
        *navigation,
        map_output(services, moved, new_data, catalog),
        legend_output(services, moved, new_data, catalog),
        *panel_outputs(services, moved, new_data, catalog),
        *ranking_outputs(services, moved, new_data, catalog),
    )
    districts_ahead(services, moved.view, catalog)
    return outputs


def leaving(pathname: str | None) -> bool:
    """A link to another page (a count's list, a scorecard) also changes this page's URL:
    nothing to draw, the page is being replaced (a Patch would reach a map that is gone)."""
    return pathname is not None and page_path(pathname) != "/"  # the home page's path under URL_PREFIX


def register(app: Dash, services: Services) -> None:
    @app.callback(
        *(Output(i, p) for i, p in OUTPUTS),
        *(Input(i, p) for i, p in INPUTS),
        *(State(i, p) for i, p in STATES),
    )
    def interact(*args: Any) -> tuple:
        *_, stored, pathname = args  # the states come after the inputs
        if leaving(pathname):
            raise PreventUpdate
        values = {name: value for (_, _, name), value in zip(NAVIGATION_INPUTS, args, strict=False)}
        return answer(services, values, stored)
