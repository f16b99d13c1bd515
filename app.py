"""The dashboard application.

`create_app(settings) -> Dash` wires everything: the services over the database
(callbacks/common/services.py), the router that builds the page of the URL's path on each
visit, and every page's callbacks and routes, from the one page registry (app_pages.py).
`python app.py` serves it at HOST:PORT (default 127.0.0.1:8050) against DATABASE_URL.

For a WSGI server (`gunicorn app:server`), `server` (and `app`) are module attributes built
on first access (PEP 562 module `__getattr__`) from `Settings.from_env()`: importing this
module creates no Dash app, no engine and touches no database, so tools and tests can import
`create_app` freely. Even once built, nothing connects to the database or reads geometry
until the first page request (the engine connects lazily; the layout is a function).

Everything the browser loads is served by this process: Dash's and plotly's bundles
(`serve_locally`), our CSS and the ranking-table renderer under assets/, and the topojson
plotly.js insists on fetching (assets/topojson/, see its README). No external stylesheets,
scripts or web fonts; the version check of Dash's dev tools is switched off.

`/healthz` (the process answers) and `/readyz` (database reachable, schema at the code's
migration heads; 503 with the reason otherwise) are plain routes for a load balancer
(callbacks/common/health.py, in app_pages.SERVER_ROUTES). With REDIS_URL the services'
per-data-version caches are shared through Redis by every process.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import flask
from dash import Dash, Input, Output, State, dcc, html

from accounts import web as web_accounts
from app_pages import PAGES, SERVER_ROUTES
from callbacks.common import auth, connection, errors, not_found, timing
from callbacks.common.pages import PageRequest, find_page
from callbacks.common.services import Services
from callbacks.home.live import poll_seconds
from config import Settings
from db.engine import make_engine
from dossier_stats.index766.ruleset import active_config as active_766_rules
from layouts.common.frame import APP_TITLE, not_found_layout
from layouts.common.ids import AppIds
from layouts.common.urls import PREFIX_CONFIG, page_path, parse_query
from layouts.scoring.common import LINK_POLL_CONFIG
from logging_setup import configure_logging

ASSETS_DIR = Path(__file__).resolve().parent / "assets"
log = logging.getLogger(__name__)


def validation_layout(topojson_url: str) -> html.Div:
    """The router and every page's components, without data (for Dash's callback validation)."""
    return html.Div(
        [dcc.Location(id=AppIds.ROUTER_URL), html.Div(id=AppIds.PAGE)]
        + [page.skeleton(topojson_url) for page in PAGES]
    )


def page_for(
    services: Services, topojson_url: str, prefix: str, pathname: str | None, search: str | None
) -> Any:
    """The page of a URL (app_pages.PAGES), or "Không có trang …"; every page but the wall
    with the account corner over its top bar (who is logged in, or a login link)."""
    path = page_path(pathname)  # without URL_PREFIX; None: outside it
    page = find_page(PAGES, path, parse_query(search)) if path is not None else None
    if page is None:
        return not_found_layout(path or pathname or "/")
    content = page.layout(PageRequest(services, topojson_url, search))
    if not page.account_corner:
        return content
    corner = auth.account_corner(services.settings, prefix, pathname or "/", search)
    return html.Div([corner, content], className="with-account")


def opened_url() -> tuple[str, str] | None:
    """(path, query string) of the page the browser opened, read from the Referer of its
    layout request (the renderer's fetch of /_dash-layout; accounts/web.py's Referrer-Policy
    "same-origin" keeps the whole URL); None without one."""
    referrer = flask.request.referrer if flask.has_request_context() else None
    if not referrer:
        return None
    parts = urlsplit(referrer)
    return parts.path or "/", f"?{parts.query}" if parts.query else ""


def first_layout(services: Services, topojson_url: str, prefix: str) -> Callable[[], html.Div]:
    """The app's layout function: the router, and — for a page `in_first_answer` (the map) —
    that page already built for the URL the browser opened, so that it is drawn from the
    first answer, without the router's round trip. The router's location then holds that URL
    and reports no change when it mounts; any other page (or a layout request without a
    Referer) is built by the router as before."""

    def router_only() -> html.Div:
        return html.Div([dcc.Location(id=AppIds.ROUTER_URL, refresh=False), html.Div(id=AppIds.PAGE)])

    def layout() -> html.Div:
        opened = opened_url()
        if opened is None:
            return router_only()
        pathname, search = opened
        path = page_path(pathname)
        page = find_page(PAGES, path, parse_query(search)) if path is not None else None
        if page is None or not page.in_first_answer:
            return router_only()
        try:
            content = page_for(services, topojson_url, prefix, pathname, search)
        except Exception:  # the router tries again and reports it as any callback would
            log.exception("the %s page could not be built into the first layout", page.name)
            return router_only()
        return html.Div(
            [
                dcc.Location(id=AppIds.ROUTER_URL, refresh=False, pathname=pathname, search=search),
                html.Div(content, id=AppIds.PAGE),
            ]
        )

    return layout


def register_router(app: Dash, services: Services, topojson_url: str) -> None:
    """The page of the URL's path when the router's location reports one: on load for a page
    not in the first layout, and on every move inside the app (a link to another page)."""
    prefix = app.config.requests_pathname_prefix

    @app.callback(
        Output(AppIds.PAGE, "children"),
        Input(AppIds.ROUTER_URL, "pathname"),
        State(AppIds.ROUTER_URL, "search"),
        prevent_initial_call=True,  # a location without a path reports it when it mounts
    )
    def route(pathname: str | None, search: str | None) -> Any:
        return page_for(services, topojson_url, prefix, pathname, search)


def create_app(settings: Settings) -> Dash:
    active_766_rules()  # the 766 rule set (rules.toml / INDEX766_RULES), read and checked at start
    services = Services.over(make_engine(settings.database_url), settings)
    app = Dash(
        __name__,
        title=APP_TITLE,
        assets_folder=str(ASSETS_DIR),
        serve_locally=True,
        # every page, asset, callback and route under URL_PREFIX (a reverse proxy's /bando/)
        url_base_pathname=settings.url_prefix,
        # gzip/brotli/zstd for every page, bundle and callback response (flask-compress):
        # first load 415 KB -> 104 KB without the bundles, 6.5 MB -> 1.8 MB with them.
        compress=True,
        update_title=None,
        external_stylesheets=[],
        external_scripts=[],
    )
    # Every page is in Vietnamese: screen readers, spell checkers and translators read it so.
    app.index_string = app.index_string.replace("<html>", '<html lang="vi">', 1)
    app.server.config[PREFIX_CONFIG] = settings.url_prefix  # layouts.common.urls.app_path
    app.server.config[LINK_POLL_CONFIG] = round(poll_seconds(settings) * 1000)  # the scoring pages' poll
    # The renderer's "new Dash version" check would call dash-version.plotly.com: off, always.
    app.enable_dev_tools(debug=settings.debug, dev_tools_disable_version_check=True)
    topojson_url = app.get_asset_url("topojson/")
    # Callback ids are validated against this light skeleton of every page; the layout is
    # the router, and the map's page built for the URL opened (first_layout).
    app.validation_layout = validation_layout(topojson_url)
    app.layout = first_layout(services, topojson_url, app.config.requests_pathname_prefix)
    register_router(app, services, topojson_url)
    # Reachable from the WSGI app (bench/map_bench.py clears the StatsService cache through it).
    app.server.extensions["bando"] = services
    app.server.extensions["bando_shared_cache"] = services.shared
    for page in PAGES:
        page.register(app, services)
        if page.server_routes is not None:
            page.server_routes(app.server, services)
    for routes in SERVER_ROUTES:
        routes(app.server, services)
    # Login, session cookie, cross-site check of every POST, kiosk token (accounts/web.py).
    web_accounts.install(
        app.server,
        services.scoring.engine,
        settings,
        routes_prefix=app.config.routes_pathname_prefix,
        url_prefix=app.config.requests_pathname_prefix,
        stylesheets=[app.get_asset_url("style.css"), app.get_asset_url("accounts.css")],
    )
    # An unknown path: 404 with "Không có trang …" (after the login gate, before Dash's catch-all).
    not_found.install(app.server, app.index, [r.path for p in PAGES for r in p.routes], settings.url_prefix)
    # A forged callback payload: 400 in Vietnamese; any other failure: no traceback on the wire.
    errors.install(app.server, settings.debug)
    # Responses that read the database carry its time: the pages' connection badge.
    connection.install(app.server, [services.stats.engine, services.scoring.engine], settings.now)
    # After the cross-site and login checks: a callback request must have the shape its
    # callback declares (else 400, nothing runs).
    auth.check_payloads(
        app.server, app.callback_map, app.config.routes_pathname_prefix + "_dash-update-component"
    )
    # Server time and bytes of every callback request, logged and kept for the benchmarks.
    timing.install(app.server)
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
