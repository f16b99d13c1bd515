"""The Biểu 06 report as plain data: its rows (per level, then per sector, subtotals and the
grand total), how they are ordered, the form's columns 3–13; no database, no writer.

A report's rows come from the query (query.bieu06_report); the CSV and XLSX writers
(csv_writer, xlsx_writer) read this data and nothing else.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from dossier_stats.bieu06.unit import ReportUnit
from dossier_stats.kpis import Kpis
from dossier_stats.rules import RULES_NOTE

LEVELS: tuple[tuple[str, str], ...] = (
    ("department", "Cấp tỉnh — sở, ban, ngành"),
    ("district", "Cấp huyện"),
    ("commune", "Cấp xã"),
    # district committees in an edition without districts (bieu06/edition.py)
    ("former_district", "Hồ sơ của UBND cấp huyện"),
)
LEVEL_LABELS = dict(LEVELS)
OTHER_SECTOR = "Lĩnh vực khác"
TOTAL_LABEL = "Tổng cộng"

RowType = Literal["sector", "subtotal", "total"]


class InvalidRange(ValueError):
    """The report period is not a valid date range (Vietnamese message)."""


def check_range(start: date, end: date) -> None:
    if start > end:
        raise InvalidRange(
            f"Kỳ báo cáo không hợp lệ: ngày bắt đầu {start:%d/%m/%Y} sau ngày kết thúc {end:%d/%m/%Y}."
        )


@dataclass(frozen=True)
class Bieu06Row:
    row_type: RowType
    level: str | None  # department | district | commune; None on the total row
    field_code: str | None  # None on subtotal/total rows and for "Lĩnh vực khác"
    label: str  # the sector name, the level name, or "Tổng cộng"
    counts: Kpis


@dataclass(frozen=True)
class Bieu06Report:
    start: date
    end: date
    unit: ReportUnit
    rows: list[Bieu06Row]
    rules_note: str = field(default=RULES_NOTE)
    # the administrative edition the levels follow (the one valid on `end`), for the footer
    edition_note: str | None = None

    @property
    def total(self) -> Kpis:
        return self.rows[-1].counts

    def level_rows(self, level: str) -> list[Bieu06Row]:
        """The subtotal row of a level, then its sector rows (empty when it has no data)."""
        return [r for r in self.rows if r.level == level]


# Columns 3–13 of the form: the Kpis counts, in the form's order (also the drill-through
# count kinds of Biểu 06's cells, layouts.common.dossier_links.BIEU06_KINDS).
COUNT_COLUMNS: tuple[str, ...] = (
    "received_total",
    "received_online",
    "received_direct_postal",
    "carried_over",
    "resolved_total",
    "resolved_early",
    "resolved_on_time",
    "resolved_late",
    "pending_total",
    "pending_within",
    "pending_overdue",
)


def _sector_order(row: Bieu06Row) -> tuple[bool, str]:
    return (row.field_code is None, row.field_code or "")


def build_rows(by_level: dict[str, list[Bieu06Row]], labels: dict[str, str] | None = None) -> list[Bieu06Row]:
    """Levels in the form's order (other agency kinds after them), each as its subtotal
    row followed by its sector rows (by sector code, "Lĩnh vực khác" last); the total last.
    `labels`: the levels' names (default LEVEL_LABELS; an edition's, bieu06/edition.py)."""
    labels = labels or LEVEL_LABELS
    order = [kind for kind, _ in LEVELS] + sorted(k for k in by_level if k not in LEVEL_LABELS)
    rows: list[Bieu06Row] = []
    grand = Kpis()
    for level in order:
        sectors = sorted(by_level.get(level, []), key=_sector_order)
        if not sectors:
            continue
        subtotal = sum((s.counts for s in sectors), Kpis())
        grand = grand + subtotal
        rows.append(Bieu06Row("subtotal", level, None, labels.get(level, level), subtotal))
        rows.extend(sectors)
    rows.append(Bieu06Row("total", None, None, TOTAL_LABEL, grand))
    return rows


def column_values(k: Kpis) -> list[int]:
    """Columns 3–13 of the form, in order."""
    return [getattr(k, name) for name in COUNT_COLUMNS]


def sector_rows(report: Bieu06Report) -> Sequence[Bieu06Row]:
    return [r for r in report.rows if r.row_type == "sector"]
