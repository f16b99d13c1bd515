"""What the dossier lists under the figures read (issue 14 items 5, 6, 7): the dossiers
behind a count (drill.py), the dossiers due in the next working days (warnings.py), one
dossier by code (lookup.py), with their CSV files.

Like DetailsService: it opens its own connections, resolves a unit code (province, former
district, current commune, department or other agency code) once per call, follows the
as-of rule (a running period to `today()`) and caches pages per data version and day.
The lists are dossier-level data: the callbacks must check that the user's role may see
them (the accounts issue) before calling.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

from sqlalchemy import Connection

from dossier_stats.bieu06.unit import ReportUnit
from dossier_stats.dossier_list import BY_DUE_DAY, BY_RECEIPT, DossierPage, ListOrder, list_csv, page_of
from dossier_stats.drill import COUNT_LABELS, DrillCell, drill_rows
from dossier_stats.lookup import LookupResult, lookup_dossier
from dossier_stats.periods import Period
from dossier_stats.unit_reader import UnitReader
from dossier_stats.warnings import Window, due_soon_counts, due_soon_rows, window
from vi_format import as_of_text

T = TypeVar("T")


@dataclass(frozen=True)
class DossierExport:
    total: int
    content: bytes  # CSV, UTF-8 with BOM: title and as-of lines, header, rows
    as_of: date


@dataclass(frozen=True)
class DueSoonPage:
    window: Window
    page: DossierPage


@dataclass(frozen=True)
class DueSoonCounts:
    window: Window
    counts: dict[str, int]  # unit code -> dossiers due in the window (units with any)


def _check_page(order: ListOrder) -> None:
    if order.page < 0:
        raise ValueError(f"Số trang phải ≥ 0 (nhận {order.page}).")


class DossierListService(UnitReader):
    CACHE_NAME = "lists"

    def drill(
        self,
        code: str | None,
        period: Period,
        cell: DrillCell,
        order: ListOrder = BY_RECEIPT,
        page_size: int = 50,
    ) -> DossierPage:
        """Page `order.page` (0-based) of the dossiers behind the cell (drill.DrillCell) of the
        unit in the period counted to its as-of day; `total` is the figure itself."""
        _check_page(order)
        day = self.as_of(period).day

        def compute(conn: Connection) -> DossierPage:
            rows = drill_rows(conn, self._unit(conn, code), period.start, day, cell)
            return page_of(conn, rows, day, order, page_size)

        return self._cached(("drill", code, period, day, cell, order, page_size), compute)

    def drill_csv(
        self,
        code: str | None,
        period: Period,
        cell: DrillCell,
        order: ListOrder = BY_RECEIPT,
        notes: Sequence[str] = (),
    ) -> DossierExport:
        """The whole list behind the cell as CSV, in `order` (its page aside): title, as-of
        line, `notes` — the rule, the source —, header, rows."""
        day = self.as_of(period).day
        with self.engine.connect() as conn:
            unit = self._unit(conn, code)
            rows = drill_rows(conn, unit, period.start, day, cell)
            full = page_of(conn, rows, day, order, None)
        title = f"{COUNT_LABELS[cell.kind]} — {unit.name} — {period.label}"
        return DossierExport(full.total, list_csv(full.rows, [title, as_of_text(day), *notes]), day)

    def due_soon(
        self, code: str | None, working_days: int = 2, order: ListOrder = BY_DUE_DAY, page_size: int = 50
    ) -> DueSoonPage:
        """Page `order.page` of the unit's open dossiers due from today to the
        `working_days`-th working day after it (warnings.py)."""
        _check_page(order)
        when = window(self.today(), working_days)

        def compute(conn: Connection) -> DueSoonPage:
            rows = due_soon_rows(self._unit(conn, code), when)
            return DueSoonPage(when, page_of(conn, rows, when.today, order, page_size))

        return self._cached(("due_soon", code, when, order, page_size), compute)

    def due_soon_counts(
        self, level: str, district_code: str | None = None, working_days: int = 2
    ) -> DueSoonCounts:
        """Per unit of a level (district / commune of a district, or all / department): the
        dossiers due in the window, for the side panel and the map."""
        when = window(self.today(), working_days)
        return self._cached(
            ("due_soon_counts", level, district_code, when),
            lambda conn: DueSoonCounts(when, due_soon_counts(conn, when, level, district_code)),
        )

    def due_soon_csv(
        self,
        code: str | None,
        working_days: int = 2,
        order: ListOrder = BY_DUE_DAY,
        notes: Sequence[str] = (),
    ) -> DossierExport:
        when = window(self.today(), working_days)
        with self.engine.connect() as conn:
            unit = self._unit(conn, code)
            rows = due_soon_rows(unit, when)
            full = page_of(conn, rows, when.today, order, None)
        title = f"Hồ sơ sắp đến hạn — {unit.name} — {when.text}"
        return DossierExport(
            full.total, list_csv(full.rows, [title, as_of_text(when.today), *notes]), when.today
        )

    def unit(self, code: str | None) -> ReportUnit:
        """What a unit code names (province, district, commune, department, other agency);
        dossier_stats.bieu06.unit.UnknownUnit (a LookupError) when nothing has it."""
        return self._cached(("unit", code), lambda conn: self._unit(conn, code))

    def lookup(self, dossier_code: str) -> LookupResult:
        """One dossier by code, where it counts as of today (not cached: a single row)."""
        with self.engine.connect() as conn:
            return lookup_dossier(conn, dossier_code, self.today())
