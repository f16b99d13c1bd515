"""Ranking tables: units of the current level and provincial departments, by the chosen metric.

Ranks follow dossier_stats.ranking (ties share a rank, values compared as shown, units
without data last). A metric whose source publishes its ranks (the PAR total: rank within
the whole group of the province) shows those ranks as given.

`rank_map_units` ranks map units of any metric family (layouts.home.map_metrics.MapUnit);
dossier_stats.ranking.rank_units ranks dossier KPIs directly (the wall display uses it).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from dash import dcc, html

from dossier_stats.ranking import ScaleLike, format_metric_value, rank_order
from vi_format import MISSING, vietnamese_sort_key


class RankedUnitLike(Protocol):
    code: str
    name: str
    value: float | None
    cells: tuple[str, ...]
    rank: int | None


@dataclass(frozen=True)
class MapRankRow:
    rank: int | None
    code: str
    name: str
    value: float | None
    value_text: str
    cells: tuple[str, ...]  # the metric's extra columns, preformatted


def rank_map_units(units: Sequence[RankedUnitLike], metric: ScaleLike) -> list[MapRankRow]:
    """Map units ordered best first, units without a value last. With `source_ranks` the
    units' own ranks are shown (best first), else ranks are computed among these units.
    With `ranks_from_units` (766: only comparables are ranked) the units' own ranks too, and
    the units without a rank follow with their values, listed apart."""
    apart = getattr(metric, "ranks_from_units", False)  # listed apart, their values kept
    if getattr(metric, "source_ranks", False) or apart:
        shown = [u for u in units if u.value is not None and u.rank is not None]
        rest = sorted(
            (u for u in units if u.value is None or u.rank is None),
            key=lambda u: (apart and u.value is None, vietnamese_sort_key(u.name)),
        )
        shown.sort(key=lambda u: (u.rank, vietnamese_sort_key(u.name)))
        ordered = [(u.rank, u, u.value) for u in shown] + [
            (None, u, u.value if apart else None) for u in rest
        ]
    else:
        ordered = rank_order(units, [u.value for u in units], [u.name for u in units], metric)
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
    """ "Theo … — Quý III/2025", and the rule set that produced the values when it has one."""
    caption = f"Theo {metric.label[0].lower()}{metric.label[1:]} — {period_label}"
    note = getattr(metric, "rule_note", None)
    return f"{caption} · {note}" if note else caption


def ranking_payload(
    rows: Sequence[MapRankRow],
    metric: Any,
    *,
    href: Callable[[str], str] | None = None,
    selected: str | None = None,
    cell_links: Callable[[str], Sequence[str | None]] | None = None,
    columns: Sequence[str] | None = None,
) -> dict[str, Any]:
    """A ranking table as compact rows of preformatted Vietnamese strings.

    The browser draws the table from it (assets/rankings.js), so a metric change sends about
    a hundred bytes per unit instead of a component tree. Each row is
    [rank, name, value, *the metric's extra cells, link or None, row class], and with
    `cell_links` (unit code -> a link or None for the value and each extra cell: the list of
    dossiers behind a count, layouts.common.dossier_links.ranking_cell_links) those links;
    `columns` names the extra cells when they are not the metric's (a comparison adds two).
    """
    return {
        "columns": [
            "Hạng",
            "Đơn vị",
            value_header(metric),
            *(metric.columns if columns is None else columns),
        ],
        "rows": [
            [
                MISSING if row.rank is None else str(row.rank),
                row.name,
                row.value_text,
                *row.cells,
                href(row.code) if href else None,
                "selected" if row.code == selected else ("no-data" if row.rank is None else ""),
                *([list(cell_links(row.code))] if cell_links else []),
            ]
            for row in rows
        ],
        "empty": "Không có đơn vị nào.",
    }


def ranking_table(table_id: str, data_id: str) -> list[Any]:
    """Where a ranking table goes: its data (a Store) and the element the browser draws it in."""
    return [dcc.Store(id=data_id), html.Div(id=table_id, className="table-scroll")]
