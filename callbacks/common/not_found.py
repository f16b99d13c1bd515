"""An unknown path answers HTTP 404 with the Vietnamese "Không có trang …".

Dash answers every path under its prefix with its page (the router then draws "Không có
trang …" in the browser, with status 200): a path that is no page's route gets that same
page with status 404, so a browser still sees the app's frame and its link back to the map,
and a crawler, a link checker or a proxy's log sees 404. A path outside the app (another
prefix, a missing asset) gets a small Vietnamese page with the same status.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from html import escape
from typing import Any

from flask import Flask, Response, redirect, request

from layouts.common.frame import APP_TITLE
from layouts.common.urls import page_path

log = logging.getLogger(__name__)
HTML = "text/html; charset=utf-8"


def not_found_html(path: str, home: str) -> str:
    """The plain page for a path outside the app (no Dash, no script)."""
    return (
        '<!doctype html><html lang="vi"><head><meta charset="utf-8">'
        f"<title>{escape(APP_TITLE)}</title></head>"
        f'<body><h1>{escape(APP_TITLE)}</h1><p role="alert">Không có trang {escape(path[:80])}.</p>'
        f'<p><a href="{escape(home)}">Về bản đồ</a></p></body></html>'
    )


def install(server: Flask, index: Callable[[], str], page_paths: Iterable[str], prefix: str) -> None:
    """`index` is Dash's page (app.index); `page_paths` the paths of every page's routes
    (without the prefix); Dash's index routes are named by their rule (`prefix`,
    `prefix<path:path>`)."""
    known = frozenset(page_paths)
    dash_index = {prefix, prefix + "<path:path>"}

    @server.before_request
    def unknown_page() -> Response | None:
        if request.endpoint not in dash_index or request.method != "GET":
            return None
        if page_path(request.path) in known:
            return None
        log.info("404 %s: no page has this path", request.path[:200])
        return Response(index(), status=404, mimetype=HTML)

    @server.route(prefix + "favicon.ico")
    def favicon() -> Any:
        """Browsers ask for /favicon.ico whatever the page says: Dash's icon, not a 404."""
        return redirect(prefix + "_favicon.ico", 301)

    @server.errorhandler(404)
    def not_found(_exc: Exception) -> Response:
        return Response(not_found_html(request.path, prefix), status=404, mimetype=HTML)
