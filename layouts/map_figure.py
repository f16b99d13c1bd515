"""The choropleth map: one figure with two geometry layers, updated by small patches.

Geometry goes to the browser once: `base_figure` carries the district layer (trace 0) and
the commune layer (trace 1), each with its simplified GeoJSON. What a view shows is a set
of property changes (`MapChanges`: path -> value) — which locations, their values, hover
texts, colour scale, outline of the selected commune, title — applied to the base figure
for the first page load (`apply_changes`) and sent as a `dash.Patch` afterwards
(`to_patch`). No change ever touches `geojson`.

Units without data are drawn grey: their z is set just below the colour range, and the
colour scale starts with a grey band labelled "Không có dữ liệu" (or the metric's own
words, e.g. "Chưa có điểm") on the colour bar (plotly does not draw a location whose z is
missing at all).

A layer is drawn from map units (layouts.map_metrics.MapUnit: code, name, value, hover),
whatever the metric's family; the metric says how to colour (`kind`: rate, count or
points; `higher_is_better`). The dossier-KPI values come from dossier_stats.ranking (`metric_value`);
`hover_text` writes the Biểu 06 figures as the hover text.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal, Protocol

from dash import Patch

from dossier_stats.ranking import NO_DATA_TEXT, KpisLike, ScaleLike, has_data, no_data_text
from vi_format import format_int, format_number, format_percent

DISTRICT_TRACE = 0
COMMUNE_TRACE = 1
TRACE_LEVELS: dict[int, Literal["district", "commune"]] = {
    DISTRICT_TRACE: "district",
    COMMUNE_TRACE: "commune",
}

NO_DATA_COLOR = "#d3d7dc"
OUTLINE_COLOR = "#ffffff"
SELECTED_COLOR = "#111827"
OUTLINE_WIDTH = 0.8
SELECTED_WIDTH = 3.5
FONT_FAMILY = (
    'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Liberation Sans", '
    '"DejaVu Sans", Arial, sans-serif'
)
GOOD_HIGH = ["#c0392b", "#e67e22", "#f4d03f", "#82c26e", "#1e8449"]  # red → green
BAD_HIGH = ["#fde3bd", "#fcb96d", "#f3843a", "#d4501c", "#8c2d04"]  # light → dark orange-red
NEUTRAL = ["#d6e6f5", "#a3c8e8", "#6baed6", "#2f7fc1", "#0b4a8b"]  # light → dark blue

Path = tuple[str | int, ...]
MapChanges = dict[Path, Any]


class MapUnitLike(Protocol):
    code: str
    name: str
    value: float | None
    hover: str


# ---------------------------------------------------------------- values and texts


def hover_text(name: str, kpis: KpisLike) -> str:
    """The hover label of a unit: its name and the Biểu 06 figures, in Vietnamese."""
    if not has_data(kpis):
        return f"<b>{name}</b><br>{NO_DATA_TEXT}"
    k = kpis
    return "<br>".join(
        [
            f"<b>{name}</b>",
            f"Tiếp nhận: <b>{format_int(k.received_total)}</b>"
            f" (trực tuyến {format_int(k.received_online)} · trực tiếp, bưu chính"
            f" {format_int(k.received_direct_postal)} · từ kỳ trước {format_int(k.carried_over)})",
            f"Đã giải quyết: <b>{format_int(k.resolved_total)}</b>"
            f" (trước hạn {format_int(k.resolved_early)} · đúng hạn {format_int(k.resolved_on_time)}"
            f" · quá hạn {format_int(k.resolved_late)})",
            f"Đang giải quyết: <b>{format_int(k.pending_total)}</b>"
            f" (trong hạn {format_int(k.pending_within)} · quá hạn {format_int(k.pending_overdue)})",
            f"Tỷ lệ đúng hạn: <b>{format_percent(k.on_time_rate)}</b>",
            f"Tỷ lệ trực tuyến: <b>{format_percent(k.online_share)}</b>",
        ]
    )


# ---------------------------------------------------------------- colour scale


@dataclass(frozen=True)
class ColourScale:
    colorscale: list[list[Any]]
    zmin: float
    zmax: float
    no_data_z: float
    colorbar: dict[str, Any]


def palette(metric: ScaleLike) -> list[str]:
    if metric.kind in ("rate", "points"):
        return GOOD_HIGH if metric.higher_is_better else list(reversed(GOOD_HIGH))
    return NEUTRAL if metric.higher_is_better else BAD_HIGH


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


def _ceiling(metric: ScaleLike) -> float | None:
    """The highest value the metric can take (100% for rates, the maximum points when known)."""
    if metric.kind == "rate":
        return 100.0
    return getattr(metric, "max_value", None) if metric.kind == "points" else None


def _range(values: Sequence[float], metric: ScaleLike) -> tuple[float, float]:
    ceiling = _ceiling(metric)
    if not values:
        return 0.0, ceiling or 1.0
    lo, hi = min(values), max(values)
    if hi - lo < 1e-9:
        pad = 5.0 if metric.kind == "rate" else max(1.0, abs(hi) * 0.1)
        lo, hi = max(0.0, lo - pad), hi + pad
        if ceiling is not None:
            hi = min(ceiling, hi)
    return lo, hi


COLORBAR_TITLES = {"rate": "%", "count": "Hồ sơ", "points": "Điểm"}


def colour_scale(metric: ScaleLike, values: Sequence[float | None]) -> ColourScale:
    """Colour range fitted to the values shown; a grey band below it when some have no data."""
    present = [v for v in values if v is not None]
    lo, hi = _range(present, metric)
    colours = palette(metric)
    n = len(colours) - 1
    ticks = nice_ticks(lo, hi, min_step=1.0 if metric.kind == "count" else 0.0)
    fmt = (
        (lambda v: f"{format_number(v, 0 if float(v).is_integer() else 1)}%")
        if metric.kind == "rate"
        else (lambda v: format_int(round(v)) if float(v).is_integer() else format_number(v, 1))
    )
    tickvals: list[float] = list(ticks)
    ticktext = [fmt(v) for v in ticks]
    missing = len(present) < len(values)
    if missing:
        gap = (hi - lo) * 0.12
        zmin = lo - gap
        edge = gap / (hi - zmin)
        scale: list[list[Any]] = [[0.0, NO_DATA_COLOR], [edge, NO_DATA_COLOR]]
        scale += [[edge + (1 - edge) * i / n, c] for i, c in enumerate(colours)]
        tickvals.insert(0, zmin + gap / 2)
        ticktext.insert(0, no_data_text(metric))
    else:
        zmin = lo
        scale = [[i / n, c] for i, c in enumerate(colours)]
    colorbar = {
        "title": {"text": COLORBAR_TITLES.get(metric.kind, ""), "side": "top"},
        "tickmode": "array",
        "tickvals": tickvals,
        "ticktext": ticktext,
        "thickness": 14,
        "len": 0.75,
        "x": 1.0,
        "xanchor": "left",
        "outlinewidth": 0,
    }
    return ColourScale(colorscale=scale, zmin=zmin, zmax=hi, no_data_z=zmin, colorbar=colorbar)


# ---------------------------------------------------------------- figure and changes


def base_figure(district_geojson: Mapping[str, Any], commune_geojson: Mapping[str, Any]) -> dict[str, Any]:
    """The figure sent on page load: both geometry layers, no values yet (see `apply_changes`)."""

    def layer(name: str, geojson: Mapping[str, Any]) -> dict[str, Any]:
        return {
            "type": "choropleth",
            "name": name,
            "geojson": geojson,
            "featureidkey": "id",
            "locations": [],
            "z": [],
            "customdata": [],
            "hovertemplate": "%{customdata[0]}<extra></extra>",
            "colorscale": [[0, NO_DATA_COLOR], [1, NO_DATA_COLOR]],
            "showscale": False,
            "marker": {"line": {"color": OUTLINE_COLOR, "width": OUTLINE_WIDTH}},
        }

    return {
        "data": [layer("Huyện", district_geojson), layer("Xã", commune_geojson)],
        "layout": {
            "geo": {
                "visible": False,
                "fitbounds": "locations",
                "projection": {"type": "mercator"},
                "scope": "world",
                "resolution": 110,
                "bgcolor": "rgba(0,0,0,0)",
            },
            "separators": ",.",
            "font": {"family": FONT_FAMILY, "size": 13, "color": "#1f2933"},
            "title": {
                "text": "",
                "subtitle": {"text": "", "font": {"size": 13, "color": "#52606d"}},
                "x": 0.01,
                "xanchor": "left",
                "y": 0.985,
                "yanchor": "top",
                "font": {"size": 17, "weight": 700},
            },
            "margin": {"l": 8, "r": 8, "t": 70, "b": 8},
            "paper_bgcolor": "#ffffff",
            "plot_bgcolor": "#ffffff",
            "hoverlabel": {
                "bgcolor": "#ffffff",
                "bordercolor": "#9aa5b1",
                "align": "left",
                "font": {"family": FONT_FAMILY, "size": 13, "color": "#1f2933"},
            },
            "clickmode": "event",
            "dragmode": "pan",
            "uirevision": "province",
        },
    }


def map_title(metric_label: str, period_label: str) -> str:
    """Figure title: what is shown and for which period."""
    return f"{metric_label} — {period_label}"


def layer_changes(
    trace: int, units: Sequence[MapUnitLike], metric: ScaleLike, selected: str | None = None
) -> MapChanges:
    """Locations, values, hover texts and colours of one layer for the given units.

    The selected unit (if any) gets a thick dark outline and is drawn last so its outline
    is not hidden under its neighbours.
    """
    ordered = sorted(units, key=lambda u: u.code == selected)
    values = [u.value for u in ordered]
    scale = colour_scale(metric, values)
    selected_flags = [u.code == selected for u in ordered]
    return {
        ("data", trace, "locations"): [u.code for u in ordered],
        ("data", trace, "z"): [scale.no_data_z if v is None else round(v, 4) for v in values],
        ("data", trace, "customdata"): [[u.hover] for u in ordered],
        ("data", trace, "colorscale"): scale.colorscale,
        ("data", trace, "zmin"): scale.zmin,
        ("data", trace, "zmax"): scale.zmax,
        ("data", trace, "colorbar"): scale.colorbar,
        ("data", trace, "showscale"): True,
        ("data", trace, "marker", "line", "width"): [
            SELECTED_WIDTH if s else OUTLINE_WIDTH for s in selected_flags
        ],
        ("data", trace, "marker", "line", "color"): [
            SELECTED_COLOR if s else OUTLINE_COLOR for s in selected_flags
        ],
    }


def empty_layer_changes(trace: int) -> MapChanges:
    return {
        ("data", trace, "locations"): [],
        ("data", trace, "z"): [],
        ("data", trace, "customdata"): [],
        ("data", trace, "showscale"): False,
        ("data", trace, "marker", "line", "width"): OUTLINE_WIDTH,
        ("data", trace, "marker", "line", "color"): OUTLINE_COLOR,
    }


def map_changes(
    *,
    level: Literal["province", "district"],
    units: Sequence[MapUnitLike],
    metric: ScaleLike,
    title: str,
    subtitle: str = "",
    selected: str | None = None,
    view_key: str = "province",
) -> MapChanges:
    """Everything a view changes in the figure. Province: districts coloured, no communes;
    district: that district's communes coloured, no districts (so the map fits them)."""
    active, idle = (DISTRICT_TRACE, COMMUNE_TRACE) if level == "province" else (COMMUNE_TRACE, DISTRICT_TRACE)
    changes = layer_changes(active, units, metric, selected)
    changes.update(empty_layer_changes(idle))
    changes[("layout", "title", "text")] = title
    changes[("layout", "title", "subtitle", "text")] = subtitle
    changes[("layout", "uirevision")] = view_key  # refit on drill-down, keep the user's zoom otherwise
    return changes


VALUE_KEYS = frozenset({"z", "zmin", "zmax", "colorscale", "colorbar"})


def values_only(changes: MapChanges, *, hover: bool = False) -> MapChanges:
    """The part of a view's changes that a metric change needs: values, colours and title
    (locations, outlines and subtitle stay as they are; hover texts only with `hover`, as
    metrics of one family share their hover text)."""
    keys = VALUE_KEYS | {"customdata"} if hover else VALUE_KEYS
    return {
        path: value
        for path, value in changes.items()
        if (path[0] == "data" and path[-1] in keys) or path == ("layout", "title", "text")
    }


def data_only(changes: MapChanges) -> MapChanges:
    """What new data changes in an unchanged view: values, colours and hover texts of the
    layers (the same units stay where they are; title and outlines do not move)."""
    return {
        path: value
        for path, value in changes.items()
        if path[0] == "data" and path[-1] in VALUE_KEYS | {"customdata"}
    }


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


def clicked_unit(click_data: Mapping[str, Any] | None) -> tuple[Literal["district", "commune"], str] | None:
    """(level, unit code) of a click on the map, or None when the click hit no unit."""
    points = (click_data or {}).get("points") or []
    if not points:
        return None
    point = points[0]
    level = TRACE_LEVELS.get(point.get("curveNumber", -1))
    location = point.get("location")
    if level is None or not isinstance(location, str) or not location:
        return None
    return level, location
