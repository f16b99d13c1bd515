"""The one choropleth builder of the home map and the wall's maps: a layer with its geometry
and no values yet, the colour scales, and the changes that colour a layer (sent as a
dash.Patch after the first draw; no change ever touches `geojson`). Three kinds of scale:
the metric's fixed scale (`fixed_range`: the same on the home map and the wall, with
labelled ends), categories named in words on the colour bar (`category_changes`: better /
similar / worse than the parent), and a diverging scale centred on zero for the change
between two periods (`change_changes`).

Units without data are drawn grey: their z is set just below the colour range, and the
colour scale starts with a grey band labelled "Không có dữ liệu" (or the metric's own words,
e.g. "Chưa có điểm") on the colour bar (plotly does not draw a location whose z is missing
at all). The metric says how to colour (`kind`: rate, count or points; `higher_is_better`);
a page's `ChoroplethStyle` says with which colours and how the colour bar looks (the home
page: light, viridis for rates and points, blues for counts; the wall: dark, viridis,
large ticks).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from dossier_stats.ranking import ScaleLike, no_data_text
from layouts.common.figures import MapChanges, nice_ticks
from vi_format import format_int, format_number

COLORBAR_TITLES = {"rate": "%", "count": "Hồ sơ", "points": "Điểm"}
FIXED_RANGES: dict[str, tuple[float, float]] = {"on_time_rate": (80.0, 100.0)}
# viridis without its darkest tenth, dark → bright: the fixed scale of rates and index points
# on the home map and the wall (colour-blind safe; the better end bright)
VIRIDIS = ["#482475", "#414487", "#355f8d", "#2a788e", "#21918c", "#22a884", "#44bf70", "#7ad151", "#fde725"]
END_GAP = 0.08  # a round tick closer than this (share of the range) to a labelled end is dropped


@dataclass(frozen=True)
class ChoroplethStyle:
    palette: Callable[[ScaleLike], list[str]]  # the colours, low values first
    no_data_color: str
    no_data_gap: float  # height of the grey band, relative to the colour range
    tick_count: int
    colorbar: Mapping[str, Any]  # placement and look of the colour bar
    colorbar_title: Mapping[str, Any] = field(default_factory=dict)  # e.g. its font


@dataclass(frozen=True)
class ColourScale:
    colorscale: list[list[Any]]
    zmin: float
    zmax: float
    no_data_z: float
    colorbar: dict[str, Any]
    low: float = 0.0  # the scale's low end (zmin is below it when a grey band is drawn)


def round_up(value: float) -> float:
    """The round number (1, 2, 2.5 or 5 × 10^k) at or above `value` (1 for nothing)."""
    if value <= 0:
        return 1.0
    magnitude = 10 ** math.floor(math.log10(value))
    return next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= value - 1e-9)


def fixed_range(metric: ScaleLike, values: Sequence[float] = ()) -> tuple[float, float]:
    """The metric's fixed scale ("Thang cố định"), the same on the home map and the wall:
    the on-time rate 80–100 % (lower values get the low end's colour), other rates 0–100 %,
    index points 0 to the most a unit can get (0–100), counts from 0 to the round number
    above the highest value shown."""
    key = getattr(metric, "key", None)
    if key in FIXED_RANGES:
        return FIXED_RANGES[key]
    if metric.kind == "rate":
        return 0.0, 100.0
    top = getattr(metric, "max_value", None) if metric.kind == "points" else None
    return 0.0, float(top) if top else round_up(max(values, default=0.0))


def tick_text(metric: ScaleLike, value: float) -> str:
    if metric.kind == "rate":
        return f"{format_number(value, 0 if float(value).is_integer() else 1)}%"
    return format_int(round(value)) if float(value).is_integer() else format_number(value, 1)


def colorbar_title(metric: Any) -> str:
    """The legend's title: the unit of the values, and the rule set that produced them (766)."""
    title = COLORBAR_TITLES.get(metric.kind, "")
    note = getattr(metric, "rule_note", None)
    return f"{title}<br><sub>{note.replace(', ', '<br>')}</sub>" if note else title


def end_ticks(metric: ScaleLike, lo: float, hi: float, count: int, clipped: bool) -> list[tuple[float, str]]:
    """Round ticks with both ends labelled; a clipped low end reads "≤ 80%"."""
    span = hi - lo
    inner = nice_ticks(lo, hi, count=count, min_step=1.0 if metric.kind == "count" else 0.0)
    inner = [t for t in inner if min(t - lo, hi - t) > span * END_GAP]
    low = ("≤ " if clipped else "") + tick_text(metric, lo)
    return [(lo, low), *((t, tick_text(metric, t)) for t in inner), (hi, tick_text(metric, hi))]


def colour_scale(metric: ScaleLike, values: Sequence[float | None], style: ChoroplethStyle) -> ColourScale:
    """The metric's fixed scale (`fixed_range`) with labelled ends; a grey band below it when
    some units have no data."""
    present = [v for v in values if v is not None]
    lo, hi = fixed_range(metric, present)
    colours = style.palette(metric)
    n = len(colours) - 1
    ticks = end_ticks(metric, lo, hi, style.tick_count, lo > 0 and any(v < lo for v in present))
    tickvals: list[float] = [v for v, _ in ticks]
    ticktext = [t for _, t in ticks]
    if len(present) < len(values):
        gap = (hi - lo) * style.no_data_gap
        zmin = lo - gap
        edge = gap / (hi - zmin)
        scale: list[list[Any]] = [[0.0, style.no_data_color], [edge, style.no_data_color]]
        scale += [[edge + (1 - edge) * i / n, c] for i, c in enumerate(colours)]
        tickvals.insert(0, zmin + gap / 2)
        ticktext.insert(0, no_data_text(metric))
    else:
        zmin = lo
        scale = [[i / n, c] for i, c in enumerate(colours)]
    colorbar = {
        "title": {"text": colorbar_title(metric), "side": "top", **style.colorbar_title},
        "tickmode": "array",
        "tickvals": tickvals,
        "ticktext": ticktext,
        **style.colorbar,
    }
    return ColourScale(colorscale=scale, zmin=zmin, zmax=hi, no_data_z=zmin, colorbar=colorbar, low=lo)


def choropleth_layer(
    name: str, geojson: Mapping[str, Any], style: ChoroplethStyle, **look: Any
) -> dict[str, Any]:
    """A layer with its geometry and no values yet (grey until its first changes)."""
    return {
        "type": "choropleth",
        "name": name,
        "geojson": geojson,
        "featureidkey": "id",
        "locations": [],
        "z": [],
        "customdata": [],
        "colorscale": [[0, style.no_data_color], [1, style.no_data_color]],
        "showscale": False,
        **look,
    }


def geo_layout(**look: Any) -> dict[str, Any]:
    """The map's frame: no base map (the layers are the map), fitted to the drawn locations."""
    return {"visible": False, "fitbounds": "locations", "projection": {"type": "mercator"}, **look}


def colour_changes(
    trace: int,
    codes: Sequence[str],
    values: Sequence[float | None],
    metric: ScaleLike,
    style: ChoroplethStyle,
) -> MapChanges:
    """Locations, values and colours of one layer (units without a value drawn grey)."""
    scale = colour_scale(metric, values, style)
    lo, hi = scale.low, scale.zmax  # values beyond the fixed scale take its end's colour
    return {
        ("data", trace, "locations"): list(codes),
        ("data", trace, "z"): [
            scale.no_data_z if v is None else round(min(max(v, lo), hi), 4) for v in values
        ],
        ("data", trace, "colorscale"): scale.colorscale,
        ("data", trace, "zmin"): scale.zmin,
        ("data", trace, "zmax"): scale.zmax,
        ("data", trace, "colorbar"): scale.colorbar,
        ("data", trace, "showscale"): True,
    }


def category_changes(
    trace: int,
    codes: Sequence[str],
    categories: Sequence[int],
    colours: Sequence[str],
    labels: Sequence[str],
    title: str,
    style: ChoroplethStyle,
) -> MapChanges:
    """Colours by category (index into `colours`), each named in words on the colour bar."""
    n = len(colours)
    scale: list[list[Any]] = []
    for i, colour in enumerate(colours):
        scale += [[i / n, colour], [(i + 1) / n, colour]]
    colorbar = {
        "title": {"text": title, "side": "top", **style.colorbar_title},
        "tickmode": "array",
        "tickvals": [i + 0.5 for i in range(n)],
        "ticktext": list(labels),
        **style.colorbar,
    }
    return {
        ("data", trace, "locations"): list(codes),
        ("data", trace, "z"): [c + 0.5 for c in categories],
        ("data", trace, "colorscale"): scale,
        ("data", trace, "zmin"): 0.0,
        ("data", trace, "zmax"): float(n),
        ("data", trace, "colorbar"): colorbar,
        ("data", trace, "showscale"): True,
    }


# orange (worse) → near white (no change) → blue (better): colour-blind safe
DIVERGING = ["#b35806", "#e08214", "#fdb863", "#f7f7f7", "#92c5de", "#4393c3", "#2166ac"]
CHANGE_UNITS = {"rate": "điểm %", "count": "%", "points": "điểm"}


def signed(value: float) -> str:
    text = format_number(abs(value), 0 if float(value).is_integer() else 1)
    return "0" if value == 0 else f"{'+' if value > 0 else '−'}{text}"


def change_changes(
    trace: int,
    codes: Sequence[str],
    changes: Sequence[float | None],
    metric: ScaleLike,
    style: ChoroplethStyle,
) -> MapChanges:
    """The change between two periods on a diverging scale centred on zero, symmetric to the
    largest change shown; the better direction blue (the metric's polarity), units without a
    change grey. Percentage points for rates, per cent for counts, points for indexes."""
    present = [abs(c) for c in changes if c is not None]
    top = round_up(max(present, default=0.0))
    colours = DIVERGING if metric.higher_is_better else list(reversed(DIVERGING))
    n = len(colours) - 1
    gap = 2 * top * style.no_data_gap
    zmin = -top - gap
    edge = gap / (top - zmin)
    scale: list[list[Any]] = [[0.0, style.no_data_color], [edge, style.no_data_color]]
    scale += [[edge + (1 - edge) * i / n, c] for i, c in enumerate(colours)]
    ticks = [-top, -top / 2, 0.0, top / 2, top]
    unit = CHANGE_UNITS.get(metric.kind, "")
    colorbar = {
        "title": {"text": f"Thay đổi ({unit})", "side": "top", **style.colorbar_title},
        "tickmode": "array",
        "tickvals": [zmin + gap / 2, *ticks],
        "ticktext": ["Không so sánh được", *(signed(t) for t in ticks)],
        **style.colorbar,
    }
    return {
        ("data", trace, "locations"): list(codes),
        ("data", trace, "z"): [zmin if c is None else round(min(max(c, -top), top), 4) for c in changes],
        ("data", trace, "colorscale"): scale,
        ("data", trace, "zmin"): zmin,
        ("data", trace, "zmax"): top,
        ("data", trace, "colorbar"): colorbar,
        ("data", trace, "showscale"): True,
    }
