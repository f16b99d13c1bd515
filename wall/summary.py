"""Pure builders of what the wall's scenes say: ranks with their change since the previous
period, the 5 best and 5 worst units, the units needing attention, the 12-month series.

Ranks follow the dashboard's rule (dossier_stats.ranking.rank_units): ties share a rank
(1, 2, 2, 4), values compared as shown, units without data unranked and last. A change in
rank is previous rank − current rank: positive = moved up (▲), negative = moved down (▼).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from dossier_stats.ranking import MetricLike, UnitKpisLike, rank_units
from vi_format import format_int, format_number, format_percent, vietnamese_sort_key

ChangeKind = Literal["up", "down", "same", "new", "none"]


@dataclass(frozen=True)
class RankedUnit:
    rank: int | None  # None: no data in the period
    code: str
    name: str
    value: float | None  # as drawn on the map: rates in percent
    value_text: str
    change: int | None  # previous rank − rank; None when either is missing
    change_kind: ChangeKind
    overdue: int  # pending past the deadline at the period's end


def rank_change(rank: int | None, previous: int | None) -> tuple[int | None, ChangeKind]:
    """(previous − rank, kind): up when the rank number fell, "new" when unranked before."""
    if rank is None:
        return None, "none"
    if previous is None:
        return None, "new"
    change = previous - rank
    return change, "up" if change > 0 else "down" if change < 0 else "same"


def change_text(change: int | None, kind: ChangeKind) -> str:
    """ "▲ 3", "▼ 2", "=", "mới" (no rank before), "" (no rank now)."""
    if kind == "up":
        return f"▲ {change}"
    if kind == "down":
        return f"▼ {-change}" if change is not None else "▼"
    return {"same": "=", "new": "mới", "none": ""}[kind]


def ranked_with_change(
    units: Sequence[UnitKpisLike], before: Sequence[UnitKpisLike], metric: MetricLike
) -> list[RankedUnit]:
    """Units ranked best first by the metric, each with its change in rank since `before`."""
    previous = {row.code: row.rank for row in rank_units(before, metric)}
    out = []
    for row in rank_units(units, metric):
        change, kind = rank_change(row.rank, previous.get(row.code))
        out.append(
            RankedUnit(row.rank, row.code, row.name, row.value, row.value_text, change, kind, row.overdue)
        )
    return out


def best_and_worst(rows: Sequence[RankedUnit], n: int = 5) -> tuple[list[RankedUnit], list[RankedUnit]]:
    """The n best ranked rows (best first) and the n worst (worst first), never the same row
    twice: with fewer than 2n ranked units the worst list gets what the best list left."""
    ranked = [r for r in rows if r.rank is not None]
    best = ranked[:n]
    rest = ranked[len(best) :]
    worst = list(reversed(rest))[:n]
    return best, worst


def best_and_worst_changes(
    units: Sequence[UnitKpisLike], before: Sequence[UnitKpisLike], metric: MetricLike, n: int = 5
) -> tuple[list[RankedUnit], list[RankedUnit]]:
    """The n best and n worst of `units` by the metric (best_and_worst), each with its change
    in rank since `before` (ranked_with_change)."""
    return best_and_worst(ranked_with_change(units, before, metric), n)


# ---------------------------------------------------------------- units needing attention


@dataclass(frozen=True)
class AttentionRow:
    code: str
    name: str
    group: str  # "Sở, ban, ngành", "Xã, phường", …
    rate_before: float  # on-time rate 0..1 in the previous period
    rate_now: float
    drop_points: float  # percentage points lost, > 0
    overdue: int  # pending past the deadline at the end of the period
    overdue_before: int


def attention_list(
    groups: Sequence[tuple[str, Sequence[UnitKpisLike], Sequence[UnitKpisLike]]],
    *,
    size: int = 8,
    min_resolved: int = 5,
) -> list[AttentionRow]:
    """Units whose on-time rate fell most since the previous period, biggest fall first.

    `groups` holds (group label, units now, units before). A unit is compared only when it
    resolved at least `min_resolved` dossiers in both periods; a fall is counted when it is
    at least 0.1 percentage point (as shown). Ties: more overdue dossiers first, then name."""
    rows: list[AttentionRow] = []
    for label, now, before in groups:
        earlier = {u.code: u.kpis for u in before}
        for unit in now:
            old = earlier.get(unit.code)
            if old is None or unit.kpis.resolved_total < max(min_resolved, 1):
                continue
            if old.resolved_total < max(min_resolved, 1):
                continue
            rate_now, rate_before = unit.kpis.on_time_rate, old.on_time_rate
            drop = round((rate_before - rate_now) * 100, 1)
            if drop <= 0:
                continue
            rows.append(
                AttentionRow(
                    unit.code,
                    unit.name,
                    label,
                    rate_before,
                    rate_now,
                    drop,
                    unit.kpis.pending_overdue,
                    old.pending_overdue,
                )
            )
    rows.sort(key=lambda r: (-r.drop_points, -r.overdue, vietnamese_sort_key(r.name)))
    return rows[:size]


def attention_cells(row: AttentionRow) -> list[str]:
    """One row of the attention table as Vietnamese text."""
    return [
        row.name,
        row.group,
        format_percent(row.rate_before),
        format_percent(row.rate_now),
        f"▼ {format_number(row.drop_points, 1)}",
        format_int(row.overdue),
    ]


# ---------------------------------------------------------------- the 12-month series


@dataclass(frozen=True)
class TrendSeries:
    labels: list[str]  # "11/2025"
    received: list[int]  # newly received in the month
    resolved: list[int]
    on_time_pct: list[float | None]  # percent, None when nothing was resolved


def trend_series(months: Sequence[tuple[Any, Any]]) -> TrendSeries:
    """(month period, Kpis) pairs, oldest first, as the three series of the trend scene."""
    return TrendSeries(
        labels=[f"{p.index:02d}/{p.year}" for p, _ in months],
        received=[k.received_new for _, k in months],
        resolved=[k.resolved_total for _, k in months],
        on_time_pct=[None if k.on_time_rate is None else round(k.on_time_rate * 100, 1) for _, k in months],
    )


def rate_change_text(now: float | None, before: float | None) -> str:
    """Change of a rate (0..1) in percentage points: "▲ 1,2 điểm %", "▼ 0,5 điểm %", "không đổi"."""
    if now is None or before is None:
        return ""
    points = round((now - before) * 100, 1)
    if points > 0:
        return f"▲ {format_number(points, 1)} điểm %"
    if points < 0:
        return f"▼ {format_number(-points, 1)} điểm %"
    return "không đổi"


def count_change_text(now: int, before: int) -> str:
    """Change of a count: "▲ 12", "▼ 3", "không đổi"."""
    if now > before:
        return f"▲ {format_int(now - before)}"
    if now < before:
        return f"▼ {format_int(before - now)}"
    return "không đổi"
