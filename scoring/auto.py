"""Auto sub-criteria: the dossier metrics a rule may read, and the rules' evaluation (pure).

Metrics are rates 0..1 computed from a unit's `Kpis` for the index year (the same
numbers as the dossier statistics: dossier_stats.kpis / dossier_stats.metrics). A rule
states its thresholds in percent. A metric is undefined (None) when its denominator is
zero, e.g. a unit that resolved no dossier has no on-time rate; the rule's `no_data`
then gives full points or zero.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from dossier_stats.kpis import Kpis
from dossier_stats.metrics import METRICS
from scoring.definition import LinearRule, Rule, ThresholdRule
from scoring.numbers import round_points
from vi_format import format_points

# A rate equal to a threshold up to this much counts as reaching it (floating-point safety;
# two different dossier counts never differ by this little below a billion dossiers).
EPSILON = 1e-9


def _ratio(numerator: int, denominator: int) -> float | None:
    return numerator / denominator if denominator else None


@dataclass(frozen=True)
class AutoMetric:
    key: str
    label: str
    read: Callable[[Kpis], float | None]


AUTO_METRICS: dict[str, AutoMetric] = {
    m.key: m
    for m in (
        AutoMetric(
            "on_time_rate", "Tỷ lệ hồ sơ giải quyết trước hạn và đúng hạn", METRICS["on_time_rate"].value
        ),
        AutoMetric("online_share", "Tỷ lệ hồ sơ tiếp nhận trực tuyến", METRICS["online_share"].value),
        AutoMetric(
            "late_rate",
            "Tỷ lệ hồ sơ giải quyết quá hạn",
            lambda k: _ratio(k.resolved_late, k.resolved_total),
        ),
        AutoMetric(
            "pending_overdue_share",
            "Tỷ lệ hồ sơ đang giải quyết quá hạn trong số hồ sơ đang giải quyết",
            lambda k: _ratio(k.pending_overdue, k.pending_total),
        ),
        AutoMetric(
            "timeliness_766",
            "Tỷ lệ hồ sơ đúng hạn theo cách tính QĐ 766 (đã giải quyết trước, đúng hạn và đang "
            "giải quyết trong hạn trên tổng số hồ sơ nhận giải quyết)",
            lambda k: _ratio(k.resolved_early + k.resolved_on_time + k.pending_within, k.received_total),
        ),
    )
}


@dataclass(frozen=True)
class AutoResult:
    points: float
    metric_value: float | None  # 0..1, None when undefined
    explanation: str  # Vietnamese, for the scorecard


def _percent_text(value: float) -> str:
    return f"{format_points(value * 100)}%"


def _threshold(rule: ThresholdRule, value: float, max_points: float) -> tuple[float, str]:
    label = _percent_text(value)
    for step in rule.steps:
        bound = step.bound / 100
        reached = value >= bound - EPSILON if rule.comparison == "at_least" else value <= bound + EPSILON
        if reached:
            sign = "≥" if rule.comparison == "at_least" else "≤"
            return (
                step.points,
                f"{label} {sign} {format_points(step.bound)}% → {format_points(step.points)} điểm",
            )
    return rule.otherwise, f"{label}: không đạt ngưỡng nào → {format_points(rule.otherwise)} điểm"


def _linear(rule: LinearRule, value: float, max_points: float) -> tuple[float, str]:
    share = (value * 100 - rule.zero_at) / (rule.full_at - rule.zero_at)
    points = max_points * min(1.0, max(0.0, share))
    text = (
        f"{_percent_text(value)} (0 điểm tại {format_points(rule.zero_at)}%, tối đa tại "
        f"{format_points(rule.full_at)}%) → {format_points(round_points(points))} điểm"
    )
    return points, text


def evaluate(rule: Rule, kpis: Kpis | None, max_points: float) -> AutoResult:
    """Points of an auto sub-criterion for one unit's KPIs (None: no dossier data at all)."""
    metric = AUTO_METRICS[rule.metric]
    value = metric.read(kpis) if kpis is not None else None
    if value is None:
        points = max_points if rule.no_data == "full" else 0.0
        text = f"{metric.label}: không có hồ sơ để tính → {format_points(points)} điểm"
        return AutoResult(points, None, text)
    compute = _threshold if isinstance(rule, ThresholdRule) else _linear
    points, text = compute(rule, value, max_points)  # type: ignore[arg-type]
    return AutoResult(round_points(points), value, f"{metric.label}: {text}")
