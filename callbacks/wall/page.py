"""The wall page for a visit (/wall, /?kiosk=1): the playlist file with the URL's overrides;
no database access here (the refresh callback fills the scenes)."""

from __future__ import annotations

import logging

from dash import html

from callbacks.common.pages import PageRequest
from callbacks.common.services import Services
from dossier_stats.metrics import METRICS
from layouts.wall.page import wall_layout, wall_unavailable_layout
from wall.playlist import DEFAULT_PLAYLIST, PlaylistError, apply_overrides, load_playlist

log = logging.getLogger(__name__)


def playlist_path(services: Services) -> str:
    return services.settings.extra.get("wall_playlist", str(DEFAULT_PLAYLIST))


def wall_page(request: PageRequest) -> html.Div:
    """The wall for a URL query (`?scenes=…&seconds=…`), or a page that says why it cannot start."""
    try:
        base = load_playlist(playlist_path(request.services), METRICS)
    except PlaylistError as exc:
        log.error("wall: %s", exc)
        return wall_unavailable_layout(str(exc))
    playlist, messages = apply_overrides(base, request.query, METRICS)
    return wall_layout(playlist, messages, request.topojson_url)
