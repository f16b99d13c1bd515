"""What a leader reads off the map and the rankings (issue 14 items 3, 4, 5 and 8): each
unit of a level benchmarked against its parent with confidence, compared with a second
period, the units that worsened three periods in a row, and finding a unit by name.

`AnalysisService` reads every figure through a StatsService, so the KPIs follow the as-of
rule and come from its per-data-version cache (the same queries as the map and rankings);
the work on them is the pure code of benchmark.py and unit_search.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from dossier_stats.asof import AsOf
from dossier_stats.benchmark import METHOD_NOTE, MIN_DOSSIERS, UnitRow, dossiers_behind, unit_rows, worsened
from dossier_stats.kpis import Kpis, UnitKpis
from dossier_stats.metrics import METRICS, Metric
from dossier_stats.periods import Period
from dossier_stats.ranking import metric_value
from dossier_stats.service import StatsService
from dossier_stats.unit_search import UnitMatch, find_units, map_units

Level = Literal["district", "commune", "department"]
LEVELS: tuple[Level, ...] = ("district", "commune", "department")


@dataclass(frozen=True)
class UnitTable:
    """A level's units for one metric and period, ranked and benchmarked (benchmark.py)."""

    level: Level
    metric: Metric
    period: Period
    as_of: AsOf
    parent_code: str | None  # None: the province
    parent_name: str
    parent: Kpis
    parent_value: float | None  # as drawn (rates in %)
    rows: tuple[UnitRow, ...]  # in ranking order
    compare: Period | None = None  # the second period, when one was asked
    compare_as_of: AsOf | None = None
    parent_before: Kpis | None = None
    method: str = METHOD_NOTE


@dataclass(frozen=True)
class Worsening:
    """A unit whose metric worsened in each of the last periods."""

    code: str
    name: str
    periods: tuple[Period, ...]  # oldest first, the asked period last
    values: tuple[float, ...]  # as drawn, one per period


class AnalysisService:
    def __init__(self, stats: StatsService) -> None:
        self.stats = stats

    def level_kpis(self, period: Period, level: Level, district_code: str | None = None) -> list[UnitKpis]:
        """The units of a level: every district, every department, the communes of a district
        or, `district_code` None, every commune of the province (as-of, cached)."""
        if level == "district":
            return self.stats.district_kpis(period)
        if level == "department":
            return self.stats.department_kpis(period)
        if level != "commune":
            raise ValueError(f"Cấp không hợp lệ: {level!r}; chọn một trong: {', '.join(LEVELS)}.")
        if district_code is not None:
            return self.stats.commune_kpis(period, district_code)
        communes = [
            c for d in self.stats.district_kpis(period) for c in self.stats.commune_kpis(period, d.code)
        ]
        return sorted(communes, key=lambda u: u.code)

    def parent(
        self, period: Period, level: Level, district_code: str | None = None
    ) -> tuple[str | None, str, Kpis]:
        """(code, name, KPIs) of the level's parent: the district for its communes, else the province."""
        if level == "commune" and district_code is not None:
            district = next((d for d in self.stats.district_kpis(period) if d.code == district_code), None)
            if district is None:
                raise LookupError(f"Không có huyện mã {district_code!r}.")
            return district.code, district.name, district.kpis
        return None, self.stats.province().name, self.stats.province_kpis(period)

    def unit_table(
        self,
        period: Period,
        metric: str,
        level: Level,
        district_code: str | None = None,
        compare: Period | None = None,
    ) -> UnitTable:
        """The level's units for `metric` in `period`: value, Wilson interval, judgement
        against the parent, "ít số liệu", rank (benchmark.METHOD_NOTE); with `compare`, each
        row's value, change and rank change against that period (same queries, cached)."""
        chosen = _metric(metric)
        units = self.level_kpis(period, level, district_code)
        parent_code, parent_name, parent = self.parent(period, level, district_code)
        before = None if compare is None else self.level_kpis(compare, level, district_code)
        rows = unit_rows(units, parent, chosen, before)
        return UnitTable(
            level=level,
            metric=chosen,
            period=period,
            as_of=self.stats.as_of(period),
            parent_code=parent_code,
            parent_name=parent_name,
            parent=parent,
            parent_value=metric_value(chosen, parent),
            rows=tuple(rows),
            compare=compare,
            compare_as_of=None if compare is None else self.stats.as_of(compare),
            parent_before=None if compare is None else self.parent(compare, level, district_code)[2],
        )

    def worsening(
        self, period: Period, metric: str, level: Level, district_code: str | None = None, steps: int = 3
    ) -> list[Worsening]:
        """Units whose metric worsened in each of the `steps` periods up to `period` (compared
        with the period before each), judged with the metric's polarity; units with fewer
        than MIN_DOSSIERS dossiers behind a value in any of those periods are left out."""
        chosen = _metric(metric)
        if steps < 1:
            raise ValueError(f"Số kỳ phải ≥ 1 (nhận {steps}).")
        periods = [period]
        for _ in range(steps):
            periods.append(periods[-1].previous())
        periods.reverse()
        series = [{u.code: u for u in self.level_kpis(p, level, district_code)} for p in periods]
        out = []
        for code, unit in series[-1].items():
            kpis = [s.get(code) for s in series]
            if any(k is None or dossiers_behind(chosen, k.kpis) < MIN_DOSSIERS for k in kpis):
                continue
            values = [metric_value(chosen, k.kpis) for k in kpis]  # type: ignore[union-attr]
            if worsened(values, chosen):
                out.append(Worsening(code, unit.name, tuple(periods), tuple(values)))  # type: ignore[arg-type]
        return out

    def find_units(self, query: str, limit: int = 10) -> list[UnitMatch]:
        """Units of the map whose name (or code) matches `query`, accents and đ ignored."""
        units = self.stats.cached(("map_units",), map_units)
        return find_units(query, units, limit)


def _metric(key: str) -> Metric:
    if key not in METRICS:
        raise ValueError(f"Chỉ tiêu không hợp lệ: {key!r}; chọn một trong: {', '.join(METRICS)}.")
    return METRICS[key]
