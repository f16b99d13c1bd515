"""What a page is to the app: the routes that open it, the function that builds it, the
skeleton of its components for Dash's callback validation, and the registration of its
callbacks (and of its plain HTTP routes, if it has any). app_pages.py lists every page once.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from dash import Dash, html
from flask import Flask

from callbacks.common.services import Services
from layouts.common.urls import parse_query

Component = Any  # a Dash component


@dataclass(frozen=True)
class PageRequest:
    """What a page's layout function is given when the router opens it."""

    services: Services
    topojson_url: str  # where plotly's topojson is served (assets/topojson/)
    search: str | None = None  # the URL's query string ("?unit=502…")

    @property
    def query(self) -> dict[str, str]:
        return parse_query(self.search)


@dataclass(frozen=True)
class Route:
    """A path that opens a page; with `query`, only when the URL carries those values
    (`Route("/", {"kiosk": "1"})`: /?kiosk=1)."""

    path: str
    query: Mapping[str, str] = field(default_factory=dict)

    def matches(self, path: str, query: Mapping[str, str]) -> bool:
        return path == self.path and all(query.get(k) == v for k, v in self.query.items())


ServerRoutes = Callable[[Flask, Services], None]  # adds plain HTTP routes (`@server.route`)


def no_skeleton(_topojson_url: str) -> Component:
    """A page drawn whole on each visit has no callback: nothing to validate."""
    return html.Div()


def no_callbacks(_app: Dash, _services: Services) -> None:
    """A page drawn whole on each visit (the audit trail, the officials' statistics)."""


@dataclass(frozen=True)
class Page:
    name: str
    routes: tuple[Route, ...]
    layout: Callable[[PageRequest], Component]  # the page, built on each visit
    skeleton: Callable[[str], Component] = no_skeleton  # topojson URL -> every fixed-id component
    register: Callable[[Dash, Services], None] = no_callbacks  # the page's callbacks
    server_routes: ServerRoutes | None = None  # the page's plain HTTP routes (files, health)
    account_corner: bool = True  # who is logged in, over the top bar (not on the wall)
    # built into the app's first answer (/_dash-layout, for the URL the browser opened)
    # instead of by the router's extra round trip after it (app.initial_layout)
    in_first_answer: bool = False


def find_page(pages: Sequence[Page], path: str, query: Mapping[str, str]) -> Page | None:
    """The page a URL opens: among the routes that match, the one asking most of the query
    wins (/?kiosk=1 is the wall, / the map); None when no page has the path."""
    matches = [(len(r.query), i, p) for i, p in enumerate(pages) for r in p.routes if r.matches(path, query)]
    if not matches:
        return None
    most = max(m[0] for m in matches)
    return next(p for n, _, p in matches if n == most)
