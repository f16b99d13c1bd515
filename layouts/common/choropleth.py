"""The one choropleth builder of the home map and the wall's maps: a layer with its geometry
and no values yet, the colour scale fitted to the values shown, and the changes that colour
a layer (sent as a dash.Patch after the first draw; no change ever touches `geojson`).

Units without data are drawn grey: their z is set just below the colour range, and the
colour scale starts with a grey band labelled "Không có dữ liệu" (or the metric's own words,
e.g. "Chưa có điểm") on the colour bar (plotly does not draw a location whose z is missing
at all). The metric says how to colour (`kind`: rate, count or points; `higher_is_better`);
a page's `ChoroplethStyle` says with which colours and how the colour bar looks (the home
page: light, red → green; the wall: dark, viridis, large ticks).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from dossier_stats.ranking import ScaleLike, no_data_text
from layouts.common.figures import MapChanges, nice_ticks
from vi_format import format_int, format_number

COLORBAR_TITLES = {"rate": "%", "count": "Hồ sơ", "points": "Điểm"}


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


def tick_text(metric: ScaleLike, value: float) -> str:
    if metric.kind == "rate":
        return f"{format_number(value, 0 if float(value).is_integer() else 1)}%"
    return format_int(round(value)) if float(value).is_integer() else format_number(value, 1)


def colorbar_title(metric: Any) -> str:
    """The legend's title: the unit of the values, and the rule set that produced them (766)."""
    title = COLORBAR_TITLES.get(metric.kind, "")
    note = getattr(metric, "rule_note", None)
    return f"{title}<br><sub>{note.replace(', ', '<br>')}</sub>" if note else title


def colour_scale(metric: ScaleLike, values: Sequence[float | None], style: ChoroplethStyle) -> ColourScale:
    """Colour range fitted to the values shown; a grey band below it when some have no data."""
    present = [v for v in values if v is not None]
    lo, hi = _range(present, metric)
    colours = style.palette(metric)
    n = len(colours) - 1
    ticks = nice_ticks(lo, hi, count=style.tick_count, min_step=1.0 if metric.kind == "count" else 0.0)
    tickvals: list[float] = list(ticks)
    ticktext = [tick_text(metric, v) for v in ticks]
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
    return ColourScale(colorscale=scale, zmin=zmin, zmax=hi, no_data_z=zmin, colorbar=colorbar)


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
    return {
        ("data", trace, "locations"): list(codes),
        ("data", trace, "z"): [scale.no_data_z if v is None else round(v, 4) for v in values],
        ("data", trace, "colorscale"): scale.colorscale,
        ("data", trace, "zmin"): scale.zmin,
        ("data", trace, "zmax"): scale.zmax,
        ("data", trace, "colorbar"): scale.colorbar,
        ("data", trace, "showscale"): True,
    }
