"""Ranking tables: units of the current level and provincial departments, by the chosen metric.

Ties share a rank and the next rank skips (1, 2, 2, 4). Values are compared as shown
(rates to 0.1 percentage point), so two units that look equal rank equal. Units without
data come last, unranked, in name order.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from dash import dash_table

from layouts.format import MISSING, format_int, vietnamese_sort_key
from layouts.map_figure import FONT_FAMILY, MetricLike, UnitKpisLike, format_metric_value, metric_value


@dataclass(frozen=True)
class RankRow:
    rank: int | None
    code: str
    name: str
    value: float | None
    value_text: str
    received: int
    overdue: int  # pending past the deadline (đang giải quyết quá hạn)


def competition_ranks(values: Sequence[float], higher_is_better: bool) -> list[int]:
    """Rank of each value (1 = best); equal values share a rank and the next one skips."""
    ordered = sorted(values, reverse=higher_is_better)
    first_position: dict[float, int] = {}
    for position, value in enumerate(ordered, start=1):
        first_position.setdefault(value, position)
    return [first_position[v] for v in values]


def _comparable(metric: MetricLike, value: float) -> float:
    return round(value, 1) if metric.kind == "rate" else round(value, 6)


def rank_units(units: Sequence[UnitKpisLike], metric: MetricLike) -> list[RankRow]:
    """Rows ordered best first, unranked units (no data) last."""
    with_values = [(u, metric_value(metric, u.kpis)) for u in units]
    ranked = [(u, v) for u, v in with_values if v is not None]
    unranked = sorted((u for u, v in with_values if v is None), key=lambda u: vietnamese_sort_key(u.name))
    ranks = competition_ranks([_comparable(metric, v) for _, v in ranked], metric.higher_is_better)
    rows = [
        RankRow(
            r,
            u.code,
            u.name,
            v,
            format_metric_value(metric, v),
            u.kpis.received_total,
            u.kpis.pending_overdue,
        )
        for (u, v), r in zip(ranked, ranks, strict=True)
    ]
    rows.sort(key=lambda row: (row.rank, vietnamese_sort_key(row.name)))
    rows += [
        RankRow(None, u.code, u.name, None, MISSING, u.kpis.received_total, u.kpis.pending_overdue)
        for u in unranked
    ]
    return rows


def value_header(metric: MetricLike) -> str:
    """Short column header for the metric's values (the caption names the metric)."""
    return "Tỷ lệ" if metric.kind == "rate" else "Số hồ sơ"


def ranking_caption(metric: MetricLike, period_label: str) -> str:
    return f"Theo {metric.label[0].lower()}{metric.label[1:]} — {period_label}"


def ranking_columns(metric: MetricLike) -> list[dict[str, str]]:
    return [
        {"name": "Hạng", "id": "rank"},
        {"name": "Đơn vị", "id": "name"},
        {"name": value_header(metric), "id": "value"},
        {"name": "Tiếp nhận", "id": "received"},
        {"name": "Đang quá hạn", "id": "overdue"},
    ]


def ranking_data(rows: Sequence[RankRow], selected: str | None = None) -> list[dict[str, Any]]:
    """DataTable rows: preformatted Vietnamese strings; `id` is the unit code (the row id)."""
    return [
        {
            "id": row.code,
            "rank": MISSING if row.rank is None else str(row.rank),
            "name": row.name,
            "value": row.value_text,
            "received": format_int(row.received),
            "overdue": format_int(row.overdue),
            "selected": 1 if row.code == selected else 0,
        }
        for row in rows
    ]


RIGHT_ALIGNED = ("rank", "value", "received", "overdue")


def ranking_table(table_id: str, *, clickable: bool) -> dash_table.DataTable:
    """An empty ranking table (columns and data come from the rankings callback).

    Clicking a row of a clickable table opens that unit (see callbacks/navigation.py).
    """
    return dash_table.DataTable(
        id=table_id,
        columns=[],
        data=[],
        cell_selectable=clickable,
        sort_action="none",
        style_as_list_view=True,
        style_table={"maxHeight": "330px", "overflowY": "auto"},
        style_header={
            "backgroundColor": "#f6f8fb",
            "color": "#52606d",
            "fontWeight": 600,
            "borderBottom": "1px solid #e3e8ef",
        },
        style_cell={
            "fontFamily": FONT_FAMILY,
            "fontSize": "13px",
            "padding": "5px 6px",
            "textAlign": "left",
            "border": "none",
            "borderBottom": "1px solid #f0f3f7",
            "cursor": "pointer" if clickable else "default",
            "whiteSpace": "normal",
            "height": "auto",
        },
        style_cell_conditional=[
            *({"if": {"column_id": c}, "textAlign": "right", "whiteSpace": "nowrap"} for c in RIGHT_ALIGNED),
            {"if": {"column_id": "rank"}, "width": "44px", "color": "#52606d"},
            {"if": {"column_id": "value"}, "fontWeight": 600},
            {"if": {"column_id": "name"}, "color": "#14588f" if clickable else "#1f2933"},
        ],
        style_data_conditional=[
            {"if": {"filter_query": "{selected} = 1"}, "backgroundColor": "#fff4d6"},
            {"if": {"filter_query": f'{{rank}} = "{MISSING}"'}, "color": "#9aa5b1"},
            {"if": {"state": "active"}, "backgroundColor": "#e6f0fa", "border": "none"},
        ],
    )
