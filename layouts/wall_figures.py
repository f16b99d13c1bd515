"""Figures of the wall: dark maps coloured with viridis (colour-blind safe, brighter = better)
and the 12-month trend, with every text sized from the screen height.

Plotly sizes text in pixels, so the builders take the screen height the browser reported
(`screen_h`, CSS pixels) and no text is smaller than 1/50 of it. A map's geometry is sent
once (`wall_map_figure`); a data change sends only `map_changes` as a Patch, with a constant
`uirevision`, so the map never re-zooms.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from dossier_stats.ranking import NO_DATA_TEXT, MetricLike, UnitKpisLike, format_metric_value, metric_value
from layouts.map_figure import FONT_FAMILY, MapChanges, nice_ticks
from vi_format import format_int, format_number
from wall.summary import TrendSeries

BG = "#0b1220"
INK = "#f3f4f6"
MUTED = "#c7ced9"
GRID = "#2b3445"
OUTLINE = "#0b1220"
NO_DATA = "#59606c"
# viridis without its darkest tenth (too close to the dark background), dark → bright
VIRIDIS = ["#482475", "#414487", "#355f8d", "#2a788e", "#21918c", "#22a884", "#44bf70", "#7ad151", "#fde725"]
# Okabe–Ito, for categories
SKY, ORANGE, YELLOW, GREEN = "#56b4e9", "#e69f00", "#f0e442", "#009e73"
TEXT_RATIO = 0.024  # body text = 2.4 % of the screen height (the floor is 2 %)
MIN_RATIO = 0.0205
REFERENCE_HEIGHT = 1080
BAR_HEADROOM = 1.9  # the bars fill about half the height, the on-time line runs above them


def text_px(screen_h: int | None, scale: float = 1.0) -> int:
    """Font size in CSS pixels for a screen of that height: never below 1/50 of it."""
    height = screen_h or REFERENCE_HEIGHT
    return max(round(height * TEXT_RATIO * scale), int(height * MIN_RATIO) + 1)


# ---------------------------------------------------------------- maps


def wall_map_figure(geojson: Mapping[str, Any], name: str, screen_h: int | None) -> dict[str, Any]:
    """One choropleth layer with its geometry, no values yet, dark and without controls."""
    size = text_px(screen_h)
    return {
        "data": [
            {
                "type": "choropleth",
                "name": name,
                "geojson": geojson,
                "featureidkey": "id",
                "locations": [],
                "z": [],
                "customdata": [],
                "hoverinfo": "skip",
                "colorscale": [[0, NO_DATA], [1, NO_DATA]],
                "showscale": False,
                "marker": {
                    "line": {
                        "color": OUTLINE,
                        "width": max(1.0, round((screen_h or REFERENCE_HEIGHT) / 900, 1)),
                    }
                },
            }
        ],
        "layout": {
            "geo": {
                "visible": False,
                "fitbounds": "locations",
                "projection": {"type": "mercator"},
                "bgcolor": "rgba(0,0,0,0)",
            },
            "separators": ",.",
            "font": {"family": FONT_FAMILY, "size": size, "color": INK},
            "margin": {"l": 0, "r": 0, "t": 0, "b": 0},
            "paper_bgcolor": BG,
            "plot_bgcolor": BG,
            "dragmode": False,
            "hovermode": False,
            "uirevision": "wall",
        },
    }


def wall_colour_scale(
    metric: MetricLike, values: Sequence[float | None], screen_h: int | None
) -> dict[str, Any]:
    """colorscale, zmin, zmax, no-data z and a colour bar with large ticks; the good end bright."""
    present = [v for v in values if v is not None]
    lo, hi = (min(present), max(present)) if present else (0.0, 1.0)
    if hi - lo < 1e-9:
        pad = 5.0 if metric.kind == "rate" else max(1.0, abs(hi) * 0.1)
        lo, hi = max(0.0, lo - pad), hi + pad
        if metric.kind == "rate":
            hi = min(100.0, hi)
    colours = VIRIDIS if metric.higher_is_better else list(reversed(VIRIDIS))
    n = len(colours) - 1
    ticks = nice_ticks(lo, hi, count=4, min_step=0.0 if metric.kind == "rate" else 1.0)
    tickvals: list[float] = list(ticks)
    ticktext = [
        format_metric_value(metric, v)
        if metric.kind != "rate"
        else f"{format_number(v, 0 if float(v).is_integer() else 1)}%"
        for v in ticks
    ]
    if len(present) < len(values):
        gap = (hi - lo) * 0.14
        zmin = lo - gap
        edge = gap / (hi - zmin)
        scale: list[list[Any]] = [[0.0, NO_DATA], [edge, NO_DATA]]
        scale += [[edge + (1 - edge) * i / n, c] for i, c in enumerate(colours)]
        tickvals.insert(0, zmin + gap / 2)
        ticktext.insert(0, NO_DATA_TEXT)
    else:
        zmin = lo
        scale = [[i / n, c] for i, c in enumerate(colours)]
    size = text_px(screen_h)
    colorbar = {
        "title": {"text": "%" if metric.kind == "rate" else "Hồ sơ", "side": "top", "font": {"size": size}},
        "tickmode": "array",
        "tickvals": tickvals,
        "ticktext": ticktext,
        "tickfont": {"size": size, "color": INK},
        "thickness": round(size * 1.3),
        "len": 0.9,
        "x": 0.0,
        "xanchor": "left",
        "y": 0.5,
        "outlinewidth": 0,
        "bgcolor": "rgba(0,0,0,0)",
    }
    return {"colorscale": scale, "zmin": zmin, "zmax": hi, "no_data_z": zmin, "colorbar": colorbar}


def map_changes(units: Sequence[UnitKpisLike], metric: MetricLike, screen_h: int | None) -> MapChanges:
    """Values and colours of the map's layer for these units (a Patch on data change)."""
    values = [metric_value(metric, u.kpis) for u in units]
    scale = wall_colour_scale(metric, values, screen_h)
    return {
        ("data", 0, "locations"): [u.code for u in units],
        ("data", 0, "z"): [scale["no_data_z"] if v is None else round(v, 4) for v in values],
        ("data", 0, "colorscale"): scale["colorscale"],
        ("data", 0, "zmin"): scale["zmin"],
        ("data", 0, "zmax"): scale["zmax"],
        ("data", 0, "colorbar"): scale["colorbar"],
        ("data", 0, "showscale"): True,
    }


# ---------------------------------------------------------------- trend


def trend_figure(series: TrendSeries, screen_h: int | None) -> dict[str, Any]:
    """Bars of received and resolved dossiers per month, the on-time rate as a line on its own axis."""
    size = text_px(screen_h)
    rates = [r for r in series.on_time_pct if r is not None]
    low = min(rates) if rates else 0.0
    rate_floor = max(0.0, math.floor(min(low - 6.0, 90.0) / 5) * 5)
    rate_ticks = nice_ticks(rate_floor, 100.0, count=4, min_step=1.0)
    counts = [*series.received, *series.resolved]
    top = max(counts) if counts else 1
    count_ticks = nice_ticks(0, top, count=4, min_step=1.0)
    axis_font = {"size": size, "color": INK}
    return {
        "data": [
            {
                "type": "bar",
                "name": "Tiếp nhận mới",
                "x": series.labels,
                "y": series.received,
                "marker": {"color": SKY},
                "hoverinfo": "skip",
            },
            {
                "type": "bar",
                "name": "Đã giải quyết",
                "x": series.labels,
                "y": series.resolved,
                "marker": {"color": ORANGE},
                "hoverinfo": "skip",
            },
            {
                "type": "scatter",
                "mode": "lines+markers+text",
                "name": "Tỷ lệ đúng hạn (%)",
                "x": series.labels,
                "y": series.on_time_pct,
                "yaxis": "y2",
                "text": [None if r is None else format_number(r, 1) for r in series.on_time_pct],
                "textposition": "top center",
                "textfont": {"size": size, "color": YELLOW},
                "line": {"color": YELLOW, "width": max(3, size // 5)},
                "marker": {"size": round(size * 0.7), "color": YELLOW},
                "cliponaxis": False,
                "hoverinfo": "skip",
            },
        ],
        "layout": {
            "separators": ",.",
            "font": {"family": FONT_FAMILY, "size": size, "color": INK},
            "paper_bgcolor": BG,
            "plot_bgcolor": BG,
            "barmode": "group",
            "bargap": 0.25,
            "margin": {
                "l": round(size * 4),
                "r": round(size * 4),
                "t": round(size * 3.2),
                "b": round(size * 2.5),
            },
            "legend": {
                "orientation": "h",
                "x": 0,
                "y": 1.02,
                "xanchor": "left",
                "yanchor": "bottom",
                "font": {"size": size, "color": INK},
            },
            "xaxis": {"tickfont": axis_font, "showgrid": False, "linecolor": GRID, "type": "category"},
            "yaxis": {
                "title": {"text": "Hồ sơ", "font": axis_font},
                "tickfont": axis_font,
                "gridcolor": GRID,
                "zeroline": False,
                "range": [0, top * BAR_HEADROOM],  # bars in the lower part
                "tickmode": "array",
                "tickvals": count_ticks,
                "ticktext": [format_int(round(v)) for v in count_ticks],
            },
            "yaxis2": {
                "tickfont": {"size": size, "color": YELLOW},
                "overlaying": "y",
                "side": "right",
                "range": [
                    rate_floor - (100 - rate_floor) * 1.15,
                    100 + (100 - rate_floor) * 0.15,
                ],  # line above
                "tickmode": "array",
                "tickvals": rate_ticks,
                "ticktext": [f"{format_number(v, 0)}%" for v in rate_ticks],
                "showgrid": False,
                "zeroline": False,
            },
            "dragmode": False,
            "hovermode": False,
            "uirevision": "wall",
        },
    }


def trend_changes(series: TrendSeries, screen_h: int | None) -> MapChanges:
    """The trend's values as changes (a Patch): the same paths as the figure's data and ranges."""
    figure = trend_figure(series, screen_h)
    changes: MapChanges = {}
    for i, trace in enumerate(figure["data"]):
        for key in ("x", "y", "text"):
            if key in trace:
                changes[("data", i, key)] = trace[key]
    for axis in ("yaxis", "yaxis2"):
        for key in ("range", "tickvals", "ticktext"):
            changes[("layout", axis, key)] = figure["layout"][axis][key]
    return changes
