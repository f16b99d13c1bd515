"""A URL's query string to and from plain values (every page reads its view from the URL),
and the app's own paths under its URL prefix (URL_PREFIX, behind a reverse proxy)."""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import parse_qs, urlencode

from flask import current_app, has_request_context

from layouts.common.payload import url_part

MAX_ECHO = 40  # longest piece of a URL value repeated in a message
PREFIX_CONFIG = "BANDO_URL_PREFIX"  # the Flask config key app.create_app sets (Settings.url_prefix)


def echo(value: str) -> str:
    """A value the URL gave, as a message repeats it: cut to MAX_ECHO characters with "…"."""
    return value if len(value) <= MAX_ECHO else value[: MAX_ECHO - 1] + "…"


def url_prefix() -> str:
    """The prefix the app is served under ("/", "/bando/"), for the request being answered
    (outside a request — a unit test of a layout —: "/")."""
    if not has_request_context():
        return "/"
    return current_app.config.get(PREFIX_CONFIG, "/")


def app_path(path: str) -> str:
    """ "/scorecard?unit=502" -> "/bando/scorecard?unit=502" under URL_PREFIX=/bando/ (a path of
    the app as its pages name it, always starting with "/", to the URL the browser must use)."""
    return url_prefix() + path.lstrip("/")


def page_path(pathname: str | None) -> str | None:
    """A browser's pathname to the app's own path: "/bando/wall/" -> "/wall" (prefix and
    trailing "/" away); None for a path outside the prefix (no page has it)."""
    path = url_part(pathname, "pathname") or "/"
    prefix = url_prefix()
    if prefix != "/":
        if not (path + "/").startswith(prefix):
            return None
        path = "/" + path[len(prefix) :]
    return path.rstrip("/") or "/"


def parse_query(search: str | None) -> dict[str, str]:
    """ "?unit=502&metric=x" -> {"unit": "502", "metric": "x"} (first value of each key, stripped)."""
    parsed = parse_qs(url_part(search, "search").lstrip("?"), keep_blank_values=True)
    return {key: values[0].strip() for key, values in parsed.items() if values}


def query_search(values: Mapping[str, str | int | None]) -> str:
    """ "?unit=502&year=2025" for dcc.Location.search (empty and None values left out)."""
    kept = {k: str(v) for k, v in values.items() if v is not None and v != ""}
    return "?" + urlencode(kept) if kept else ""
