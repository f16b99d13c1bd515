"""Figures of the wall: dark maps coloured with viridis on each metric's fixed scale, the
same as the home map's "Thang cố định" (colour-blind safe, brighter = better)
and the 12-month trend, with every text sized from the screen height.

Plotly sizes text in pixels, so the builders take the screen height the browser reported
(`screen_h`, CSS pixels) and no text is smaller than 1/50 of it. A map's geometry is sent
once (`wall_map_figure`); a data change sends only `map_changes` as a Patch, with a constant
`uirevision`, so the map never re-zooms.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping, Sequence
from typing import Any

from dossier_stats.ranking import MetricLike, ScaleLike, UnitKpisLike, metric_value
from layouts.common.choropleth import VIRIDIS, ChoroplethStyle, choropleth_layer, colour_changes, geo_layout
from layouts.common.figures import FONT_FAMILY, MapChanges, nice_ticks
from layouts.common.map_inset import (
    WHOLE_DOMAIN,
    InsetTraces,
    inset_geo,
    inset_label,
    inset_traces,
    split_inset,
)
from layouts.common.trend import CountBars, RateLine, trend_chart
from vi_format import format_int, format_number
from wall.summary import TrendSeries

BG = "#0b1220"
INK = "#f3f4f6"
MUTED = "#c7ced9"
GRID = "#2b3445"
OUTLINE = "#0b1220"
NO_DATA = "#59606c"
NO_DATA_MARK = "#e5e7eb"  # the cross on a unit "chưa có dữ liệu" (no agency or no dossier)
# the city's map: its layer, the no-data crosses, the inset of the detached units and its crosses
CITY_TRACES = InsetTraces(0, 1, 2, 3)
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


def viridis(metric: ScaleLike) -> list[str]:
    """The good end bright, whatever the metric."""
    return VIRIDIS if metric.higher_is_better else list(reversed(VIRIDIS))


def wall_style(screen_h: int | None) -> ChoroplethStyle:
    """The wall's maps: viridis on a dark ground, a tall colour bar on the left with large ticks."""
    size = text_px(screen_h)
    return ChoroplethStyle(
        palette=viridis,
        no_data_color=NO_DATA,
        no_data_gap=0.14,
        tick_count=4,
        colorbar={
            "tickfont": {"size": size, "color": INK},
            "thickness": round(size * 1.3),
            "len": 0.9,
            "x": 0.0,
            "xanchor": "left",
            "y": 0.5,
            "outlinewidth": 0,
            "bgcolor": "rgba(0,0,0,0)",
        },
        colorbar_title={"font": {"size": size}},
    )


def wall_map_figure(geojson: Mapping[str, Any], name: str, screen_h: int | None) -> dict[str, Any]:
    """One choropleth layer with its geometry, no values yet, dark and without controls."""
    line_width = max(1.0, round((screen_h or REFERENCE_HEIGHT) / 900, 1))
    layer = choropleth_layer(
        name,
        geojson,
        wall_style(screen_h),
        hoverinfo="skip",
        marker={"line": {"color": OUTLINE, "width": line_width}},
    )
    return {
        "data": [layer],
        "layout": {
            "geo": geo_layout(bgcolor="rgba(0,0,0,0)"),
            "separators": ",.",
            "font": {"family": FONT_FAMILY, "size": text_px(screen_h), "color": INK},
            "margin": {"l": 0, "r": 0, "t": 0, "b": 0},
            "paper_bgcolor": BG,
            "plot_bgcolor": BG,
            "dragmode": False,
            "hovermode": False,
            "uirevision": "wall",
        },
    }


def map_changes(
    units: Sequence[UnitKpisLike],
    metric: MetricLike,
    screen_h: int | None,
    with_data: Collection[str] | None = None,
) -> MapChanges:
    """Values and colours of the map's layer for these units (a Patch on data change); with
    `with_data`, the others have no value (drawn "chưa có dữ liệu", not as a zero)."""
    values = [
        metric_value(metric, u.kpis) if with_data is None or u.code in with_data else None for u in units
    ]
    return colour_changes(0, [u.code for u in units], values, metric, wall_style(screen_h))


def city_map_changes(
    units: Sequence[UnitKpisLike],
    metric: MetricLike,
    screen_h: int | None,
    with_data: Collection[str],
    no_data_points: Sequence[tuple[str, tuple[float, float]]],
    detached: Collection[str],
) -> MapChanges:
    """The city's map: every unit, crosses on those without data, the detached units (Đặc
    khu Hoàng Sa) in the inset so the main map fits the mainland (layouts/common/map_inset.py)."""
    return split_inset(map_changes(units, metric, screen_h, with_data), CITY_TRACES, detached, no_data_points)


def no_data_marks(screen_h: int | None) -> dict[str, Any]:
    """Crosses on the units without data, light on the dark ground, sized from the screen."""
    size = text_px(screen_h)
    return {
        "type": "scattergeo",
        "name": "Chưa có dữ liệu",
        "lon": [],
        "lat": [],
        "mode": "markers",
        "marker": {
            "symbol": "x-thin-open",
            "size": round(size * 0.6),
            "color": NO_DATA_MARK,
            "line": {"width": 2},
        },
        "hoverinfo": "skip",
        "showlegend": False,
    }


def wall_city_figure(
    geojson: Mapping[str, Any], detached: Collection[str], screen_h: int | None
) -> dict[str, Any]:
    """The city's map: one layer of all its units, the no-data crosses and the inset."""
    figure = wall_map_figure(geojson, "Xã", screen_h)
    look = {"hoverinfo": "skip", "marker": figure["data"][0]["marker"]}
    figure["data"] += [no_data_marks(screen_h)]
    figure["data"] += inset_traces(geojson, detached, wall_style(screen_h), look, no_data_marks(screen_h))
    label = inset_label(geojson, detached, {"size": text_px(screen_h), "color": MUTED})
    figure["layout"]["geo"]["domain"] = WHOLE_DOMAIN
    figure["layout"]["geo2"] = inset_geo(bgcolor="rgba(255,255,255,0.04)", framecolor=GRID)
    figure["layout"]["annotations"] = [label]
    return figure


# ---------------------------------------------------------------- trend


def trend_layout(series: TrendSeries, screen_h: int | None) -> dict[str, Any]:
    """Dark, static, text sized from the screen; the bars fill the lower half of the left axis,
    the rate axis on the right is shifted so its line runs above them."""
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
        "font": {"family": FONT_FAMILY, "size": size, "color": INK},
        "paper_bgcolor": BG,
        "plot_bgcolor": BG,
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
            "font": axis_font,
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
            "range": [rate_floor - (100 - rate_floor) * 1.15, 100 + (100 - rate_floor) * 0.15],  # line above
            "tickmode": "array",
            "tickvals": rate_ticks,
            "ticktext": [f"{format_number(v, 0)}%" for v in rate_ticks],
            "showgrid": False,
            "zeroline": False,
        },
        "dragmode": False,
        "hovermode": False,
        "uirevision": "wall",
    }


def trend_figure(series: TrendSeries, screen_h: int | None) -> dict[str, Any]:
    """Bars of received and resolved dossiers per month, the on-time rate as a line on its own axis."""
    size = text_px(screen_h)
    rate = RateLine(
        "Tỷ lệ đúng hạn (%)",
        series.on_time_pct,
        YELLOW,
        width=max(3, size // 5),
        marker_size=round(size * 0.7),
        labels=[None if r is None else format_number(r, 1) for r in series.on_time_pct],
        label_size=size,
    )
    bars = [
        CountBars("Tiếp nhận mới", series.received, SKY),
        CountBars("Đã giải quyết", series.resolved, ORANGE),
    ]
    return trend_chart(series.labels, [*bars, rate], stacked=False, layout=trend_layout(series, screen_h))


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
