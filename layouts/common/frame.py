"""What the pages' frames share: the app's title, the brand of the top bar, and the page
for a path no page answers."""

from __future__ import annotations

from collections.abc import Sequence

from dash import dcc, html

from layouts.common.urls import app_path

APP_TITLE = "Bản đồ thể chế"


def brand(subtitle: str | None = None) -> html.Div:
    """The app's title (and the page's subtitle) at the left of the top bar."""
    if subtitle is None:
        return html.Div(html.H1(APP_TITLE), className="brand")
    return html.Div([html.H1(APP_TITLE), html.Span(subtitle, className="subtitle")], className="brand")


def nav_header(subtitle: str, nav: Sequence[tuple[str, str]], current: str) -> html.Header:
    """The top bar of a page family: the brand, then links to its pages (`nav`: path, label);
    the page at `current` is shown as text."""
    links = [
        html.Span(label, className="scoring-nav-link current")
        if path == current
        else dcc.Link(label, href=app_path(path), className="scoring-nav-link")
        for path, label in nav
    ]
    return html.Header(
        [brand(subtitle), html.Nav(links, className="scoring-nav", **{"aria-label": "Các trang"})],
        className="topbar",
    )


def not_found_layout(path: str) -> html.Div:
    """ "Không có trang …" with a link back to the map."""
    return html.Div(
        [
            html.Header(brand(), className="topbar"),
            html.Div(
                [html.P(f"Không có trang {path[:80]}."), dcc.Link("Về bản đồ", href=app_path("/"))],
                className="message",
                role="alert",
            ),
        ],
        className="app",
    )
