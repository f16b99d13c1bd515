"""Ranking tables: units of the current level and provincial departments, by the chosen metric.

Ties share a rank and the next rank skips (1, 2, 2, 4). Values are compared as shown
(rates to 0.1 percentage point), so two units that look equal rank equal. Units without
data come last, unranked, in name order.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from dash import dcc, html

from layouts.format import MISSING, format_int, vietnamese_sort_key
from layouts.map_figure import MetricLike, UnitKpisLike, format_metric_value, metric_value


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


def ranking_payload(
    rows: Sequence[RankRow],
    metric: MetricLike,
    *,
    href: Callable[[str], str] | None = None,
    selected: str | None = None,
) -> dict[str, Any]:
    """A ranking table as compact rows of preformatted Vietnamese strings.

    The browser draws the table from it (assets/rankings.js), so a metric change sends about
    a hundred bytes per unit instead of a component tree. Each row is
    [rank, name, value, received, overdue, link or None, row class].
    """
    return {
        "columns": ["Hạng", "Đơn vị", value_header(metric), "Tiếp nhận", "Đang quá hạn"],
        "rows": [
            [
                MISSING if row.rank is None else str(row.rank),
                row.name,
                row.value_text,
                format_int(row.received),
                format_int(row.overdue),
                href(row.code) if href else None,
                "selected" if row.code == selected else ("no-data" if row.rank is None else ""),
            ]
            for row in rows
        ],
        "empty": "Không có đơn vị nào.",
    }


def ranking_table(table_id: str, data_id: str) -> list[Any]:
    """Where a ranking table goes: its data (a Store) and the element the browser draws it in."""
    return [dcc.Store(id=data_id), html.Div(id=table_id, className="table-scroll")]
