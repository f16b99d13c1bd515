"""The map follows the view with a Patch: values, colours, selection, title — never geometry.

Part of the one interaction callback (callbacks/home/interaction.py). A metric change sends
only the new values and colours (and the hover texts when the metric's family changes:
metrics of one family share them). New data (the LIVE_STATE store moved to a new data
version) sends the values, colours and hover texts of the view on screen. The page is drawn
with the default view (callbacks/home/page.py), so opening it on that view sends nothing.
The outline of a clicked commune is drawn in the browser at once (`SELECT_OUTLINE_JS`).
"""

from __future__ import annotations

from typing import Any

from dash import Dash, Input, Output, Patch, State, no_update

from callbacks.common.services import Services
from callbacks.home.metric_sources import MetricCatalog
from callbacks.home.navigation import Move
from callbacks.home.view_data import map_changes_for, map_legend, shown_units
from layouts.common.figures import MapChanges, to_patch
from layouts.home.ids import Ids
from layouts.home.map_figure import (
    COMMUNE_TRACE,
    OUTLINE_COLOR,
    OUTLINE_WIDTH,
    SELECTED_COLOR,
    SELECTED_WIDTH,
    data_only,
    values_only,
)
from layouts.home.view import View

COLOUR_FIELDS = frozenset({"metric", "colour", "compare"})  # same units: values, colours, title only
VALUE_FIELDS = COLOUR_FIELDS | {"period"}  # the same units when the edition stays: values, hover, titles
TITLE = ("layout", "title", "text")


def map_output(services: Services, moved: Move, new_data: bool, catalog: MetricCatalog) -> Patch | Any:
    """The map's Patch for an interaction (no_update when neither the view nor the data moved)."""
    view, changed = moved.view, moved.changed
    view_moved = changed != []
    if not (view_moved or new_data):
        return no_update
    changes = map_changes_for(services, view, catalog)
    if not view_moved:
        return to_patch(data_only(changes))
    previous = moved.previous
    if set(changed or ()) <= COLOUR_FIELDS and previous is not None:
        same_family = catalog.family(previous.metric) == catalog.family(view.metric)
        hover = new_data or not same_family or "compare" in (changed or ())
        return to_patch(values_only(changes, hover=hover))
    if (
        previous is not None
        and set(changed or ()) <= VALUE_FIELDS
        and same_units(services, previous, view, catalog)  # another period, the same units
    ):
        return to_patch(period_only(changes))
    return to_patch(changes)


def period_only(changes: MapChanges) -> MapChanges:
    """What another period changes when the units stay: values, colours, hover texts, the
    no-data marks (also when none are left), subtitle and title."""
    marks = {path: v for path, v in changes.items() if path[0] == "data" and path[-1] in ("lon", "lat")}
    return {**data_only(changes), **marks, TITLE: changes[TITLE]}


def same_units(services: Services, previous: View, view: View, catalog: MetricCatalog) -> bool:
    """Whether two views draw the same units in the same order (another period of the same
    edition and level usually does: then only values, colours, hover texts and titles move)."""
    return [u.code for u in shown_units(services, previous, catalog)] == [
        u.code for u in shown_units(services, view, catalog)
    ]


def legend_output(services: Services, moved: Move, catalog: MetricCatalog) -> Any:
    """The map's legend in words, when it changed (it does not depend on the data)."""
    if moved.changed == []:
        return no_update
    legend = map_legend(services, moved.view, catalog)
    if moved.previous is not None and map_legend(services, moved.previous, catalog) == legend:
        return no_update
    return legend


# Every click on the map passes through the browser first: a clicked commune is outlined at
# once (clicking the selected commune again clears it), the click goes to the MAP_CLICK store
# (with its time, so clicking the same unit again counts) for the interaction callback, and
# the graph's clickData is cleared. The server's answer then draws the commune last (on top of
# its neighbours) with the panel and rankings. A district click changes the layers: server only.
SELECT_OUTLINE_JS = f"""
function (click, stored, figure) {{
    const none = window.dash_clientside.no_update;
    const point = click && click.points && click.points[0];
    if (!point) return [none, none, none];
    const passed = {{points: [{{curveNumber: point.curveNumber, location: point.location}}], at: Date.now()}};
    const trace = figure && figure.data[{COMMUNE_TRACE}];
    if (point.curveNumber !== {COMMUNE_TRACE} || !trace) return [none, passed, null];
    const selected = stored && stored.view ? stored.view.commune : null;
    const chosen = point.location === selected ? null : point.location;
    const on = (trace.locations || []).map(code => code === chosen);
    const outline = new window.dash_clientside.Patch()
        .assign(["data", {COMMUNE_TRACE}, "marker", "line", "width"],
                on.map(s => s ? {SELECTED_WIDTH} : {OUTLINE_WIDTH}))
        .assign(["data", {COMMUNE_TRACE}, "marker", "line", "color"],
                on.map(s => s ? "{SELECTED_COLOR}" : "{OUTLINE_COLOR}"))
        .build();
    return [outline, passed, null];
}}
"""


# The VIEW store passed on to VIEW_DRAWN once the map shows it: the graph has drawn (plotly's
# svg is there) and is not redrawing (dcc.Graph marks itself "dash-graph--pending" from the new
# figure until plotly has drawn it); then, after that frame is painted, the side panel,
# rankings and detail tabs are asked for (callbacks/home/interaction.py `follow`, details.py).
# Checked at each frame; after DRAWN_WAIT_MS it is passed on anyway (a hidden tab draws nothing).
DRAWN_WAIT_MS = 4000
AFTER_DRAWN_JS = f"""
function (view) {{
    if (!view) return window.dash_clientside.no_update;
    return new Promise(function (resolve) {{
        let passed = false;
        const pass = () => {{ if (!passed) {{ passed = true; setTimeout(() => resolve(view), 0); }} }};
        const timer = setTimeout(pass, {DRAWN_WAIT_MS});
        const check = () => {{
            const map = document.getElementById("{Ids.MAP}");
            if (map && map.querySelector(".main-svg") && !map.querySelector(".dash-graph--pending")) {{
                clearTimeout(timer);
                pass();
            }} else if (!passed) {{
                requestAnimationFrame(check);
            }}
        }};
        requestAnimationFrame(check);
    }});
}}
"""


def register(app: Dash, _services: Services) -> None:
    """The click hand-over and the selection outline, in the browser (no server round trip);
    the view passed on once the map is drawn."""
    app.clientside_callback(
        SELECT_OUTLINE_JS,
        Output(Ids.MAP, "figure", allow_duplicate=True),
        Output(Ids.MAP_CLICK, "data"),
        Output(Ids.MAP, "clickData"),
        Input(Ids.MAP, "clickData"),
        State(Ids.VIEW, "data"),
        State(Ids.MAP, "figure"),
        prevent_initial_call=True,
    )
    app.clientside_callback(AFTER_DRAWN_JS, Output(Ids.VIEW_DRAWN, "data"), Input(Ids.VIEW, "data"))
