"""The home page's map: one figure with two geometry layers, updated by small patches.

Geometry goes to the browser once: `base_figure` carries the district layer (trace 0) and
the commune layer (trace 1), each with its simplified GeoJSON. What a view shows is a set
of property changes (`MapChanges`: path -> value) — which locations, their values, hover
texts, colour scale, outline of the selected commune, title — applied to the base figure
for the first page load and sent as a `dash.Patch` afterwards (layouts.common.figures).
The layers and their colours come from the one choropleth builder
(layouts.common.choropleth), in the home page's look (`HOME_STYLE`).

A layer is drawn from map units (layouts.home.map_metrics.MapUnit: code, name, value, hover),
whatever the metric's family. The dossier-KPI values come from dossier_stats.ranking
(`metric_value`); `hover_text` writes the Biểu 06 figures as the hover text.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Any, Literal, Protocol

from dossier_stats.ranking import NO_DATA_TEXT, KpisLike, ScaleLike, has_data
from layouts.common.choropleth import (
    VIRIDIS,
    ChoroplethStyle,
    category_changes,
    change_changes,
    choropleth_layer,
    colour_changes,
    geo_layout,
)
from layouts.common.figures import FONT_FAMILY, MapChanges
from layouts.common.map_inset import WHOLE_DOMAIN, InsetTraces, inset_geo, inset_label, inset_traces
from layouts.home.colour_modes import (
    JUDGEMENT_COLOURS,
    JUDGEMENT_LABELS,
    judged,
    judgement_category,
    judgement_title,
)
from vi_format import format_int, format_percent

DISTRICT_TRACE = 0
# The communes: a district's in the edition with districts, all of them at once in the city
# edition (with editions the layer holds the city's 94 units, a superset of Quảng Nam's 78).
COMMUNE_TRACE = 1
NO_DATA_TRACE = 2  # with editions: a mark on each unit "chưa có dữ liệu" (no agency, or no dossier)
# with editions: the city's detached units (Đặc khu Hoàng Sa) in an inset, and their marks
INSET_TRACE, INSET_MARKS_TRACE = 3, 4
HOME_INSET = InsetTraces(COMMUNE_TRACE, NO_DATA_TRACE, INSET_TRACE, INSET_MARKS_TRACE)
TRACE_LEVELS: dict[int, Literal["district", "commune"]] = {
    DISTRICT_TRACE: "district",
    COMMUNE_TRACE: "commune",
    INSET_TRACE: "commune",  # the city's detached units (Đặc khu Hoàng Sa), layouts/common/map_inset.py
}
NO_DATA_LABEL = "Chưa có dữ liệu"
NO_DATA_MARK = "#6b7280"

NO_DATA_COLOR = "#d3d7dc"
OUTLINE_COLOR = "#ffffff"
SELECTED_COLOR = "#111827"
OUTLINE_WIDTH = 0.8
SELECTED_WIDTH = 3.5
NEUTRAL = ["#d6e6f5", "#a3c8e8", "#6baed6", "#2f7fc1", "#0b4a8b"]  # light → dark blue


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


# ---------------------------------------------------------------- colours


def palette(metric: ScaleLike) -> list[str]:
    """Rates and points: viridis, the better end bright (as on the wall); counts: one neutral
    blue scale, darker = more, whichever way is better."""
    if metric.kind in ("rate", "points"):
        return VIRIDIS if metric.higher_is_better else list(reversed(VIRIDIS))
    return NEUTRAL


HOME_STYLE = ChoroplethStyle(
    palette=palette,
    no_data_color=NO_DATA_COLOR,
    no_data_gap=0.12,
    tick_count=5,
    colorbar={"thickness": 14, "len": 0.75, "x": 1.0, "xanchor": "left", "outlinewidth": 0},
)


# ---------------------------------------------------------------- figure and changes


def no_data_layer() -> dict[str, Any]:
    """Crosses on the units that have no data at all (drawn grey beneath): not a zero."""
    return {
        "type": "scattergeo",
        "name": NO_DATA_LABEL,
        "lon": [],
        "lat": [],
        "mode": "markers",
        "marker": {"symbol": "x-thin-open", "size": 9, "color": NO_DATA_MARK, "line": {"width": 1.5}},
        "hoverinfo": "skip",
        "showlegend": True,
    }


LAYER_LOOK = {
    "hovertemplate": "%{customdata[0]}<extra></extra>",
    "marker": {"line": {"color": OUTLINE_COLOR, "width": OUTLINE_WIDTH}},
}


def base_figure(
    district_geojson: Mapping[str, Any],
    commune_geojson: Mapping[str, Any],
    with_no_data: bool = False,
    detached: Collection[str] = (),
) -> dict[str, Any]:
    """The figure sent on page load: both geometry layers (and, with editions, the no-data
    marks and the inset of the `detached` communes, layouts/common/map_inset.py), no values
    yet (see `map_changes`)."""
    data = [
        choropleth_layer("Huyện", district_geojson, HOME_STYLE, **LAYER_LOOK),
        choropleth_layer("Xã", commune_geojson, HOME_STYLE, **LAYER_LOOK),
    ]
    insets: dict[str, Any] = {}
    if with_no_data:
        data.append(no_data_layer())
        data += inset_traces(commune_geojson, detached, HOME_STYLE, LAYER_LOOK, no_data_layer())
        label = inset_label(commune_geojson, detached, {"size": 12, "color": "#52606d"})
        insets = {"geo2": inset_geo(), "annotations": [label]}
    return {
        "data": data,
        "layout": {
            **insets,
            "geo": geo_layout(
                scope="world",
                resolution=110,
                bgcolor="rgba(0,0,0,0)",
                **({"domain": WHOLE_DOMAIN} if insets else {}),
            ),
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
            "showlegend": with_no_data,
            "legend": {"x": 0.01, "y": 0.01, "bgcolor": "rgba(255,255,255,0.8)", "font": {"size": 12}},
            "clickmode": "event",
            "dragmode": "pan",
            "uirevision": "province",
        },
    }


def map_title(metric_label: str, period_label: str) -> str:
    """Figure title: what is shown and for which period."""
    return f"{metric_label} — {period_label}"


def colours(
    trace: int, units: Sequence[MapUnitLike], metric: ScaleLike, mode: str, parent_name: str, compared: bool
) -> MapChanges:
    """The layer's colours: the change between two periods (`compared`), the judgement
    against the parent (a dossier rate in "So với toàn tỉnh"), else the fixed scale."""
    codes = [u.code for u in units]
    if compared:
        return change_changes(trace, codes, [getattr(u, "change", None) for u in units], metric, HOME_STYLE)
    if judged(metric, mode):
        categories = [judgement_category(u) for u in units]
        title = judgement_title(parent_name)
        return category_changes(
            trace, codes, categories, JUDGEMENT_COLOURS, JUDGEMENT_LABELS, title, HOME_STYLE
        )
    return colour_changes(trace, codes, [u.value for u in units], metric, HOME_STYLE)


def layer_changes(
    trace: int,
    units: Sequence[MapUnitLike],
    metric: ScaleLike,
    selected: str | None = None,
    *,
    mode: str = "fixed",
    parent_name: str = "toàn tỉnh",
    compared: bool = False,
) -> MapChanges:
    """Locations, values, hover texts and colours of one layer for the given units.

    The selected unit (if any) gets a thick dark outline and is drawn last so its outline
    is not hidden under its neighbours.
    """
    ordered = sorted(units, key=lambda u: u.code == selected)
    selected_flags = [u.code == selected for u in ordered]
    return {
        **colours(trace, ordered, metric, mode, parent_name, compared),
        ("data", trace, "customdata"): [[u.hover] for u in ordered],
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
    level: Literal["province", "district", "city"],
    units: Sequence[MapUnitLike],
    metric: ScaleLike,
    title: str,
    subtitle: str = "",
    selected: str | None = None,
    view_key: str = "province",
    with_city: bool = False,
    no_data: Sequence[tuple[float, float]] = (),
    mode: str = "fixed",
    parent_name: str = "toàn tỉnh",
    compared: bool = False,
) -> MapChanges:
    """Everything a view changes in the figure. Province: districts coloured, no communes;
    district: that district's communes coloured, no districts (so the map fits them); city
    (an edition without districts): all its communes at once, no districts. With editions
    (`with_city`: the figure has the no-data layer) crosses mark the units without data
    (`no_data`: their points; none outside the city view). The colours follow `mode`
    (layouts.home.colour_modes) or, `compared`, the units' change."""
    active, idle = (DISTRICT_TRACE, COMMUNE_TRACE) if level == "province" else (COMMUNE_TRACE, DISTRICT_TRACE)
    changes = layer_changes(
        active, units, metric, selected, mode=mode, parent_name=parent_name, compared=compared
    )
    changes.update(empty_layer_changes(idle))
    if with_city:
        changes[("data", NO_DATA_TRACE, "lon")] = [p[0] for p in no_data]
        changes[("data", NO_DATA_TRACE, "lat")] = [p[1] for p in no_data]
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


SUBTITLE = ("layout", "title", "subtitle", "text")


def data_only(changes: MapChanges) -> MapChanges:
    """What new data changes in an unchanged view: values, colours and hover texts of the
    layers (the same units stay where they are; title and outlines do not move), the
    no-data marks of the city view (a unit may have received its first data), and the
    subtitle with the data time."""
    marks = any(path[0] == "data" and path[-1] == "lon" and value for path, value in changes.items())
    keys = VALUE_KEYS | {"customdata"} | ({"lon", "lat"} if marks else set())
    return {
        path: value
        for path, value in changes.items()
        if (path[0] == "data" and path[-1] in keys) or path == SUBTITLE
    }


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
