"""The wall display's callbacks: the screen size, and the refresh that fills its scenes.

Refresh: the browser reports its screen size once (a clientside callback; again on resize),
which fills every scene in full (figures with geometry, text sized for that screen). Then a
dcc.Interval polls: one query of the data version. Same version and period: nothing is
rebuilt and nothing but a timestamp goes back. New version (or the calendar moved to a new
period): the scenes are rebuilt from the StatsService (cached per version) and sent as
patches — values only, the maps keep their geometry and zoom. Database unreachable: the
last data stay and a badge says since when; the next good poll removes it.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import datetime
from typing import Any

from dash import ALL, ClientsideFunction, Dash, Input, Output, State, ctx, html, no_update
from dash.exceptions import PreventUpdate
from sqlalchemy.exc import SQLAlchemyError

from callbacks.common import auth
from callbacks.common.services import Services
from dossier_stats.cache import StoreFactory, VersionedCache, local_store
from dossier_stats.metrics import METRICS
from dossier_stats.periods import Period
from geodata.display import detached_codes, display_geojson, display_points
from layouts.common.figures import to_patch
from layouts.wall.ids import WallIds, part
from layouts.wall.scenes import data_time_label, period_label, scene_contents, scene_figure
from wall.data import WallData, read_wall_data
from wall.playlist import (
    Playlist,
    resolve_period,
)
from wall.scores import Provider, index766_column, par_column, score_columns_for
from wall.warnings import read_warning_data

log = logging.getLogger(__name__)
SCREEN_JS = ClientsideFunction(namespace="wall", function_name="screen")
BADGE = "wall-badge"
BADGE_ON = "wall-badge on"
CACHE_SIZE = 4


class WallCache:
    """WallData per (data version, period), the last few only (shared by every wall)."""

    def __init__(self, size: int = CACHE_SIZE, stores: StoreFactory = local_store) -> None:
        self._cache = VersionedCache(size, stores("wall", size))

    def get(self, services: Services, version: int, period: Period, edition: str = "") -> WallData:
        """`edition`: a stored edition's id, "" for the period's own."""
        # A running period is counted to today: a new day is new data (the as-of rule).
        key = (period.key, services.stats.as_of(period).day, edition)
        return self._cache.get(
            version,
            key,
            lambda: with_warnings(
                services,
                with_city_geometry(services, read_wall_data(services.stats, period, edition or None)),
            ),
        )


def with_city_geometry(services: Services, data: WallData) -> WallData:
    """The city's points for the "chưa có dữ liệu" crosses and its detached units (drawn in
    the inset), from the edition's boundary files; the data unchanged outside the city."""
    boundary = None if data.city is None else services.boundary_edition(data.city.id)
    if data.city is None or boundary is None:
        return data
    points = display_points(boundary.folder, "commune", boundary.files)
    missing = tuple((code, points[code]) for code in sorted(points) if code not in data.city.with_data)
    detached = detached_codes(boundary.folder, "commune", boundary.files)
    return replace(data, city=replace(data.city, no_data_points=missing, detached=detached))


def with_warnings(services: Services, data: WallData) -> WallData:
    """The wall's data with the early-warning figures (counted on today); without them when
    they cannot be read (a failure there never stops the wall: the scene says so)."""
    try:
        warnings = read_warning_data(services.lists, services.analysis, services.settings.today())
    except (LookupError, ValueError) as exc:
        log.warning("wall: early-warning figures not readable (%s)", exc)
        return data
    return replace(data, warnings=warnings)


def unknown_edition(services: Services, edition: str) -> str | None:
    """A message when the playlist asks for an edition that is not stored."""
    if not edition or edition in {e.id for e in services.stats.editions()}:
        return None
    return f"Không có phiên bản bản đồ “{edition[:40]}” — đang hiển thị bản đồ của kỳ báo cáo."


def _clock(moment: datetime) -> str:
    return moment.strftime("%H:%M")


def offline_badge(state: dict[str, Any]) -> str:
    """ "mất kết nối dữ liệu — số liệu lúc hh:mm": hh:mm is the last check that reached the data."""
    since = state.get("checked_at")
    return f"mất kết nối dữ liệu — số liệu lúc {since}" if since else "mất kết nối dữ liệu — chưa có số liệu"


def unchanged() -> tuple:
    """no_update for the six data outputs of the refresh (a list per wildcard output)."""
    return (no_update, no_update, no_update, *([no_update] * len(ctx.outputs_list[i]) for i in (6, 7, 8)))


def readable_providers(services: Services) -> tuple[Provider, ...]:
    """The ranking's extra columns; the PAR column with the rows the wall's reader may see
    (a kiosk reads as a leader; an anonymous wall, final results only)."""

    def par_readable(services: Any, period: Any, level: str) -> Any:
        return par_column(services, period, level, lambda r: auth.may_see_row(services.settings, r))

    return (index766_column, par_readable)


def scene_outputs(
    services: Services, data: WallData, playlist: Playlist, screen_h: int | None, full: bool
) -> tuple[list[Any], list[Any], list[Any]]:
    """Titles, panels and figures of the page's scenes (in the order of the wildcard outputs):
    whole figures for a first fill, patches of values otherwise."""
    contents = scene_contents(
        playlist.scenes,
        data,
        METRICS[playlist.metric],
        screen_h=screen_h,
        score_columns=score_columns_for(services, data.period, readable_providers(services)),
        attention_size=playlist.attention_size,
        attention_min_resolved=playlist.attention_min_resolved,
    )

    def scenes_of(index: int) -> list[str]:
        return [o["id"]["scene"] for o in ctx.outputs_list[index]]

    def geojson(level: str) -> Any:
        boundary = services.boundary_edition(data.city.id) if level == "city" and data.city else None
        if boundary is not None:  # the city's units
            return display_geojson(boundary.folder, "commune", boundary.files)
        return display_geojson(services.geodata_dir, level)  # type: ignore[arg-type]

    figures = [
        scene_figure(s, contents[s], data, screen_h, geojson) if full else to_patch(contents[s].changes)
        for s in scenes_of(8)
    ]
    return [contents[s].title for s in scenes_of(6)], [contents[s].panel for s in scenes_of(7)], figures


def register(app: Dash, services: Services) -> None:
    cache = WallCache(stores=services.stores)
    app.clientside_callback(SCREEN_JS, Output(WallIds.SCREEN, "data"), Input(WallIds.CONFIG, "data"))

    @app.callback(
        Output(WallIds.STATE, "data"),
        Output(WallIds.BADGE, "children"),
        Output(WallIds.BADGE, "className"),
        Output(WallIds.DATA_TIME, "children"),
        Output(WallIds.PERIOD, "children"),
        Output(WallIds.NOTICE, "children"),
        Output(part(WallIds.TITLE, ALL), "children"),
        Output(part(WallIds.PANEL, ALL), "children"),
        Output(part(WallIds.GRAPH, ALL), "figure"),
        Input(WallIds.SCREEN, "data"),
        Input(WallIds.POLL, "n_intervals"),
        State(WallIds.CONFIG, "data"),
        State(WallIds.STATE, "data"),
        prevent_initial_call=True,
    )
    def refresh(screen: Any, _n: Any, config: Any, state: Any) -> tuple:
        if not screen or not config:
            raise PreventUpdate
        playlist = Playlist.from_store(config["playlist"])
        screen_h = int(screen.get("h") or 0) or None
        state = state or {}
        full = ctx.triggered_id == WallIds.SCREEN or not state.get("filled")
        try:
            version = services.stats.data_version()  # the one query of an unchanged poll
            first = services.stats.first_data_date() if playlist.period else None
            period, period_msg = resolve_period(playlist, services.settings.today(), first)
            key = [version, period.key, services.stats.as_of(period).day.isoformat(), playlist.edition]
            same = not full and state.get("key") == key
            data = (
                None if same else cache.get(services, version, period, playlist.edition)
            )  # None: no rebuild
            edition_msg = unknown_edition(services, playlist.edition) if full else None
        except SQLAlchemyError as exc:
            log.warning("wall: database unreachable (%s)", exc.__class__.__name__)
            return ({**state, "ok": False}, offline_badge(state), BADGE_ON, *unchanged())
        fresh = {"key": key, "ok": True, "checked_at": _clock(services.settings.now()), "filled": True}
        if data is None:
            return (fresh, "", BADGE, *unchanged())
        shown = None if data.city is None else data.city.id
        fresh["edition"] = shown
        full = full or state.get("edition", shown) != shown  # another map: whole figures
        notes = [m for m in (period_msg, edition_msg) if m]
        messages = [*config.get("messages", []), *notes]
        return (
            fresh,
            "",
            BADGE,
            data_time_label(data),
            period_label(data),
            [html.P(m) for m in messages] if full else no_update,
            *scene_outputs(services, data, playlist, screen_h, full),
        )
