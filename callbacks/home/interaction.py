"""One server round trip per interaction on the home page, the map's answer first and alone.

A click on a district or a commune, a breadcrumb or ranking link (the URL), a metric, period
kind or period change, and new data (LIVE_STATE, from the poll) all fire `interact`, which
answers with the map and what is small beside it: the VIEW store, URL and the controls that
moved (callbacks/home/navigation.py), the map's Patch and legend (map.py) and the breadcrumb.
The Dash renderer applies every output of one answer before the browser paints, so the
heavier side panel and ranking rows are not in it: once the map has drawn the new view, the
browser passes the VIEW store on to VIEW_DRAWN (map.py), and `follow` answers that (or new
data) with them, in a request of its own (panels.py, rankings.py); the detail tabs listen to
VIEW_DRAWN too (details.py).

The page is drawn for its URL (callbacks/home/page.py: map, controls, breadcrumb, VIEW store),
so opening it sends no interaction at all: once the map is drawn, `follow` (side panel,
rankings) and the tabs.

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
from callbacks.home.panels import PANEL_OUTPUTS, panel_outputs
from callbacks.home.prefetch import districts_ahead
from callbacks.home.rankings import RANKING_OUTPUTS, ranking_outputs
from callbacks.home.view_data import crumbs
from layouts.common.urls import page_path
from layouts.home.ids import Ids
from layouts.home.panels import breadcrumb
from layouts.home.view import read_view_store

log = logging.getLogger(__name__)
OUTPUTS = (
    *NAVIGATION_OUTPUTS,
    (Ids.MAP, "figure"),
    (Ids.MAP_LEGEND, "children"),
    (Ids.BREADCRUMB, "children"),
)
INPUTS = (*((i, p) for i, p, _ in NAVIGATION_INPUTS), (Ids.LIVE_STATE, "data"))
STATES = ((Ids.VIEW, "data"), (Ids.URL, "pathname"))
LIVE_PROP = f"{Ids.LIVE_STATE}.data"
# What follows the map: side panel, unmapped note, rankings (`follow`).
FOLLOW_OUTPUTS = (*PANEL_OUTPUTS, *RANKING_OUTPUTS)


def output_key(outputs: tuple = OUTPUTS) -> str:
    """A callback's output key as the browser sends it ("..view-store.data...map.figure..")."""
    return ".." + "...".join(f"{i}.{p}" for i, p in outputs) + ".."


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
        navigation = navigation_outputs(services, moved, catalog, values)
    outputs = (
        *navigation,
        map_output(services, moved, new_data, catalog),
        legend_output(services, moved, catalog),
        no_update if moved.changed == [] else breadcrumb(crumbs(services, moved.view)),
    )
    districts_ahead(services, moved.view, catalog)
    return outputs


def follow_answer(services: Services, stored: Any) -> tuple:
    """Side panel, unmapped note and rankings of the view in the VIEW store, in
    FOLLOW_OUTPUTS order: for the fields that moved (the store says which), or everything
    when the page was just opened or new data came."""
    if stored is None:
        raise PreventUpdate
    catalog = metric_catalog(services)
    view, changed = read_view_store(stored)
    if view.metric not in catalog.metrics:
        raise PreventUpdate  # its family is gone: the next interaction reads the URL again
    new_data = triggered(Ids.LIVE_STATE)
    before = stored.get("before")
    return (
        *panel_outputs(services, view, changed, before, new_data, catalog),
        *ranking_outputs(services, view, changed, new_data, catalog),
    )


def leaving(pathname: str | None) -> bool:
    """A link to another page (a count's list, a scorecard) also changes this page's URL:
    nothing to draw, the page is being replaced (a Patch would reach a map that is gone)."""
    return pathname is not None and page_path(pathname) != "/"  # the home page's path under URL_PREFIX


def register(app: Dash, services: Services) -> None:
    @app.callback(
        *(Output(i, p) for i, p in OUTPUTS),
        *(Input(i, p) for i, p in INPUTS),
        *(State(i, p) for i, p in STATES),
        prevent_initial_call=True,  # the page is drawn for its URL
    )
    def interact(*args: Any) -> tuple:
        *_, stored, pathname = args  # the states come after the inputs
        if leaving(pathname):
            raise PreventUpdate
        values = {name: value for (_, _, name), value in zip(NAVIGATION_INPUTS, args, strict=False)}
        return answer(services, values, stored)

    @app.callback(
        *(Output(i, p) for i, p in FOLLOW_OUTPUTS),
        Input(Ids.VIEW_DRAWN, "data"),  # the VIEW store, passed on once the map is drawn (map.py)
        Input(Ids.LIVE_STATE, "data"),
        State(Ids.URL, "pathname"),
        prevent_initial_call=True,
    )
    def follow(stored: Any, _live: Any, pathname: str | None) -> tuple:
        if leaving(pathname):
            raise PreventUpdate
        return follow_answer(services, stored)
