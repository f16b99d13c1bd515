"""What every figure shares: the font, round tick values, and figure changes — property paths
and their values — applied to a figure for a first draw or sent as a dash.Patch afterwards,
so a figure's geometry and layout go to the browser once."""

from __future__ import annotations

import copy
import math
from collections.abc import Mapping
from typing import Any

from dash import Patch

FONT_FAMILY = (
    'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Liberation Sans", '
    '"DejaVu Sans", Arial, sans-serif'
)

Path = tuple[str | int, ...]
MapChanges = dict[Path, Any]  # ("data", 0, "z") -> [..]: what a view or new data change in a figure


def nice_ticks(lo: float, hi: float, count: int = 5, min_step: float = 0.0) -> list[float]:
    """Round tick values (steps of 1, 2, 2.5 or 5 × 10^k, at least min_step) inside [lo, hi]."""
    span = hi - lo
    if span <= 0:
        return [lo]
    raw = max(span / count, min_step)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    first = math.ceil(lo / step - 1e-9) * step
    ticks: list[float] = []
    value = first
    while value <= hi + step * 1e-9:
        ticks.append(round(value, 10))
        value += step
    return ticks


def apply_changes(figure: Mapping[str, Any], changes: MapChanges) -> dict[str, Any]:
    """A copy of the figure with the changes applied (the first page load); geojson is shared, not copied."""
    out: dict[str, Any] = {
        "data": [
            {k: v if k == "geojson" else copy.deepcopy(v) for k, v in t.items()} for t in figure["data"]
        ],
        "layout": copy.deepcopy(figure["layout"]),
    }
    for path, value in changes.items():
        node: Any = out
        for key in path[:-1]:
            node = node.setdefault(key, {}) if isinstance(node, dict) else node[key]
        node[path[-1]] = value
    return out


def to_patch(changes: MapChanges) -> Patch:
    """The same changes as a dash.Patch for a callback output."""
    patch = Patch()
    for path, value in changes.items():
        node = patch
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value
    return patch
