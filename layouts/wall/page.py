"""The wall page (/wall, /?kiosk=1): full screen, no controls, one scene at a time.

Every scene of the playlist is in the page once, stacked; assets/wall.js shows one after
the other (a class change, nothing added to the page) and handles the keyboard (← → step,
space pauses, P saves a PNG of the scene). The scenes start empty: as soon as the browser
has reported its screen size, the wall's callback fills them (text sized from it), then
a poll of the data version refreshes them in place when the data change.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from dash import dcc, html

from layouts.common.frame import APP_TITLE
from layouts.common.plotly_locale import vietnamese
from layouts.common.urls import app_path
from layouts.wall.ids import WallIds, part
from wall.playlist import SCENES, Playlist

WALL_TITLE = APP_TITLE
GRAPH_SCENES = frozenset({"map", "communes", "trend"})
SIDE_SCENES = frozenset({"map", "communes"})  # a panel beside the graph; trend's panel is above


def graph_config(topojson_url: str) -> dict[str, Any]:
    """A static plot: no mode bar, no hover, no zoom; local topojson and Vietnamese locale."""
    return {
        "staticPlot": True,
        "displayModeBar": False,
        "responsive": True,
        "topojsonURL": topojson_url,
        **vietnamese(),
    }


def scene_section(scene: str, topojson_url: str) -> html.Section:
    body: list[Any] = []
    if scene in GRAPH_SCENES:
        graph = dcc.Graph(
            id=part(WallIds.GRAPH, scene),
            figure={
                "data": [],
                "layout": {"paper_bgcolor": "rgba(0,0,0,0)", "plot_bgcolor": "rgba(0,0,0,0)"},
            },
            config=graph_config(topojson_url),
            className="wall-graph",
        )
        panel = html.Div(id=part(WallIds.PANEL, scene), className=f"wall-panel wall-panel-{scene}")
        body = [graph, panel] if scene in SIDE_SCENES else [panel, graph]
    else:
        body = [html.Div(id=part(WallIds.PANEL, scene), className=f"wall-panel wall-panel-{scene}")]
    return html.Section(
        [
            html.H2(SCENES[scene], id=part(WallIds.TITLE, scene), className="wall-scene-title"),
            html.Div(body, className=f"wall-scene-body wall-body-{scene}"),
        ],
        id=part(WallIds.SCENE, scene),
        className="wall-scene",
        **{"data-scene": scene},
    )


def wall_layout(playlist: Playlist, messages: Sequence[str], topojson_url: str) -> html.Div:
    """The whole wall for a playlist; `messages` say which URL values were not used."""
    header = html.Header(
        [
            html.Div(
                [
                    html.Span(WALL_TITLE, className="wall-brand"),
                    html.Span(id=WallIds.PERIOD, className="wall-period"),
                ],
                className="wall-top-left",
            ),
            html.Div(
                [
                    html.Span(id=WallIds.BADGE, className="wall-badge", role="status"),
                    html.Span(id=WallIds.DATA_TIME, className="wall-data-time"),
                ],
                className="wall-top-right",
            ),
        ],
        className="wall-top",
    )
    footer = html.Footer(
        [
            html.Div(
                [html.Span(className="wall-dot", **{"data-scene": s}) for s in playlist.scenes],
                className="wall-dots",
            ),
            html.Span("", className="wall-paused", **{"aria-live": "polite"}),
            html.Div(html.Div(className="wall-progress-bar"), className="wall-progress"),
        ],
        className="wall-foot",
    )
    return html.Div(
        [
            dcc.Store(id=WallIds.CONFIG, data={"playlist": playlist.to_store(), "messages": list(messages)}),
            dcc.Store(id=WallIds.STATE, data=None),
            dcc.Store(id=WallIds.SCREEN, data=None),
            dcc.Interval(id=WallIds.POLL, interval=playlist.poll * 1000),
            header,
            html.Main(
                [scene_section(s, topojson_url) for s in playlist.scenes],
                id=WallIds.STAGE,
                className="wall-stage",
            ),
            html.Div(
                [html.P(m) for m in messages], id=WallIds.NOTICE, className="wall-notice", role="status"
            ),
            footer,
        ],
        id=WallIds.ROOT,
        className="wall",
        **{
            "data-seconds": str(playlist.seconds),
            "data-reload-at": playlist.reload_at,
            "data-health-url": app_path("/wall/health"),  # under URL_PREFIX
            "data-scenes": ",".join(playlist.scenes),
        },
    )


def wall_skeleton(topojson_url: str) -> html.Div:
    """Every fixed-id component of the wall, every scene included (for Dash's callback validation)."""
    playlist = Playlist(tuple(SCENES), 20, "on_time_rate", "month", None, 20, "")
    return wall_layout(playlist, [], topojson_url)


def wall_unavailable_layout(problem: str, retry_seconds: int = 30) -> html.Div:
    """The wall when it cannot start (no data yet, bad playlist file): it says why, in large
    type, and reloads itself (assets/wall.js) until it can."""
    return html.Div(
        [
            html.Header(
                html.Div(html.Span(WALL_TITLE, className="wall-brand"), className="wall-top-left"),
                className="wall-top",
            ),
            html.Div(
                [
                    html.P("Chưa hiển thị được màn hình trình chiếu.", className="wall-problem-title"),
                    html.P(problem, className="wall-problem"),
                    html.P(f"Tự thử lại sau {retry_seconds} giây.", className="wall-problem"),
                ],
                className="wall-problem-box",
                role="alert",
            ),
        ],
        id=WallIds.ROOT,
        className="wall wall-unavailable",
        **{"data-retry": str(retry_seconds)},
    )
