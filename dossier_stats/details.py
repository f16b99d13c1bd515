"""What the detail tabs under the map read (trends, overdue list, channels, Biểu số 06),
for a unit code as the home page's view names it and a reporting period.

A thin service over the reports' own functions (trends.py, overdue.py, channels.py,
bieu06/): it opens its own connections, resolves the code (province, former district or
current commune) once per call, and caches the small results per data version
(data_state.version), as StatsService does for the map — switching back to a tab of
unchanged data costs one tiny query. Files to download (the full overdue list, the
report's bytes) are rendered on each request from the cached plain data.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import TypeVar

from sqlalchemy import Connection, Engine

from dossier_stats.bieu06.files import ReportFormat, render
from dossier_stats.bieu06.query import bieu06_report
from dossier_stats.bieu06.report import Bieu06Report
from dossier_stats.bieu06.unit import ReportUnit, resolve_unit
from dossier_stats.cache import EngineCache, StoreFactory, local_store
from dossier_stats.channels import ChannelReport, channel_report
from dossier_stats.kpis import data_version
from dossier_stats.overdue import OverduePage, SortKey, overdue_csv, overdue_dossiers
from dossier_stats.periods import Period
from dossier_stats.trends import DEFAULT_MONTHS, UnitTrends, unit_trends

T = TypeVar("T")
TREND_METRIC = "on_time_rate"  # the rank chart ranks siblings by the on-time rate


@dataclass(frozen=True)
class OverdueExport:
    total: int
    content: bytes  # CSV, UTF-8 with BOM


class DetailsService:
    def __init__(
        self, engine: Engine, province_code: str, cache_size: int = 128, stores: StoreFactory = local_store
    ) -> None:
        self.engine = engine
        self.province_code = province_code
        self._cache = EngineCache(engine, data_version, cache_size, stores("details", cache_size))

    def _cached(self, key: Hashable, compute: Callable[[Connection], T]) -> T:
        return self._cache.get(key, compute)

    def _unit(self, conn: Connection, code: str | None) -> ReportUnit:
        return resolve_unit(conn, code, self.province_code)

    def unit_name(self, code: str | None) -> str:
        return self._cached(("unit", code), lambda conn: self._unit(conn, code).name)

    def trends(self, code: str | None, end_month: int, months: int = DEFAULT_MONTHS) -> UnitTrends:
        """The unit's `months` months up to `end_month` (yyyymm), its parent's and the
        province's, and its monthly rank among its siblings by on-time rate."""

        def compute(conn: Connection) -> UnitTrends:
            return unit_trends(conn, self._unit(conn, code), end_month, months, TREND_METRIC)

        return self._cached(("trends", code, end_month, months), compute)

    def overdue_page(
        self, code: str | None, period: Period, sort: SortKey, descending: bool, page: int, page_size: int
    ) -> OverduePage:
        """Page `page` (0-based) of the unit's overdue dossiers at the period's last day."""
        if page < 0:
            raise ValueError(f"Số trang phải ≥ 0 (nhận {page}).")

        def compute(conn: Connection) -> OverduePage:
            unit = self._unit(conn, code)
            return overdue_dossiers(
                conn, unit, period, sort=sort, descending=descending, limit=page_size, offset=page * page_size
            )

        return self._cached(("overdue", code, period, sort, descending, page, page_size), compute)

    def overdue_export(
        self, code: str | None, period: Period, sort: SortKey, descending: bool
    ) -> OverdueExport:
        """The whole list (in the order on screen) as CSV bytes."""
        with self.engine.connect() as conn:
            unit = self._unit(conn, code)
            full = overdue_dossiers(conn, unit, period, sort=sort, descending=descending, limit=None)
        return OverdueExport(full.total, overdue_csv(full.rows))

    def channels(self, code: str | None, period: Period) -> ChannelReport:
        def compute(conn: Connection) -> ChannelReport:
            return channel_report(conn, self._unit(conn, code), period)

        return self._cached(("channels", code, period), compute)

    def bieu06(self, code: str | None, period: Period) -> Bieu06Report:
        """Biểu số 06 for the unit from the period's first to its last day."""

        def compute(conn: Connection) -> Bieu06Report:
            return bieu06_report(conn, period.start, period.end, self._unit(conn, code))

        return self._cached(("bieu06", code, period), compute)

    def bieu06_bytes(self, code: str | None, period: Period, fmt: ReportFormat) -> bytes:
        return render(self.bieu06(code, period), fmt)
