"""The map follows the view with a Patch: values, colours, selection, title — never geometry.

Part of the one interaction callback (callbacks/home/interaction.py). A metric change sends
only the new values and colours (and the hover texts when the metric's family changes:
metrics of one family share them). New data (the LIVE_STATE store moved to a new data
version) sends the values, colours and hover texts of the view on screen. The page is drawn
with the default view (callbacks/home/page.py), so opening it on that view sends nothing.
"""

from __future__ import annotations

from typing import Any

from dash import Patch, no_update

from callbacks.common.services import Services
from callbacks.home.metric_sources import MetricCatalog
from callbacks.home.navigation import Move
from callbacks.home.view_data import map_changes_for
from layouts.common.figures import to_patch
from layouts.home.map_figure import data_only, values_only


def map_output(services: Services, moved: Move, new_data: bool, catalog: MetricCatalog) -> Patch | Any:
    """The map's Patch for an interaction (no_update when neither the view nor the data moved)."""
    view, changed = moved.view, moved.changed
    if changed is None and not new_data and view == services.view_context().default_view():
        return no_update  # just opened on the view the page was drawn with
    view_moved = changed != []
    if not (view_moved or new_data):
        return no_update
    changes = map_changes_for(services, view, catalog)
    if not view_moved:
        return to_patch(data_only(changes))
    if changed == ["metric"] and moved.previous is not None:
        same_family = catalog.family(moved.previous.metric) == catalog.family(view.metric)
        return to_patch(values_only(changes, hover=new_data or not same_family))
    return to_patch(changes)
