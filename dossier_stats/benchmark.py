"""Benchmarks with confidence, comparison of two periods and three periods of worsening:
pure functions over the KPIs of a level's units (issue 14 items 3, 4, 5).

Method (METHOD_NOTE, for the UI to quote). A rate (on-time rate, online share) of a unit
is a proportion x/n of dossiers; its 95 % confidence interval is the Wilson score interval
(Wilson 1927; method 3 of Newcombe 1998). The unit is "significantly better" or
"significantly worse" than its parent (the province for districts and departments, the
district for its communes) when the parent's value lies outside that interval — above
it or below it, read with the metric's polarity (a higher on-time rate is better) — and
"not significantly different" when it lies inside, limits included (the comparison of
UK Fingertips' benchmarking). Counts (dossiers received, overdue) get no judgement.
A unit with fewer than 20 dossiers behind its value (the rate's denominator; for counts,
the dossiers it handled in the period) is flagged "ít số liệu": it keeps its value,
interval and judgement, but is ranked after the others, without a rank number.

Change between two periods: percentage points for rates (now − before, both in %),
per cent of the earlier value for counts (none when the earlier value is 0); rank change
= earlier rank − rank (positive: moved up), both ranks taken the same way.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise
from math import sqrt
from typing import Literal

from dossier_stats.kpis import Kpis, UnitKpis
from dossier_stats.metrics import Metric
from dossier_stats.ranking import comparable, competition_ranks, has_data, metric_value
from vi_format import vietnamese_sort_key

Z_95 = 1.959963984540054  # the 97.5th percentile of the standard normal distribution
MIN_DOSSIERS = 20
FEW_DATA_TEXT = "ít số liệu"

Judgement = Literal["better", "similar", "worse", "none"]
JUDGEMENT_TEXT: dict[Judgement, str] = {
    "better": "Tốt hơn có ý nghĩa thống kê",
    "similar": "Khác biệt không có ý nghĩa thống kê",
    "worse": "Kém hơn có ý nghĩa thống kê",
    "none": "Không đánh giá",
}
METHOD_NOTE = (
    "So với đơn vị cấp trên (toàn tỉnh cho huyện và sở, ngành; huyện cho xã): khoảng tin cậy 95 % "
    "của tỷ lệ theo phương pháp Wilson (score interval). Tốt hơn / kém hơn có ý nghĩa thống kê khi "
    "giá trị của cấp trên nằm ngoài khoảng tin cậy của đơn vị; nằm trong khoảng: khác biệt không có "
    "ý nghĩa thống kê. Chỉ tiêu đếm số hồ sơ không đánh giá. Đơn vị dưới 20 hồ sơ: “ít số liệu”, "
    "xếp sau các đơn vị khác, không xếp hạng."
)


def wilson_interval(successes: int, trials: int, z: float = Z_95) -> tuple[float, float] | None:
    """The Wilson score interval of successes/trials (0..1 each end); None when trials is 0."""
    if trials < 0 or not 0 <= successes <= max(trials, 0):
        raise ValueError(f"Tỷ lệ không hợp lệ: {successes}/{trials}.")
    if trials == 0:
        return None
    p = successes / trials
    z2 = z * z
    denominator = 1 + z2 / trials
    centre = (p + z2 / (2 * trials)) / denominator
    half = z * sqrt(p * (1 - p) / trials + z2 / (4 * trials * trials)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


def judge(interval: tuple[float, float] | None, parent: float | None, higher_is_better: bool) -> Judgement:
    """Better / similar / worse than the parent's value (0..1) given the unit's interval."""
    if interval is None or parent is None:
        return "none"
    low, high = interval
    if low <= parent <= high:
        return "similar"
    above = parent < low  # the unit is significantly higher than its parent
    return "better" if above == higher_is_better else "worse"


def dossiers_behind(metric: Metric, kpis: Kpis) -> int:
    """How many dossiers a unit's value rests on: a rate's denominator, else those handled."""
    return metric.parts(kpis)[1] if metric.parts is not None else kpis.received_total


@dataclass(frozen=True)
class Benchmark:
    value: float | None  # as drawn: rates in %, counts as they are
    n: int  # dossiers behind the value
    few_data: bool  # n < MIN_DOSSIERS: "ít số liệu"
    interval: tuple[float, float] | None  # rates only, in %
    judgement: Judgement


def benchmark(metric: Metric, kpis: Kpis, parent: Kpis) -> Benchmark:
    """A unit's value, interval and judgement against its parent (METHOD_NOTE)."""
    value = metric_value(metric, kpis)
    n = dossiers_behind(metric, kpis)
    if metric.kind != "rate" or metric.parts is None or value is None:
        return Benchmark(value, n, n < MIN_DOSSIERS, None, "none")
    successes, trials = metric.parts(kpis)
    interval = wilson_interval(successes, trials)
    parent_value = metric.value(parent) if has_data(parent) else None
    judgement = "none" if metric.neutral else judge(interval, parent_value, metric.higher_is_better)
    shown = None if interval is None else (interval[0] * 100, interval[1] * 100)
    return Benchmark(value, n, n < MIN_DOSSIERS, shown, judgement)


def change(metric: Metric, now: float | None, before: float | None) -> float | None:
    """Rates: percentage points (values in %); counts: per cent of `before` (None when 0)."""
    if now is None or before is None:
        return None
    if metric.kind == "rate":
        return now - before
    return None if before == 0 else (now - before) / before * 100


@dataclass(frozen=True)
class UnitRow:
    code: str
    name: str
    kpis: Kpis
    benchmark: Benchmark
    rank: int | None  # among units with data and enough of it; None otherwise
    before: Kpis | None = None  # the comparison period's KPIs (None: no comparison)
    value_before: float | None = None
    change: float | None = None  # percentage points (rates) or per cent (counts)
    rank_before: int | None = None
    rank_change: int | None = None  # rank_before − rank: positive = moved up


def ranks(units: Sequence[UnitKpis], metric: Metric) -> dict[str, int]:
    """Competition ranks (1, 2, 2, 4; values compared as shown) of the units with data and
    at least MIN_DOSSIERS dossiers behind their value."""
    values = {
        u.code: metric_value(metric, u.kpis) for u in units if dossiers_behind(metric, u.kpis) >= MIN_DOSSIERS
    }
    present = {code: v for code, v in values.items() if v is not None}
    shown = [comparable(metric, v) for v in present.values()]
    return dict(zip(present, competition_ranks(shown, metric.higher_is_better), strict=True))


def _order_key(row: UnitRow, higher_is_better: bool) -> tuple:
    value = row.benchmark.value
    group = 0 if row.rank is not None else 1 if value is not None else 2
    sort_value = 0.0 if value is None else (-value if higher_is_better else value)
    return (group, row.rank or 0, sort_value, vietnamese_sort_key(row.name))


def unit_rows(
    units: Sequence[UnitKpis],
    parent: Kpis,
    metric: Metric,
    before: Sequence[UnitKpis] | None = None,
) -> list[UnitRow]:
    """Every unit benchmarked against `parent`, in ranking order: ranked units best first,
    then the units with few data (by value), then those without a value (by name). With
    `before` (the same units in the comparison period) each row carries the change."""
    now_ranks = ranks(units, metric)
    earlier: Mapping[str, Kpis] = {u.code: u.kpis for u in before or ()}
    earlier_ranks = ranks(before, metric) if before is not None else {}
    rows = []
    for u in units:
        mark = benchmark(metric, u.kpis, parent)
        rank = now_ranks.get(u.code)
        row = UnitRow(u.code, u.name, u.kpis, mark, rank)
        if before is not None:
            old = earlier.get(u.code, Kpis())
            old_value = metric_value(metric, old)
            old_rank = earlier_ranks.get(u.code)
            row = UnitRow(
                u.code,
                u.name,
                u.kpis,
                mark,
                rank,
                old,
                old_value,
                change(metric, mark.value, old_value),
                old_rank,
                None if rank is None or old_rank is None else old_rank - rank,
            )
        rows.append(row)
    return sorted(rows, key=lambda r: _order_key(r, metric.higher_is_better))


def worsened(values: Sequence[float | None], metric: Metric) -> bool:
    """True when each value is worse than the one before (oldest first; compared as shown):
    len(values) − 1 periods of worsening in a row. Never for a neutral metric."""
    if metric.neutral or len(values) < 2 or any(v is None for v in values):
        return False
    shown = [comparable(metric, v) for v in values]  # type: ignore[arg-type]
    pairs = list(pairwise(shown))
    if metric.higher_is_better:
        return all(new < old for old, new in pairs)
    return all(new > old for old, new in pairs)
