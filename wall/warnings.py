"""What the wall's early-warning scene shows (cảnh báo, issue 14 item 5), as plain data: the
open dossiers due within the next working days, province-wide and per former district and
department (dossier_stats.warnings through the DossierListService), and the units whose
on-time rate worsened three months in a row (AnalysisService.worsening, up to the last
full month: a running month's partial figures would judge too early)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from dossier_stats.analysis import AnalysisService, Worsening
from dossier_stats.lists_service import DossierListService
from dossier_stats.metrics import DEFAULT_METRIC, METRICS
from dossier_stats.periods import Period, default_period

WORKING_DAYS = 2
WORSENING_STEPS = 3


@dataclass(frozen=True)
class DueSoonUnit:
    code: str
    name: str
    count: int


@dataclass(frozen=True)
class WarningData:
    today: date
    window_text: str  # "Hạn trả từ 27/11/2026 đến 01/12/2026 (2 ngày làm việc tới)"
    total: int  # province-wide
    districts: tuple[DueSoonUnit, ...]  # most first, units with none left out
    departments: tuple[DueSoonUnit, ...]
    metric_label: str
    metric_is_rate: bool
    worsening_period: Period  # the last of the months compared
    worsening: tuple[Worsening, ...]  # districts then departments


def _units(counts: dict[str, int], names: dict[str, str]) -> tuple[DueSoonUnit, ...]:
    units = [DueSoonUnit(code, names.get(code, code), n) for code, n in counts.items() if n > 0]
    return tuple(sorted(units, key=lambda u: (-u.count, u.name)))


def read_warning_data(lists: DossierListService, analysis: AnalysisService, today: date) -> WarningData:
    """Every figure of the scene (each read is cached by its service per data version)."""
    period = default_period("month", today)
    stats = analysis.stats
    names = {u.code: u.name for u in stats.district_kpis(period)}
    names.update({u.code: u.name for u in stats.department_kpis(period)})
    districts = lists.due_soon_counts("district", None, WORKING_DAYS)
    departments = lists.due_soon_counts("department", None, WORKING_DAYS)
    page = lists.due_soon(None, WORKING_DAYS, page_size=1)
    metric = METRICS[DEFAULT_METRIC]
    worsening = [
        *analysis.worsening(period, metric.key, "district", steps=WORSENING_STEPS),
        *analysis.worsening(period, metric.key, "department", steps=WORSENING_STEPS),
    ]
    return WarningData(
        today=page.window.today,
        window_text=page.window.text,
        total=page.page.total,
        districts=_units(districts.counts, names),
        departments=_units(departments.counts, names),
        metric_label=metric.label,
        metric_is_rate=metric.kind == "rate",
        worsening_period=period,
        worsening=tuple(worsening),
    )
