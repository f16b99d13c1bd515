"""What each scene of the wall shows, built from WallData (pure: plain data in, figures and
components out). `scene_contents` returns, per scene, its title, its panel's children and
its figure's values (`changes`, paths into the figure, sent as a dash.Patch when only the
data changed); `scene_figure` adds the geometry and layout for the first fill."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from dossier_stats.ranking import MetricLike, format_metric_value, metric_value
from layouts.map_figure import MapChanges, apply_changes
from layouts.rankings import value_header
from layouts.wall_figures import map_changes, trend_changes, trend_figure, wall_map_figure
from layouts.wall_panels import attention_table, columns_of, map_side, ranking_table, trend_summary
from vi_format import format_datetime
from wall.data import WallData
from wall.scores import ScoreColumn
from wall.summary import (
    attention_list,
    best_and_worst,
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


def _map_scene(
    title: str,
    units: Sequence[Any],
    before: Sequence[Any],
    metric: MetricLike,
    data: WallData,
    screen_h: int | None,
) -> SceneContent:
    ranked = ranked_with_change(units, before, metric)
    best, worst = best_and_worst(ranked)
    panel = map_side(
        scope_label=f"Toàn tỉnh — {_lower_first(metric.label)}",
        value_text=format_metric_value(metric, metric_value(metric, data.province)),
        change=province_change(metric, data),
        previous_label=data.previous.label,
        best=best,
        worst=worst,
    )
    return SceneContent(title, panel, map_changes(units, metric, screen_h))


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
    period = data.period.label
    metric_name = _lower_first(metric.label)
    out: dict[str, SceneContent] = {}
    for scene in scenes:
        if scene == "map":
            out[scene] = _map_scene(
                f"{metric.label} theo huyện, thị xã, thành phố (trước 01/7/2025)",
                data.districts,
                data.districts_before,
                metric,
                data,
                screen_h,
            )
        elif scene == "communes":
            out[scene] = _map_scene(
                f"{metric.label} theo xã, phường (từ 01/7/2025)",
                data.communes,
                data.communes_before,
                metric,
                data,
                screen_h,
            )
        elif scene == "ranking":
            header = value_header(metric)
            departments = ranked_with_change(data.departments, data.departments_before, metric)
            districts = ranked_with_change(data.districts, data.districts_before, metric)
            panel = [
                ranking_table(title, rows, header, extra, show_overdue=len(extra) < 2)
                for title, rows, extra in (
                    ("Sở, ban, ngành", departments, score_columns("department")),
                    ("Huyện, thị xã, thành phố (cũ)", districts, score_columns("district")),
                )
            ]
            out[scene] = SceneContent(f"Xếp hạng theo {metric_name}", panel)
        elif scene == "commune_ranking":
            communes = ranked_with_change(data.communes, data.communes_before, metric)
            extra = list(score_columns("commune"))[:1]  # room for one score beside the value
            panel = [
                ranking_table(
                    "", column, value_header(metric), extra, show_overdue=False, class_name="compact"
                )
                for column in columns_of(communes, COMMUNE_COLUMNS)
            ]
            out[scene] = SceneContent(f"Xếp hạng xã, phường theo {metric_name}", panel)
        elif scene == "trend":
            series = trend_series(data.months)
            last_month, last = data.months[-1]
            panel = trend_summary(
                last_month.label,
                last.received_new,
                last.resolved_total,
                last.on_time_rate,
                last.pending_overdue,
            )
            out[scene] = SceneContent(
                f"Toàn tỉnh: tiếp nhận, giải quyết và tỷ lệ đúng hạn 12 tháng đến {last_month.label.lower()}",
                panel,
                trend_changes(series, screen_h),
            )
        elif scene == "attention":
            rows = attention_list(
                [
                    ("Sở, ban, ngành", data.departments, data.departments_before),
                    ("Xã, phường", data.communes, data.communes_before),
                ],
                size=attention_size,
                min_resolved=attention_min_resolved,
            )
            panel = attention_table(rows, data.previous.label, period, attention_min_resolved)
            out[scene] = SceneContent("Đơn vị cần chú ý: tỷ lệ giải quyết đúng hạn giảm nhiều nhất", panel)
    return out


def scene_figure(
    scene: str,
    content: SceneContent,
    data: WallData,
    screen_h: int | None,
    geojson: Callable[[str], Mapping[str, Any]],
) -> dict[str, Any] | None:
    """The full figure of a graph scene (geometry, layout and values), None for table scenes."""
    if scene == "map":
        return apply_changes(wall_map_figure(geojson("district"), "Huyện", screen_h), content.changes)
    if scene == "communes":
        return apply_changes(wall_map_figure(geojson("commune"), "Xã", screen_h), content.changes)
    if scene == "trend":
        return trend_figure(trend_series(data.months), screen_h)
    return None


def data_time_label(data: WallData) -> str:
    """Header line: when the data last changed."""
    if data.data_time is None:
        return "Chưa có dữ liệu hồ sơ"
    return f"Số liệu cập nhật lúc {format_datetime(data.data_time)}"
