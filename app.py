"""The dashboard application.

`create_app(settings) -> Dash` wires everything: the StatsService over the database, the
page layout (built per page load), and each feature's callbacks. `python app.py` serves it
at HOST:PORT (default 127.0.0.1:8050) against DATABASE_URL.

For a WSGI server (`gunicorn app:server`), `server` (and `app`) are module attributes built
on first access (PEP 562 module `__getattr__`) from `Settings.from_env()`: importing this
module creates no Dash app, no engine and touches no database, so tools and tests can import
`create_app` freely. Even once built, nothing connects to the database or reads geometry
until the first page request (the engine connects lazily; the layout is a function).

`/healthz` (the process answers) and `/readyz` (database reachable, schema at the code's
migration heads; 503 with the reason otherwise) are plain routes for a load balancer. With
REDIS_URL the services' per-data-version caches are shared through Redis by every process.

Everything the browser loads is served by this process: Dash's and plotly's bundles
(`serve_locally`), our CSS and the ranking-table renderer under assets/, and the topojson
plotly.js insists on fetching (assets/topojson/, see its README). No external stylesheets,
scripts or web fonts; the version check of Dash's dev tools is switched off.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from dash import Dash, Input, Output, State, dcc, html
from flask import Flask, Response, jsonify
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from accounts import web as web_accounts
from callbacks import details as details_callbacks
from callbacks import live as live_callbacks
from callbacks import map as map_callbacks
from callbacks import navigation, panels, rankings, scoring_entry, scoring_results, scoring_scorecard, wall
from callbacks.metric_sources import metric_catalog
from callbacks.services import Services
from callbacks.view_data import map_changes_for
from config import Settings
from db.engine import make_engine
from db.migrate import migration_problem
from dossier_stats.cache import local_store
from dossier_stats.redis_store import SharedCache, shared_cache
from dossier_stats.rules import RULES_NOTE
from dossier_stats.service import StatsService
from geodata.display import display_geojson
from layouts.details import details_skeleton
from layouts.home import APP_TITLE, home_layout, unavailable_layout
from layouts.map_figure import apply_changes, base_figure
from layouts.map_metrics import metric_options
from layouts.scoring_pages import scoring_routes, scoring_skeleton
from layouts.view import parse_query, period_kind_options, period_options
from logging_setup import configure_logging
from scoring.service import ScoringService
from vi_format import data_time_text

ASSETS_DIR = Path(__file__).resolve().parent / "assets"
FEATURES = (navigation, map_callbacks, panels, rankings, wall, details_callbacks)
FEATURES += (live_callbacks,)  # the home page's live refresh
FEATURES += (scoring_scorecard, scoring_results, scoring_entry)  # the PAR-index pages
ROUTER_URL = "page-url"  # the router's own dcc.Location (pages keep theirs)
PAGE = "page"
Page = Callable[[str | None], html.Div]  # the URL's query string -> the page
log = logging.getLogger(__name__)


def page_layout(services: Services, topojson_url: str) -> html.Div:
    """The page for a new visitor, or a page that says why the data cannot be shown."""
    try:
        return home_page(services, topojson_url)
    except (SQLAlchemyError, LookupError) as exc:
        log.exception("page layout: data not readable")
        problem = (
            str(exc) if isinstance(exc, LookupError) else f"Lỗi cơ sở dữ liệu ({exc.__class__.__name__})."
        )
        return unavailable_layout(problem)


def home_page(services: Services, topojson_url: str) -> html.Div:
    """Default view (province, on-time rate, last full month) with both geometry layers;
    the navigation callback then opens what the URL asks for. The data version is read
    first, so data changing while the page is built are redrawn by the first poll."""
    live = live_callbacks.live_state(services)
    view_ctx = services.view_context()
    view = view_ctx.default_view()
    catalog = metric_catalog(services)
    geometry = base_figure(
        display_geojson(services.geodata_dir, "district"), display_geojson(services.geodata_dir, "commune")
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
        live_state=live,
        poll_ms=round(live_callbacks.poll_seconds(services.settings) * 1000),
    )


def skeleton_layout(topojson_url: str) -> html.Div:
    """Every component of the page, without data (for Dash's callback validation)."""
    return home_layout(
        figure={"data": [], "layout": {}},
        topojson_url=topojson_url,
        metric_options=[],
        metric="",
        period_kind="month",
        period_options=[],
        period="",
        data_time="",
    )


def pages(services: Services, topojson_url: str) -> dict[str, Page]:
    """URL path -> its page. A new page is one more entry here (and its skeleton in
    `validation_layout`); `/?kiosk=1` opens the wall display."""

    def home(search: str | None) -> html.Div:
        if parse_query(search).get("kiosk") == "1":
            return wall.wall_page(services, topojson_url, search)
        return page_layout(services, topojson_url)

    return {
        "/": home,
        "/wall": lambda search: wall.wall_page(services, topojson_url, search),
        **scoring_routes(),
    }


def not_found_layout(path: str) -> html.Div:
    return html.Div(
        [
            html.Header(html.Div(html.H1(APP_TITLE), className="brand"), className="topbar"),
            html.Div(
                [html.P(f"Không có trang {path[:80]}."), dcc.Link("Về bản đồ", href="/")],
                className="message",
                role="alert",
            ),
        ],
        className="app",
    )


def validation_layout(topojson_url: str) -> html.Div:
    """The router and every page's components, without data (for Dash's callback validation)."""
    return html.Div(
        [
            dcc.Location(id=ROUTER_URL),
            html.Div(id=PAGE),
            skeleton_layout(topojson_url),
            wall.wall_skeleton(topojson_url),
            scoring_skeleton(),
            details_skeleton(),
        ]
    )


def register_health(server: Flask, engine: Engine, shared: SharedCache | None) -> None:
    """Two plain routes for a load balancer: /healthz (the process answers; no database) and
    /readyz (the database answers and is migrated to this code's heads: 200, else 503 with
    the reason). A Redis that does not answer is reported but leaves the process ready: the
    caches then compute in the process."""
    no_store = {"Cache-Control": "no-store"}

    @server.route("/healthz")
    def healthz() -> Response:
        return Response("ok", mimetype="text/plain", headers=no_store)

    @server.route("/readyz")
    def readyz() -> tuple[Response, int]:
        try:
            with engine.connect() as conn:
                problem = migration_problem(conn)
        except SQLAlchemyError as exc:
            problem = f"database unreachable ({exc.__class__.__name__})"
        cache = "in-process" if shared is None else (shared.check() or "redis")
        status = 503 if problem else 200
        if problem:
            log.warning("readyz: not ready: %s (python cli.py setup migrates the schema)", problem)
        body = {"status": "unavailable" if problem else "ready", "reason": problem, "cache": cache}
        response = jsonify(body)
        response.headers.update(no_store)
        return response, status


def create_app(settings: Settings) -> Dash:
    engine = make_engine(settings.database_url)
    shared = (
        shared_cache(settings.redis_url, engine, settings.province_code, settings.cache_ttl_seconds)
        if settings.redis_url
        else None
    )
    stores = shared.store if shared else local_store
    services = Services(
        settings=settings,
        stats=StatsService(engine, settings.province_code, stores=stores),
        geodata_dir=settings.geodata_dir,
        scoring=ScoringService(engine, stores=stores),
        stores=stores,
    )
    app = Dash(
        __name__,
        title=APP_TITLE,
        assets_folder=str(ASSETS_DIR),
        serve_locally=True,
        # gzip/brotli/zstd for every page, bundle and callback response (flask-compress):
        # first load 415 KB -> 104 KB without the bundles, 6.5 MB -> 1.8 MB with them.
        compress=True,
        update_title=None,
        external_stylesheets=[],
        external_scripts=[],
    )
    # The renderer's "new Dash version" check would call dash-version.plotly.com: off, always.
    app.enable_dev_tools(debug=settings.debug, dev_tools_disable_version_check=True)
    topojson_url = app.get_asset_url("topojson/")
    # Callback ids are validated against this light skeleton of every page; the layout is
    # only the router, which builds the page of the URL's path (database, geometry) on load.
    app.validation_layout = validation_layout(topojson_url)
    app.layout = html.Div([dcc.Location(id=ROUTER_URL, refresh=False), html.Div(id=PAGE)])
    routes = pages(services, topojson_url)

    @app.callback(Output(PAGE, "children"), Input(ROUTER_URL, "pathname"), State(ROUTER_URL, "search"))
    def route(pathname: str | None, search: str | None) -> html.Div:
        path = (pathname or "/").rstrip("/") or "/"
        page = routes.get(path)
        return page(search) if page else not_found_layout(path)

    # Reachable from the WSGI app (bench/map_bench.py clears the StatsService cache through it).
    app.server.extensions["bando"] = services
    app.server.extensions["bando_shared_cache"] = shared
    register_health(app.server, engine, shared)
    # Login, session cookie, cross-site check of every POST, kiosk token (accounts/web.py).
    web_accounts.install(
        app.server,
        engine,
        settings,
        routes_prefix=app.config.routes_pathname_prefix,
        url_prefix=app.config.requests_pathname_prefix,
        stylesheets=[app.get_asset_url("style.css"), app.get_asset_url("accounts.css")],
    )
    for feature in FEATURES:
        feature.register(app, services)
    return app


_default_app: Dash | None = None


def __getattr__(name: str) -> Any:
    """`app` and `server` for WSGI servers, built from the environment on first access."""
    global _default_app
    if name in ("app", "server"):
        if _default_app is None:
            _default_app = create_app(Settings.from_env())
        return _default_app if name == "app" else _default_app.server
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def main() -> None:
    settings = Settings.from_env()
    configure_logging(settings.log_level, settings.log_format)
    create_app(settings).run(
        host=settings.host, port=settings.port, debug=settings.debug, dev_tools_disable_version_check=True
    )


if __name__ == "__main__":
    main()
