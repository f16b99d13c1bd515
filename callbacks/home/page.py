"""The home page for a visit: the default view (province, on-time rate, last full month)
with both geometry layers; the navigation callback then opens what the URL asks for. A
page that cannot read its data says why instead."""

from __future__ import annotations

import logging

from dash import Dash, html

from callbacks.common.guard import READ_ERRORS, log_outage, problem_text
from callbacks.common.pages import PageRequest
from callbacks.common.services import Services
from callbacks.home import details, downloads, interaction, live, rankings
from callbacks.home import map as map_outline
from callbacks.home.metric_sources import metric_catalog
from callbacks.home.view_data import map_changes_for, map_legend
from dossier_stats.rules import RULES_NOTE
from geodata.display import detached_codes, display_geojson
from layouts.common.figures import apply_changes
from layouts.home.edition_view import edition_options
from layouts.home.map_figure import base_figure
from layouts.home.map_metrics import metric_options
from layouts.home.page import home_layout, unavailable_layout
from layouts.home.view import period_kind_options, period_options, view_edition
from vi_format import data_time_text

log = logging.getLogger(__name__)
# The home page's callbacks: one round trip per interaction (URL, controls, map click, new
# data -> view store, map, panels, rankings), then the detail tabs; the ranking tables drawn
# and the selection outline in the browser; the poll.
FEATURES = (interaction, map_outline, rankings, details, downloads, live)


def home_page(request: PageRequest) -> html.Div:
    """The page for a new visitor, or a page that says why the data cannot be shown."""
    try:
        return _home_page(request.services, request.topojson_url)
    except READ_ERRORS as exc:
        log_outage("map page", exc)
        return unavailable_layout(problem_text(exc))


def _home_page(services: Services, topojson_url: str) -> html.Div:
    """The data version is read first, so data changing while the page is built are redrawn
    by the first poll."""
    live_state = live.live_state(services)
    view_ctx = services.view_context()
    view = view_ctx.default_view()
    catalog = metric_catalog(services)
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
        metric=view.metric,
        period_kind=view.period.kind,
        period_kind_options=period_kind_options(catalog.metric(view.metric)),
        period_options=period_options(view_ctx, view.period.kind),
        period=view.period.key,
        data_time=data_time_text(services.stats.data_time()),
        rules_note=RULES_NOTE,
        legend=map_legend(services, view, catalog),
        live_state=live_state,
        edition_options=edition_options(view_ctx),
        edition=getattr(view_edition(view, view_ctx), "id", None),
        poll_ms=round(live.poll_seconds(services.settings) * 1000),
    )


def register(app: Dash, services: Services) -> None:
    for feature in FEATURES:
        feature.register(app, services)
