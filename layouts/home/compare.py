"""Comparison of two periods on the home map and rankings (issue 14 item 4): each unit's
change since the comparison period and its rank change, from the map units of both periods
(any metric family). Rates change in percentage points, counts in per cent of the earlier
value (none when it was 0), index points in points; rank change = earlier rank − rank
(positive: moved up), both ranks taken the same way (layouts.common.rankings)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from dossier_stats.ranking import format_metric_value
from layouts.common.choropleth import CHANGE_UNITS, signed
from layouts.common.rankings import rank_map_units
from layouts.home.map_metrics import MapUnit
from vi_format import MISSING

CHANGE_COLUMNS = ("Thay đổi", "± hạng")  # their headers: change_columns(metric)


def change_columns(metric: Any) -> tuple[str, str]:
    """The two columns a comparison adds, the change's unit in its header."""
    return f"Thay đổi ({CHANGE_UNITS.get(metric.kind, '')})", "± hạng"


def change_of(kind: str, now: float | None, before: float | None) -> float | None:
    """Rates and points: the difference; counts: per cent of `before` (None when it is 0)."""
    if now is None or before is None:
        return None
    if kind == "count":
        return None if before == 0 else (now - before) / before * 100
    return now - before


def change_text(value: float | None) -> str:
    """ "+2,3", "−12,5", "0", "—" (the unit is in the column header)."""
    return MISSING if value is None else signed(round(value, 1))


def rank_change_text(value: int | None) -> str:
    """ "↑2" (moved up two places), "↓1", "0", "—" (not ranked in one of the periods)."""
    if value is None:
        return MISSING
    return "0" if value == 0 else f"↑{value}" if value > 0 else f"↓{-value}"


def with_changes(
    now: Sequence[MapUnit], before: Sequence[MapUnit], metric: Any, compare_label: str
) -> list[MapUnit]:
    """The units of the shown period, each with its change and rank change since the
    comparison period, the two as ranking cells (CHANGE_COLUMNS) and in the hover text."""
    earlier = {u.code: u for u in before}
    ranks_now = {r.code: r.rank for r in rank_map_units(now, metric)}
    ranks_before = {r.code: r.rank for r in rank_map_units(before, metric)}
    out = []
    for unit in now:
        old = earlier.get(unit.code)
        value_before = old.value if old else None
        delta = change_of(metric.kind, unit.value, value_before)
        rank, old_rank = ranks_now.get(unit.code), ranks_before.get(unit.code)
        moved = None if rank is None or old_rank is None else old_rank - rank
        hover = (
            f"{unit.hover}<br>Thay đổi so với {compare_label}: <b>{change_text(delta)}</b>"
            f" {CHANGE_UNITS.get(metric.kind, '')} (khi đó {format_metric_value(metric, value_before)})"
        )
        cells = (*unit.cells, change_text(delta), rank_change_text(moved))
        out.append(replace(unit, hover=hover, cells=cells, change=delta, rank_change=moved))
    return out


def compare_title(metric_label: str, period_label: str, compare_label: str) -> str:
    return f"{metric_label} — thay đổi {period_label} so với {compare_label}"
