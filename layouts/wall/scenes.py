"""What each scene of the wall shows, built from WallData (pure: plain data in, figures and
components out). `scene_contents` returns, per scene, its title, its panel's children and
its figure's values (`changes`, paths into the figure, sent as a dash.Patch when only the
data changed); `scene_figure` adds the geometry and layout for the first fill."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from dossier_stats.ranking import MetricLike, UnitKpisLike, format_metric_value, metric_value
from layouts.common.figures import MapChanges, apply_changes
from layouts.common.rankings import value_header
from layouts.wall.figures import (
    city_map_changes,
    map_changes,
    trend_changes,
    trend_figure,
    wall_city_figure,
    wall_map_figure,
)
from layouts.wall.panels import (
    attention_table,
    columns_of,
    coverage_note,
    map_side,
    ranking_table,
    trend_summary,
)
from layouts.wall.warning_panel import warning_panel
from vi_format import format_date, format_datetime
from wall.data import WallData
from wall.scores import ScoreColumn
from wall.summary import (
    attention_list,
    best_and_worst_changes,
    count_change_text,
    ranked_with_change,
    rate_change_text,
    trend_series,
)

COMMUNE_COLUMNS = 3


@dataclass(frozen=True)
class SceneContent:
    title: str
    panel: list[Any]
    changes: MapChanges = field(default_factory=dict)  # figure values; empty for table scenes


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def province_change(metric: MetricLike, data: WallData) -> str:
    now, before = metric.value(data.province), metric.value(data.province_before)
    if metric.kind == "rate":
        return rate_change_text(now, before)
    return "" if now is None or before is None else count_change_text(int(now), int(before))


@dataclass(frozen=True)
class SceneInputs:
    """What every scene is built from: the data, the metric and how the playlist sizes things."""

    data: WallData
    metric: MetricLike
    screen_h: int | None
    score_columns: Callable[[str], Sequence[ScoreColumn]]
    attention_size: int
    attention_min_resolved: int


# The map scenes: the title's place words, and the units drawn this period and the last.
MAP_SCENES: dict[str, tuple[str, Callable[[WallData], tuple[Sequence[Any], Sequence[Any]]]]] = {
    "map": ("huyện, thị xã, thành phố (trước 01/7/2025)", lambda d: (d.districts, d.districts_before)),
    "communes": ("xã, phường (từ 01/7/2025)", lambda d: (d.communes, d.communes_before)),
}


def _province_side(
    given: SceneInputs, units: Sequence[UnitKpisLike], before: Sequence[UnitKpisLike]
) -> list[Any]:
    """Beside a map: the province's (city's) figure and change, the 5 best and 5 worst of
    `units` (with their values of the previous period, `before`)."""
    data, metric = given.data, given.metric
    best, worst = best_and_worst_changes(units, before, metric)
    return map_side(
        scope_label=f"{data.whole} — {_lower_first(metric.label)}",
        value_text=format_metric_value(metric, metric_value(metric, data.province)),
        change=province_change(metric, data),
        previous_label=data.previous.label,
        best=best,
        worst=worst,
    )


def _city_map_scene(given: SceneInputs) -> SceneContent:
    """The city's map (an edition without districts, both map scenes): every unit, those
    without data crossed, the city's figure, the 5 best and 5 worst and the coverage note."""
    data, metric, city = given.data, given.metric, given.data.city
    assert city is not None
    panel = _province_side(given, data.communes, data.communes_before)
    changes = city_map_changes(
        city.units, metric, given.screen_h, city.with_data, city.no_data_points, city.detached
    )
    title = f"{metric.label} theo xã, phường, đặc khu — {data.province_name}"
    return SceneContent(title, [*panel, coverage_note(city.coverage_note)], changes)


def _map_scene(scene: str, given: SceneInputs) -> SceneContent:
    """The map's values, with the province's figure and the 5 best and 5 worst beside it."""
    data, metric = given.data, given.metric
    if data.city is not None:
        return _city_map_scene(given)
    places, level_of = MAP_SCENES[scene]
    units, before = level_of(data)
    panel = _province_side(given, units, before)
    return SceneContent(f"{metric.label} theo {places}", panel, map_changes(units, metric, given.screen_h))


def _ranking_scene(given: SceneInputs) -> SceneContent:
    """Departments and former districts side by side, with the score columns that exist."""
    data, metric = given.data, given.metric
    header = value_header(metric)
    departments = ranked_with_change(data.departments, data.departments_before, metric)
    districts = ranked_with_change(data.districts, data.districts_before, metric)
    tables = [("Sở, ban, ngành", departments, given.score_columns("department"))]
    if data.city is None:  # the city has no district level
        tables.append(("Huyện, thị xã, thành phố (cũ)", districts, given.score_columns("district")))
    panel = [
        ranking_table(title, rows, header, extra, show_overdue=len(extra) < 2)
        for title, rows, extra in tables
    ]
    return SceneContent(f"Xếp hạng theo {_lower_first(metric.label)}", panel)


def _commune_ranking_scene(given: SceneInputs) -> SceneContent:
    """Every commune in COMMUNE_COLUMNS columns, with room for one score beside the value."""
    data, metric = given.data, given.metric
    communes = ranked_with_change(data.communes, data.communes_before, metric)
    extra = list(given.score_columns("commune"))[:1]
    panel = [
        ranking_table("", column, value_header(metric), extra, show_overdue=False, class_name="compact")
        for column in columns_of(communes, COMMUNE_COLUMNS)
    ]
    if data.city is not None:
        title = f"Xếp hạng xã, phường, đặc khu — {data.province_name} — theo {_lower_first(metric.label)}"
        return SceneContent(title, [*panel, coverage_note(data.city.coverage_note)])
    return SceneContent(f"Xếp hạng xã, phường theo {_lower_first(metric.label)}", panel)


def _trend_scene(given: SceneInputs) -> SceneContent:
    """The province's last 12 months, the last month's figures above the chart."""
    data = given.data
    last_month, last = data.months[-1]
    panel = trend_summary(
        last_month.label, last.received_new, last.resolved_total, last.on_time_rate, last.pending_overdue
    )
    return SceneContent(
        f"{data.whole}: tiếp nhận, giải quyết và tỷ lệ đúng hạn 12 tháng đến {last_month.label.lower()}",
        panel,
        trend_changes(trend_series(data.months), given.screen_h),
    )


def _attention_scene(given: SceneInputs) -> SceneContent:
    """The departments and communes whose on-time rate fell most since the last period."""
    data = given.data
    rows = attention_list(
        data.attention_groups(),
        size=given.attention_size,
        min_resolved=given.attention_min_resolved,
    )
    panel = attention_table(rows, data.previous.label, data.period.label, given.attention_min_resolved)
    return SceneContent("Đơn vị cần chú ý: tỷ lệ giải quyết đúng hạn giảm nhiều nhất", panel)


def _warning_scene(given: SceneInputs) -> SceneContent:
    """Dossiers due within the next two working days; units worsening three months in a row."""
    return SceneContent("Cảnh báo sớm: hồ sơ sắp đến hạn", warning_panel(given.data.warnings))


SCENE_BUILDERS: dict[str, Callable[[SceneInputs], SceneContent]] = {
    "ranking": _ranking_scene,
    "commune_ranking": _commune_ranking_scene,
    "trend": _trend_scene,
    "attention": _attention_scene,
    "warning": _warning_scene,
}


def scene_contents(
    scenes: Sequence[str],
    data: WallData,
    metric: MetricLike,
    *,
    screen_h: int | None,
    score_columns: Callable[[str], Sequence[ScoreColumn]] = lambda _level: (),
    attention_size: int = 8,
    attention_min_resolved: int = 5,
) -> dict[str, SceneContent]:
    """Title, panel and figure values of every scene asked for."""
    given = SceneInputs(data, metric, screen_h, score_columns, attention_size, attention_min_resolved)
    out: dict[str, SceneContent] = {}
    for scene in scenes:
        if scene in MAP_SCENES:
            out[scene] = _map_scene(scene, given)
        elif scene in SCENE_BUILDERS:
            out[scene] = SCENE_BUILDERS[scene](given)
    return out


def scene_figure(
    scene: str,
    content: SceneContent,
    data: WallData,
    screen_h: int | None,
    geojson: Callable[[str], Mapping[str, Any]],
) -> dict[str, Any] | None:
    """The full figure of a graph scene (geometry, layout and values), None for table scenes;
    the map scenes of the city's edition draw its units (`geojson("city")`)."""
    if scene in MAP_SCENES and data.city is not None:
        figure = wall_city_figure(geojson("city"), data.city.detached, screen_h)
        return apply_changes(figure, content.changes)
    if scene == "map":
        return apply_changes(wall_map_figure(geojson("district"), "Huyện", screen_h), content.changes)
    if scene == "communes":
        return apply_changes(wall_map_figure(geojson("commune"), "Xã", screen_h), content.changes)
    if scene == "trend":
        return trend_figure(trend_series(data.months), screen_h)
    return None


def period_label(data: WallData) -> str:
    """ "Tỉnh Quảng Nam · Tháng 11/2026 · tính đến ngày 18/11/2026" (the as-of day only while
    the period runs)."""
    label = f"{data.province_name} · {data.period.label}"
    if data.as_of is not None and data.as_of < data.period.end:
        label += f" · tính đến ngày {format_date(data.as_of)}"
    return label


def data_time_label(data: WallData) -> str:
    """Header line: when the data last changed."""
    if data.data_time is None:
        return "Chưa có dữ liệu hồ sơ"
    return f"Số liệu cập nhật lúc {format_datetime(data.data_time)}"
