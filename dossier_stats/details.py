"""What the detail tabs under the map read (trends, overdue list, channels, Biểu số 06),
for a unit code as the home page's view names it and a reporting period.

A thin service over the reports' own functions (trends.py, overdue.py, channels.py,
bieu06/): it opens its own connections, resolves the code (province, former district or
current commune) once per call, and caches the small results per data version
(data_state.version), as StatsService does for the map — switching back to a tab of
unchanged data costs one tiny query. Files to download (the full overdue list, the
report's bytes) are rendered on each request from the cached plain data.

Every result follows the as-of rule (asof.py): a period that has not ended is counted from
its first day to `today()` — the overdue list is taken on that day, Biểu 06 covers
[first day, today], the channels count what was received by today and the trends' running
month stops at today.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

from sqlalchemy import Connection

from dossier_stats.asof import correction_rows
from dossier_stats.bieu06.files import ReportFormat, render
from dossier_stats.bieu06.query import bieu06_report
from dossier_stats.bieu06.report import Bieu06Report
from dossier_stats.channels import ChannelReport, channel_report
from dossier_stats.overdue import OverduePage, SortKey, overdue_csv, overdue_dossiers
from dossier_stats.periods import Period
from dossier_stats.trends import DEFAULT_MONTHS, UnitTrends, unit_trends
from dossier_stats.unit_reader import UnitReader

T = TypeVar("T")
TREND_METRIC = "on_time_rate"  # the rank chart ranks siblings by the on-time rate


@dataclass(frozen=True)
class OverdueExport:
    total: int
    content: bytes  # CSV, UTF-8 with BOM
    as_of: date | None = None  # the day the list was taken


class DetailsService(UnitReader):
    def unit_name(self, code: str | None) -> str:
        return self._cached(("unit", code), lambda conn: self._unit(conn, code).name)

    def trends(self, code: str | None, end_month: int, months: int = DEFAULT_MONTHS) -> UnitTrends:
        """The unit's `months` months up to `end_month` (yyyymm), its parent's and the
        province's, and its monthly rank among its siblings by on-time rate; the month
        holding today is counted to today."""
        today = self.today()

        def compute(conn: Connection) -> UnitTrends:
            unit = self._unit(conn, code)
            return unit_trends(conn, unit, end_month, months, TREND_METRIC, as_of=today)

        return self._cached(("trends", code, end_month, months, today), compute)

    def overdue_page(
        self, code: str | None, period: Period, sort: SortKey, descending: bool, page: int, page_size: int
    ) -> OverduePage:
        """Page `page` (0-based) of the unit's overdue dossiers on the period's last day, or
        today while the period runs (days overdue counted to that day)."""
        if page < 0:
            raise ValueError(f"Số trang phải ≥ 0 (nhận {page}).")
        day = self.as_of(period).day
        with self._cache.session() as (conn, get):

            def compute() -> OverduePage:
                fixes = get(("asof-fixes", day), lambda: correction_rows(conn, day))
                unit = self._unit(conn, code)
                return overdue_dossiers(
                    conn,
                    unit,
                    day,
                    sort=sort,
                    descending=descending,
                    limit=page_size,
                    offset=page * page_size,
                    fixes=fixes,
                )

            return get(("overdue", code, day, sort, descending, page, page_size), compute)  # type: ignore[no-any-return]

    def overdue_export(
        self, code: str | None, period: Period, sort: SortKey, descending: bool, notes: Sequence[str] = ()
    ) -> OverdueExport:
        """The whole list (in the order on screen) as CSV bytes, its first line the as-of date,
        then `notes` (the rule, the source)."""
        day = self.as_of(period).day
        with self.engine.connect() as conn:
            unit = self._unit(conn, code)
            full = overdue_dossiers(conn, unit, day, sort=sort, descending=descending, limit=None)
        return OverdueExport(full.total, overdue_csv(full.rows, as_of=day, notes=notes), day)

    def channels(self, code: str | None, period: Period) -> ChannelReport:
        day = self.as_of(period).day

        def compute(conn: Connection) -> ChannelReport:
            return channel_report(conn, self._unit(conn, code), period, as_of=day)

        return self._cached(("channels", code, period, day), compute)

    def bieu06(self, code: str | None, period: Period) -> Bieu06Report:
        """Biểu số 06 for the unit from the period's first day to its last, or to today while
        the period runs (the report's `end` is then today)."""
        day = self.as_of(period).day

        def compute(conn: Connection) -> Bieu06Report:
            return bieu06_report(conn, period.start, day, self._unit(conn, code))

        return self._cached(("bieu06", code, period, day), compute)

    def bieu06_bytes(self, code: str | None, period: Period, fmt: ReportFormat) -> bytes:
        return render(self.bieu06(code, period), fmt)
