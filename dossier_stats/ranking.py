"""Ranking units by a metric (ties share a rank, values compared as shown) and the metric's
value as drawn: the data side of the map, the rankings and the wall.

Ties share a rank and the next rank skips (1, 2, 2, 4). Values are compared as shown
(rates to 0.1 percentage point, points to the metric's decimals), so two units that look
equal rank equal. Units without data come last, unranked, in name order.

The structural types (`KpisLike`, `UnitKpisLike`, `MetricLike`, `ScaleLike`) are defined
here once: what the map, the rankings, the panels and the wall read of dossier KPIs and
metrics (kpis.Kpis / kpis.UnitKpis and metrics.Metric satisfy them; the map's MapMetric
satisfies `ScaleLike`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from vi_format import MISSING, format_int, format_number, vietnamese_sort_key

T = TypeVar("T")
NO_DATA_TEXT = "Không có dữ liệu"


class KpisLike(Protocol):
    received_online: int
    received_direct_postal: int
    carried_over: int
    resolved_early: int
    resolved_on_time: int
    resolved_late: int
    pending_within: int
    pending_overdue: int

    @property
    def received_total(self) -> int: ...
    @property
    def resolved_total(self) -> int: ...
    @property
    def pending_total(self) -> int: ...
    @property
    def on_time_rate(self) -> float | None: ...
    @property
    def online_share(self) -> float | None: ...


class UnitKpisLike(Protocol):
    code: str
    name: str
    kpis: Any


class MetricLike(Protocol):
    key: str
    label: str
    kind: str
    higher_is_better: bool

    def value(self, kpis: Any) -> float | None: ...


class ScaleLike(Protocol):
    """What colouring needs of a metric (a MapMetric, or a dossier Metric)."""

    kind: str  # rate | count | points
    higher_is_better: bool


# ---------------------------------------------------------------- values as drawn


def has_data(kpis: KpisLike) -> bool:
    """A unit has data when any dossier counts for it in the period (received, resolved or pending)."""
    return bool(kpis.received_total or kpis.resolved_total or kpis.pending_total)


def metric_value(metric: MetricLike, kpis: KpisLike) -> float | None:
    """The value drawn on the map: rates in percent, counts as they are; None = no data."""
    if not has_data(kpis):
        return None
    value = metric.value(kpis)
    if value is None:
        return None
    return float(value) * 100 if metric.kind == "rate" else float(value)


def no_data_text(metric: Any) -> str:
    return getattr(metric, "no_data_text", NO_DATA_TEXT)


def format_metric_value(metric: ScaleLike, value: float | None) -> str:
    """A value as drawn, as UI text ("87,5%", "1.234", points "85,25")."""
    if value is None:
        return no_data_text(metric)
    if metric.kind == "rate":
        return f"{format_number(value, 1)}%"
    if metric.kind == "points":
        return format_number(value, getattr(metric, "decimals", 1))
    return format_int(round(value)) if float(value).is_integer() else format_number(value, 1)


# ---------------------------------------------------------------- ranks


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


def comparable(metric: ScaleLike, value: float) -> float:
    if metric.kind == "rate":
        return round(value, 1)
    if metric.kind == "points":
        return round(value, getattr(metric, "decimals", 1))
    return round(value, 6)


def rank_order(
    items: Sequence[T], values: Sequence[float | None], names: Sequence[str], metric: ScaleLike
) -> list[tuple[int | None, T, float | None]]:
    """(rank, item, value) best first (ties by Vietnamese name), items without a value last."""
    present = [i for i, v in enumerate(values) if v is not None]
    ranks = competition_ranks([comparable(metric, values[i]) for i in present], metric.higher_is_better)
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
        for r, u, v in rank_order(units, values, [u.name for u in units], metric)
    ]
