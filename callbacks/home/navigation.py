"""URL <-> view: reading a URL opens its view (also after a click on a breadcrumb or ranking
link); controls and map clicks change the view and the URL.

One callback, because the URL and the controls feed each other (Dash allows such a loop only
inside a single callback). It writes the resolved view to the VIEW store (with the fields
that changed); the other features render from that store.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from dash import Dash, Input, Output, State, ctx, html, no_update

from callbacks.common.services import Services
from callbacks.home.metric_sources import metric_catalog
from dossier_stats.metrics import METRICS
from layouts.common.urls import parse_query
from layouts.home.ids import Ids
from layouts.home.map_figure import clicked_unit
from layouts.home.view import (
    MetricLike,
    View,
    ViewContext,
    period_kind_options,
    period_options,
    read_view_store,
    resolve_view,
    view_query,
    view_store,
    with_commune,
    with_district,
    with_kind,
    with_metric,
    with_period,
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
        return with_metric(view, values["metric"], metrics, view_ctx)
    if trigger == Ids.PERIOD_KIND:
        return with_kind(view, values["kind"], view_ctx, metric)
    if trigger == Ids.PERIOD:
        return with_period(view, values["period"], view_ctx, metric)
    if trigger == Ids.MAP and (hit := clicked_unit(values["click"])):
        level, code = hit
        return with_district(view, code) if level == "district" else with_commune(view, code)
    return view


def register(app: Dash, services: Services) -> None:
    @app.callback(
        Output(Ids.VIEW, "data"),
        Output(Ids.URL, "search"),
        Output(Ids.MESSAGE, "children"),
        Output(Ids.METRIC, "value"),
        Output(Ids.PERIOD_KIND, "value"),
        Output(Ids.PERIOD_KIND, "options"),
        Output(Ids.PERIOD, "options"),
        Output(Ids.PERIOD, "value"),
        Output(Ids.MAP, "clickData"),
        Input(Ids.URL, "search"),
        Input(Ids.METRIC, "value"),
        Input(Ids.PERIOD_KIND, "value"),
        Input(Ids.PERIOD, "value"),
        Input(Ids.MAP, "clickData"),
        State(Ids.VIEW, "data"),
    )
    def navigate(search: str | None, metric: str, kind: str, period: str, click: Any, stored: Any) -> tuple:
        view_ctx = services.view_context()
        metrics = metric_catalog(services).metrics
        trigger = ctx.triggered_id
        previous = read_view_store(stored)[0] if stored is not None else None
        if previous is not None and previous.metric not in metrics:
            previous = None  # its family is gone (no index version any more): read the URL again
        if trigger in (None, Ids.URL) or previous is None:
            view, messages = resolve_view(parse_query(search), view_ctx, services.stats.unit, metrics)
            url: Any = no_update  # keep what the user opened (and the history) as it is
        else:
            values = {"metric": metric, "kind": kind, "period": period, "click": click}
            view, messages = next_view(previous, trigger, values, view_ctx, metrics), []
            url = view_query(view, view_ctx.province_code)
        shown = metrics[view.metric]
        return (
            view_store(view, previous),
            url,
            [html.P(m) for m in messages],
            view.metric,
            view.period.kind,
            period_kind_options(shown),
            period_options(view_ctx, view.period.kind, shown),
            view.period.key,
            None,
        )
