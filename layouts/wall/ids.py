"""Component ids of the wall display (/wall). Scene parts use pattern-matching ids
`{"type": WallIds.GRAPH, "scene": "map"}`, so a playlist without a scene has no component
for it and one callback fills whatever scenes the page has."""

from __future__ import annotations

from enum import StrEnum
from typing import Any


class WallIds(StrEnum):
    ROOT = "wall"
    CONFIG = "wall-config"  # the playlist in force (JSON)
    STATE = "wall-state"  # what the page shows: data version, period, last good check
    SCREEN = "wall-screen"  # the screen's size in CSS pixels, set by the browser
    POLL = "wall-poll"  # dcc.Interval: check the data version
    BADGE = "wall-badge"  # "mất kết nối dữ liệu — số liệu lúc hh:mm"
    DATA_TIME = "wall-data-time"
    PERIOD = "wall-period"
    NOTICE = "wall-notice"  # URL values that were not understood
    STAGE = "wall-stage"
    SCENE = "wall-scene"  # section per scene (pattern id)
    TITLE = "wall-title"  # H2 per scene (pattern id)
    GRAPH = "wall-graph"  # dcc.Graph of map / communes / trend (pattern id)
    PANEL = "wall-panel"  # html children per scene (pattern id)


def part(kind: WallIds, scene: str) -> dict[str, Any]:
    return {"type": str(kind), "scene": scene}
