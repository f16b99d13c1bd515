"""The home page for a visit: the view its URL asks for (else the default: the city, on-time
rate, last full month), drawn with both geometry layers; the side panel, rankings and detail
tabs follow it. A page that cannot read its data says why instead."""

from __future__ import annotations

import logging

from dash import Dash, html

from callbacks.common.guard import READ_ERRORS, log_outage, problem_text
from callbacks.common.pages import PageRequest
from callbacks.common.services import Services
from callbacks.home import details, downloads, interaction, live, rankings
from callbacks.home import map as map_outline
from callbacks.home.metric_sources import metric_catalog
from callbacks.home.navigation import controls_for, shown_view_store, url_view
from callbacks.home.view_data import crumbs, map_changes_for, map_legend
from dossier_stats.rules import RULES_NOTE
from geodata.display import detached_codes, display_geojson
from layouts.common.figures import apply_changes
from layouts.common.urls import parse_query
from layouts.home.map_figure import base_figure
from layouts.home.map_metrics import metric_options
from layouts.home.page import home_layout, unavailable_layout
from layouts.home.panels import breadcrumb
from vi_format import data_time_text

log = logging.getLogger(__name__)
# The home page's callbacks: one round trip per interaction (URL, controls, map click, new
# data -> view store, map, breadcrumb), then the side panel, rankings and detail tabs; the
# ranking tables drawn and the selection outline in the browser; the poll.
FEATURES = (interaction, map_outline, rankings, details, downloads, live)


def home_page(request: PageRequest) -> html.Div:
    """The page for a new visitor, or a page that says why the data cannot be shown."""
    try:
        return _home_page(request.services, request.topojson_url, request.search)
    except READ_ERRORS as exc:
        log_outage("map page", exc)
        return unavailable_layout(problem_text(exc))


def _home_page(services: Services, topojson_url: str, search: str | None) -> html.Div:
    """The page drawn with the view its URL asks for: map, legend, controls, breadcrumb and
    the VIEW store, so that opening it needs no interaction (the side panel and rankings
    follow it, callbacks/home/interaction.py). The data version is read first, so data
    changing while the page is built are redrawn by the first poll."""
    live_state = live.live_state(services)
    view_ctx = services.view_context()
    catalog = metric_catalog(services)
    view, messages = url_view(services, parse_query(search), catalog.metrics)
    city = services.city_edition()
    communes = (
        display_geojson(services.geodata_dir, "commune")
        if city is None
        else display_geojson(city.folder, "commune", city.files)  # a superset: the city's 94 units
    )
    detached = () if city is None else detached_codes(city.folder, "commune", city.files)
    geometry = base_figure(
        display_geojson(services.geodata_dir, "district"), communes, city is not None, detached
    )
    return home_layout(
        figure=apply_changes(geometry, map_changes_for(services, view, catalog)),
        topojson_url=topojson_url,
        metric_options=metric_options(catalog.metrics),
        **controls_for(view_ctx, view, catalog.metric(view.metric)),
        data_time=data_time_text(services.stats.data_time()),
        rules_note=RULES_NOTE,
        legend=map_legend(services, view, catalog),
        live_state=live_state,
        poll_ms=round(live.poll_seconds(services.settings) * 1000),
        view_data=shown_view_store(view, None, messages),
        search=search or "",
        crumbs=breadcrumb(crumbs(services, view)),
        messages=[html.P(m) for m in messages],
    )


def register(app: Dash, services: Services) -> None:
    for feature in FEATURES:
        feature.register(app, services)
