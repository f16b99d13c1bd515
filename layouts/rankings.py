"""Ranking tables: units of the current level and provincial departments, by the chosen metric.

Ties share a rank and the next rank skips (1, 2, 2, 4). Values are compared as shown
(rates to 0.1 percentage point, points to the metric's decimals), so two units that look
equal rank equal. Units without data come last, unranked, in name order. A metric whose
source publishes its ranks (the PAR total: rank within the whole group of the province)
shows those ranks as given.

`rank_map_units` ranks map units of any metric family (layouts.map_metrics.MapUnit);
`rank_units` ranks dossier KPIs directly (the wall display uses it).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from dash import dcc, html

from layouts.map_figure import (
    MetricLike,
    ScaleLike,
    UnitKpisLike,
    format_metric_value,
    metric_value,
)
from vi_format import MISSING, vietnamese_sort_key

T = TypeVar("T")


class RankedUnitLike(Protocol):
    code: str
    name: str
    value: float | None
    cells: tuple[str, ...]
    rank: int | None


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


@dataclass(frozen=True)
class MapRankRow:
    rank: int | None
    code: str
    name: str
    value: float | None
    value_text: str
    cells: tuple[str, ...]  # the metric's extra columns, preformatted


def _comparable(metric: ScaleLike, value: float) -> float:
    if metric.kind == "rate":
        return round(value, 1)
    if metric.kind == "points":
        return round(value, getattr(metric, "decimals", 1))
    return round(value, 6)


def _ordered(
    items: Sequence[T], values: Sequence[float | None], names: Sequence[str], metric: ScaleLike
) -> list[tuple[int | None, T, float | None]]:
    """(rank, item, value) best first (ties by Vietnamese name), items without a value last."""
    present = [i for i, v in enumerate(values) if v is not None]
    ranks = competition_ranks([_comparable(metric, values[i]) for i in present], metric.higher_is_better)
    rank_of = dict(zip(present, ranks, strict=True))
    present.sort(key=lambda i: (rank_of[i], vietnamese_sort_key(names[i])))
    missing = sorted(
        (i for i, v in enumerate(values) if v is None), key=lambda i: vietnamese_sort_key(names[i])
    )
    return [(rank_of.get(i), items[i], values[i]) for i in [*present, *missing]]


def rank_units(units: Sequence[UnitKpisLike], metric: MetricLike) -> list[RankRow]:
    """Dossier-KPI rows ordered best first, unranked units (no data) last."""
    values = [metric_value(metric, u.kpis) for u in units]
    return [
        RankRow(
            r,
            u.code,
            u.name,
            v,
            MISSING if v is None else format_metric_value(metric, v),
            u.kpis.received_total,
            u.kpis.pending_overdue,
        )
        for r, u, v in _ordered(units, values, [u.name for u in units], metric)
    ]


def rank_map_units(units: Sequence[RankedUnitLike], metric: ScaleLike) -> list[MapRankRow]:
    """Map units ordered best first, units without a value last. With `source_ranks` the
    units' own ranks are shown (best first), else ranks are computed among these units."""
    if getattr(metric, "source_ranks", False):
        shown = [u for u in units if u.value is not None and u.rank is not None]
        rest = sorted(
            (u for u in units if u.value is None or u.rank is None), key=lambda u: vietnamese_sort_key(u.name)
        )
        shown.sort(key=lambda u: (u.rank, vietnamese_sort_key(u.name)))
        ordered = [(u.rank, u, u.value) for u in shown] + [(None, u, None) for u in rest]
    else:
        ordered = _ordered(units, [u.value for u in units], [u.name for u in units], metric)
    return [
        MapRankRow(
            r,
            u.code,
            u.name,
            v,
            MISSING if v is None else format_metric_value(metric, v),
            tuple(u.cells),
        )
        for r, u, v in ordered
    ]


VALUE_HEADERS = {"rate": "Tỷ lệ", "count": "Số hồ sơ", "points": "Điểm"}


def value_header(metric: ScaleLike) -> str:
    """Short column header for the metric's values (the caption names the metric)."""
    return VALUE_HEADERS.get(metric.kind, "Giá trị")


def ranking_caption(metric: Any, period_label: str) -> str:
    return f"Theo {metric.label[0].lower()}{metric.label[1:]} — {period_label}"


def ranking_payload(
    rows: Sequence[MapRankRow],
    metric: Any,
    *,
    href: Callable[[str], str] | None = None,
    selected: str | None = None,
) -> dict[str, Any]:
    """A ranking table as compact rows of preformatted Vietnamese strings.

    The browser draws the table from it (assets/rankings.js), so a metric change sends about
    a hundred bytes per unit instead of a component tree. Each row is
    [rank, name, value, *the metric's extra cells, link or None, row class].
    """
    return {
        "columns": ["Hạng", "Đơn vị", value_header(metric), *metric.columns],
        "rows": [
            [
                MISSING if row.rank is None else str(row.rank),
                row.name,
                row.value_text,
                *row.cells,
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
