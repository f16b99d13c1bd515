"""The metrics the map can colour by: what they read from Kpis and which way is good."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from dossier_stats.kpis import Kpis

MetricKind = Literal["rate", "count"]


def _on_time_parts(k: Kpis) -> tuple[int, int]:
    return k.resolved_early + k.resolved_on_time, k.resolved_total


def _online_parts(k: Kpis) -> tuple[int, int]:
    return k.received_online, k.received_new


@dataclass(frozen=True)
class Metric:
    key: str  # URL form
    label: str  # Vietnamese
    kind: MetricKind  # rate: 0..1, shown as %; count: number of dossiers
    higher_is_better: bool
    read: Callable[[Kpis], float | int | None] = field(repr=False, compare=False)
    # A rate's (numerator, denominator): the dossiers behind it, for its confidence interval.
    parts: Callable[[Kpis], tuple[int, int]] | None = field(default=None, repr=False, compare=False)
    neutral: bool = False  # neither direction is better (no judgement, no "worsened")

    def value(self, kpis: Kpis) -> float | None:
        """The metric for one unit; None when it is undefined (a rate over nothing)."""
        value = self.read(kpis)
        return None if value is None else float(value)


METRICS: dict[str, Metric] = {
    m.key: m
    for m in (
        Metric(
            "on_time_rate",
            "Tỷ lệ giải quyết đúng hạn",
            "rate",
            True,
            lambda k: k.on_time_rate,
            _on_time_parts,
        ),
        Metric(
            "pending_overdue", "Hồ sơ đang giải quyết quá hạn", "count", False, lambda k: k.pending_overdue
        ),
        # More dossiers received is not better or worse; "higher" gets the strong colour.
        Metric("received", "Hồ sơ tiếp nhận mới", "count", True, lambda k: k.received_new, neutral=True),
        Metric(
            "online_share", "Tỷ lệ hồ sơ trực tuyến", "rate", True, lambda k: k.online_share, _online_parts
        ),
    )
}
DEFAULT_METRIC = "on_time_rate"
