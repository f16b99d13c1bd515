"""URL <-> view: reading a URL opens its view (also after a click on a breadcrumb or ranking
link); controls and map clicks change the view and the URL.

Pure steps of the one interaction callback (callbacks/home/interaction.py): `move` reads
what fired (URL, a control, a map click) into the next view, `navigation_outputs` is what
the URL, the VIEW store (with the fields that changed, for the detail tabs) and the
controls show of it. The URL and the controls feed each other: Dash allows such a loop only
inside a single callback, which is also the one that answers with the map and panels.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from dash import html, no_update

from callbacks.common.services import Services
from callbacks.home.metric_sources import MetricCatalog
from dossier_stats.analysis import AnalysisService
from dossier_stats.metrics import METRICS
from layouts.common.urls import parse_query
from layouts.home.edition_view import edition_options, with_edition
from layouts.home.ids import Ids
from layouts.home.map_figure import clicked_unit
from layouts.home.view import (
    VIEW_FIELDS,
    MetricLike,
    View,
    ViewContext,
    period_kind_options,
    period_options,
    read_view_store,
    resolve_view,
    view_edition,
    view_query,
    view_store,
    with_commune,
    with_district,
    with_kind,
    with_metric,
    with_period,
)
from layouts.home.view_compare import (
    compare_options,
    kept_compare,
    with_colour,
    with_compare,
    with_url_options,
)


def next_view(
    view: View,
    trigger: str,
    values: dict[str, Any],
    view_ctx: ViewContext,
    metrics: Mapping[str, MetricLike] = METRICS,
) -> View:
    """The view after the user changed one control or clicked the map (a yearly metric keeps
    its period a year it has)."""
    metric = metrics.get(view.metric)
    if trigger == Ids.METRIC:
        view = with_metric(view, values["metric"], metrics, view_ctx)
    elif trigger == Ids.PERIOD_KIND:
        view = with_kind(view, values["kind"], view_ctx, metric)
    elif trigger == Ids.PERIOD:
        view = with_period(view, values["period"], view_ctx, metric)
    elif trigger == Ids.EDITION:
        view = with_edition(view, values.get("edition"), view_ctx)
    elif trigger == Ids.COLOUR:
        view = with_colour(view, values.get("colour"))
    elif trigger == Ids.COMPARE:
        view = with_compare(view, values.get("compare"), view_ctx, metric)
    elif trigger in (Ids.MAP, Ids.MAP_CLICK) and (hit := clicked_unit(values["click"])):
        level, code = hit
        view = with_district(view, code) if level == "district" else with_commune(view, code)
    return kept_compare(view, view_ctx, metrics.get(view.metric))


def url_view(
    services: Services, params: dict[str, str], metrics: Mapping[str, MetricLike]
) -> tuple[View, list[str]]:
    """The view a URL's parameters ask for, with its colour mode and second period."""
    view_ctx = services.view_context()
    view, messages = resolve_view(params, view_ctx, services.stats.unit, metrics, services.stats.edition_unit)
    view, more = with_url_options(view, params, view_ctx, metrics[view.metric])
    return view, messages + more


def found_view(
    services: Services, view: View, query: str | None, metrics: Mapping[str, MetricLike]
) -> tuple[View, list[str]]:
    """The view showing the best match of a unit search, as its link would (a district: its
    communes; a commune: selected among its neighbours), metric, period, edition and colours
    kept; the same view and a message when nothing matched."""
    text = (query or "").strip()
    if not text:
        return view, []
    matches = AnalysisService(services.stats).find_units(text)
    if not matches:
        return view, [f"Không tìm thấy đơn vị nào có tên “{text[:40]}”."]
    province = services.settings.province_code
    params = parse_query(view_query(replace(view, district=None, commune=None), province))
    return url_view(services, {**params, "unit": matches[0].unit.code}, metrics)


@dataclass(frozen=True)
class Move:
    """Where an interaction leads: the view, the one before it (None: the page was just
    opened, or its metric is gone), messages about the URL, and the new query string
    (no_update: keep the URL as the user opened it)."""

    view: View
    previous: View | None
    messages: list[str]
    url: Any
    trigger: Any = None  # what fired: None (page opened), Ids.URL, a control, Ids.MAP_CLICK
    said: bool = True  # whether messages may be on screen (the VIEW store's MESSAGES_SHOWN)

    def controls_may_move(self) -> bool:
        """Whether the controls may show something else: not after a map click, nor after a
        link to the same metric and period (a refused control change snaps back: sent)."""
        if self.previous is None:
            return True
        if self.trigger == Ids.MAP_CLICK:
            return False
        now, before = self.view, self.previous
        same = (now.metric, now.period, now.edition, now.colour, now.compare) == (
            before.metric,
            before.period,
            before.edition,
            before.colour,
            before.compare,
        )
        return not (self.trigger == Ids.URL and same)

    @property
    def changed(self) -> list[str] | None:
        """The view's fields that moved (None: everything must be drawn)."""
        if self.previous is None:
            return None
        return [f for f in VIEW_FIELDS if getattr(self.view, f) != getattr(self.previous, f)]


def move(
    services: Services, trigger: Any, values: dict[str, Any], stored: Any, catalog: MetricCatalog
) -> Move:
    """The view after `trigger` (None: the page was just opened; the URL: a link, the back
    button; else a control or the map) from the view in the VIEW store."""
    view_ctx = services.view_context()
    metrics = catalog.metrics
    previous = read_view_store(stored)[0] if stored is not None else None
    said = stored is None or bool(stored.get(MESSAGES_SHOWN))
    if previous is not None and previous.metric not in metrics:
        previous = None  # its family is gone (no index version any more): read the URL again
    if trigger in (None, Ids.URL) or previous is None:
        view, messages = url_view(services, parse_query(values["search"]), metrics)
        # the URL the user opened (and the history) stays
        return Move(view, previous, messages, no_update, trigger, said)
    if trigger == Ids.UNIT_SEARCH:
        view, messages = found_view(services, previous, values.get("unit_search"), metrics)
        return Move(view, previous, messages, view_query(view, view_ctx.province_code), trigger, said)
    view = next_view(previous, trigger, values, view_ctx, metrics)
    return Move(view, previous, [], view_query(view, view_ctx.province_code), trigger, said)


def controls_for(view_ctx: ViewContext, view: View, shown: MetricLike) -> dict[str, Any]:
    """What the controls show of a view, by the names of `home_layout`'s arguments (the page
    is drawn with them; an interaction sends them in NAVIGATION_OUTPUTS order)."""
    return {
        "metric": view.metric,
        "period_kind": view.period.kind,
        "period_kind_options": period_kind_options(shown),
        "period_options": period_options(view_ctx, view.period.kind, shown),
        "period": view.period.key,
        "edition_options": edition_options(view_ctx),
        "edition": getattr(view_edition(view, view_ctx), "id", None),
        "colour": view.colour,
        "compare_options": compare_options(view_ctx, view, shown),
        "compare": None if view.compare is None else view.compare.key,
    }


def changed_controls(
    view_ctx: ViewContext, moved: Move, catalog: MetricCatalog, fired: Mapping[str, Any]
) -> tuple:
    """The controls' values and options for the view, in NAVIGATION_OUTPUTS order: only those
    that differ from what the browser shows — the view before, and for the control that
    fired, the value it fired with (`fired`: the interaction's values by input name), so a
    refused change snaps back and an accepted one re-renders nothing."""
    values = controls_for(view_ctx, moved.view, catalog.metrics[moved.view.metric])
    if moved.previous is None:
        return tuple(values[name] for name in CONTROL_NAMES)
    shown = controls_for(view_ctx, moved.previous, catalog.metrics[moved.previous.metric])
    outputs = NAVIGATION_OUTPUTS[-len(CONTROL_NAMES) :]
    for component, prop, name in NAVIGATION_INPUTS:
        if component == moved.trigger and (component, prop) in outputs:
            shown[CONTROL_NAMES[outputs.index((component, prop))]] = fired.get(name)
    return tuple(values[name] if values[name] != shown[name] else no_update for name in CONTROL_NAMES)


def navigation_outputs(
    services: Services, moved: Move, catalog: MetricCatalog, fired: Mapping[str, Any] | None = None
) -> tuple:
    """VIEW store, URL, message, metric, period kind and its options, period options and
    value (the controls only when they may move: a map click re-renders none). An
    interaction that moves nothing leaves the store and the URL alone (nothing to redraw)."""
    view = moved.view
    still = moved.changed == []
    controls = (
        changed_controls(services.view_context(), moved, catalog, fired or {})
        if moved.controls_may_move()
        else (no_update,) * len(CONTROL_NAMES)
    )
    return (
        no_update if still else shown_view_store(view, moved.previous, moved.messages),
        no_update if still else moved.url,
        [html.P(m) for m in moved.messages] if moved.messages or moved.said else no_update,
        *controls,
    )


MESSAGES_SHOWN = "messages"  # VIEW store: whether the message area shows something


def shown_view_store(view: View, previous: View | None, messages: list[str]) -> dict[str, Any]:
    """The VIEW store (layouts.home.view.view_store) and whether messages are shown with it,
    so that the next interaction clears the message area only when there is something to
    clear (an empty message is one output less to re-render)."""
    return {**view_store(view, previous), MESSAGES_SHOWN: bool(messages)}


NAVIGATION_OUTPUTS = (
    (Ids.VIEW, "data"),
    (Ids.URL, "search"),
    (Ids.MESSAGE, "children"),
    (Ids.METRIC, "value"),
    (Ids.PERIOD_KIND, "value"),
    (Ids.PERIOD_KIND, "options"),
    (Ids.PERIOD, "options"),
    (Ids.PERIOD, "value"),
    (Ids.EDITION, "options"),
    (Ids.EDITION, "value"),
    (Ids.COLOUR, "value"),
    (Ids.COMPARE, "options"),
    (Ids.COMPARE, "value"),
)
# the names of controls_for's values, in the order of NAVIGATION_OUTPUTS after the first three
CONTROL_NAMES = (
    "metric",
    "period_kind",
    "period_kind_options",
    "period_options",
    "period",
    "edition_options",
    "edition",
    "colour",
    "compare_options",
    "compare",
)
# (component, property, the name its value has in `values`)
NAVIGATION_INPUTS = (
    (Ids.URL, "search", "search"),
    (Ids.METRIC, "value", "metric"),
    (Ids.PERIOD_KIND, "value", "kind"),
    (Ids.PERIOD, "value", "period"),
    (Ids.MAP_CLICK, "data", "click"),
    (Ids.EDITION, "value", "edition"),
    (Ids.COLOUR, "value", "colour"),
    (Ids.COMPARE, "value", "compare"),
    (Ids.UNIT_SEARCH, "value", "unit_search"),
)
