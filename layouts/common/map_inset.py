"""The inset of a map whose units include some far from the others (Đặc khu Hoàng Sa, some
300 km out at sea from the city's coast): those are drawn in a small frame of their own, so
the main map fits the mainland units. The home map and the wall's city map share it.

Which units are detached comes from the geometry (geodata.display.detached_codes). The inset
is a second geo subplot (`geo2`) with two traces: the detached units' polygons (coloured on
the same scale as the layer they come from; on the home map clickable as communes) and their
"chưa có dữ liệu" crosses, with a label naming them. `split_inset` moves the detached units'
values out of a layer's changes into the inset's; the inset shows only when it has a unit.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from layouts.common.choropleth import choropleth_layer, geo_layout
from layouts.common.figures import MapChanges

INSET_DOMAIN = {"x": [0.8, 0.99], "y": [0.74, 0.99]}
# hidden, the inset keeps a speck of a corner: an empty geo still takes the pointer over its domain
HIDDEN_DOMAIN = {"x": [0.995, 1.0], "y": [0.995, 1.0]}
DOMAIN = ("layout", "geo2", "domain")
WHOLE_DOMAIN = {"x": [0, 1], "y": [0, 1]}  # with two geos the main one needs it said
PER_UNIT = ("locations", "z", "customdata", ("marker", "line", "width"), ("marker", "line", "color"))
SHARED = ("colorscale", "zmin", "zmax")
LABEL = ("layout", "annotations", 0, "visible")


@dataclass(frozen=True)
class InsetTraces:
    """Trace numbers: the layer and no-data marks of the main map, and the inset's two."""

    layer: int
    marks: int
    inset: int
    inset_marks: int


def inset_traces(
    geojson: Mapping[str, Any], codes: Collection[str], style: Any, look: Mapping[str, Any], marks: dict
) -> list[dict[str, Any]]:
    """The inset's polygon layer (only the detached units' features) and its no-data marks."""
    features = [f for f in geojson.get("features", []) if f.get("id") in codes]
    layer = choropleth_layer("Đặc khu", {"type": "FeatureCollection", "features": features}, style, **look)
    return [{**layer, "geo": "geo2"}, {**marks, "geo": "geo2", "showlegend": False}]


def inset_label(
    geojson: Mapping[str, Any], codes: Collection[str], font: Mapping[str, Any]
) -> dict[str, Any]:
    """The inset's label (the detached units' names), under its frame; hidden until shown."""
    names = [
        str(f.get("properties", {}).get("name", f.get("id")))
        for f in geojson.get("features", [])
        if f.get("id") in codes
    ]
    return {
        "text": ", ".join(names),
        "xref": "paper",
        "yref": "paper",
        "x": INSET_DOMAIN["x"][1],
        "y": INSET_DOMAIN["y"][0],
        "xanchor": "right",
        "yanchor": "top",
        "showarrow": False,
        "font": dict(font),
        "visible": False,
    }


# plotly's own base map under a geo frame: none in the inset (the layers are the map)
BASE_MAP_LAYERS = ("showland", "showcoastlines", "showcountries", "showocean", "showlakes", "showrivers")


def inset_geo(bgcolor: str = "rgba(241,245,249,0.9)", framecolor: str = "#9aa5b1") -> dict[str, Any]:
    """The inset's frame: hidden until a view shows it; a thin border when shown."""
    return geo_layout(
        domain=HIDDEN_DOMAIN,
        bgcolor=bgcolor,
        showframe=True,
        framecolor=framecolor,
        framewidth=1,
        **dict.fromkeys(BASE_MAP_LAYERS, False),
        visible=False,
    )


def _path(trace: int, key: str | tuple[str, ...]) -> tuple[Any, ...]:
    return ("data", trace, *((key,) if isinstance(key, str) else key))


def split_inset(
    changes: MapChanges,
    traces: InsetTraces,
    detached: Collection[str],
    no_data: Sequence[tuple[str, tuple[float, float]]],
) -> MapChanges:
    """The changes with the detached units moved from the layer to the inset (same colour
    scale, no colour bar) and their no-data marks to the inset's; the inset and its label
    shown when it has a unit. `no_data`: (code, point) of every unit without data."""
    out = dict(changes)
    codes = list(changes.get(_path(traces.layer, "locations"), []))
    keep = [i for i, c in enumerate(codes) if c not in detached]
    moved = [i for i, c in enumerate(codes) if c in detached]
    for key in PER_UNIT:
        values = changes.get(_path(traces.layer, key))
        if isinstance(values, list) and len(values) == len(codes):
            out[_path(traces.layer, key)] = [values[i] for i in keep]
            out[_path(traces.inset, key)] = [values[i] for i in moved]
    for key in SHARED:
        if _path(traces.layer, key) in changes:
            out[_path(traces.inset, key)] = changes[_path(traces.layer, key)]
    out[_path(traces.inset, "showscale")] = False
    main = [p for code, p in no_data if code not in detached]
    apart = [p for code, p in no_data if code in detached]
    out[_path(traces.marks, "lon")] = [p[0] for p in main]
    out[_path(traces.marks, "lat")] = [p[1] for p in main]
    out[_path(traces.inset_marks, "lon")] = [p[0] for p in apart]
    out[_path(traces.inset_marks, "lat")] = [p[1] for p in apart]
    shown = bool(moved or apart)
    out[("layout", "geo2", "visible")] = shown
    out[DOMAIN] = INSET_DOMAIN if shown else HIDDEN_DOMAIN
    out[LABEL] = shown
    return out


def empty_inset(traces: InsetTraces) -> MapChanges:
    """The inset hidden and empty (every view without detached units)."""
    return {
        _path(traces.inset, "locations"): [],
        _path(traces.inset, "z"): [],
        _path(traces.inset, "customdata"): [],
        _path(traces.inset_marks, "lon"): [],
        _path(traces.inset_marks, "lat"): [],
        ("layout", "geo2", "visible"): False,
        DOMAIN: HIDDEN_DOMAIN,
        LABEL: False,
    }
