"""Drill-through (issue 14 item 6): the dossiers behind a figure the dashboard shows.

Every count of the side panel, the rankings and Biểu 06 is one of COUNT_KINDS (a column
of the form) of a unit over a period counted to its as-of day, optionally narrowed to a
level (agencies.kind: department / district / commune, Biểu 06's level rows) and a sector
(field_code; "" for "Lĩnh vực khác", dossiers without a sector). The list holds exactly
the dossiers Biểu 06 counts in that cell — the same three index ranges and the same
classification (bieu06.query.in_period_parts, report_classes) — so its total is the
figure clicked; the map's KPIs (agency_month_stats) agree with Biểu 06 on every period.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, Connection, FromClause, or_, select

from db.schema import agencies
from dossier_stats.bieu06.query import in_period_parts, received_before, report_classes
from dossier_stats.bieu06.report import check_range
from dossier_stats.bieu06.unit import ReportUnit
from dossier_stats.dossier_list import BY_RECEIPT, LIST_COLUMNS, DossierPage, ListOrder, page_of

# kind -> (received classes, outcome classes) of bieu06.query.report_classes; None = any.
_CLASSES: dict[str, tuple[tuple[int, ...] | None, tuple[int, ...] | None]] = {
    "received_total": (None, None),
    "received_new": ((0, 1), None),
    "received_online": ((0,), None),
    "received_direct_postal": ((1,), None),
    "carried_over": ((2,), None),
    "resolved_total": (None, (0, 1, 2)),
    "resolved_early": (None, (0,)),
    "resolved_on_time": (None, (1,)),
    "resolved_late": (None, (2,)),
    "pending_total": (None, (3, 4)),
    "pending_within": (None, (3,)),
    "pending_overdue": (None, (4,)),
}
COUNT_KINDS: tuple[str, ...] = tuple(_CLASSES)  # the form's columns 3–13 and the new receipts (4 + 5)
COUNT_LABELS: dict[str, str] = {
    "received_total": "Số hồ sơ nhận giải quyết",
    "received_new": "Tiếp nhận mới trong kỳ",
    "received_online": "Tiếp nhận trực tuyến",
    "received_direct_postal": "Tiếp nhận trực tiếp, dịch vụ bưu chính",
    "carried_over": "Từ kỳ trước chuyển sang",
    "resolved_total": "Số hồ sơ đã giải quyết",
    "resolved_early": "Giải quyết trước hạn",
    "resolved_on_time": "Giải quyết đúng hạn",
    "resolved_late": "Giải quyết quá hạn",
    "pending_total": "Số hồ sơ đang giải quyết",
    "pending_within": "Đang giải quyết trong hạn",
    "pending_overdue": "Đang giải quyết quá hạn",
}
LEVELS = ("department", "district", "commune")


@dataclass(frozen=True)
class DrillCell:
    """The figure a list is behind: count `kind` (COUNT_KINDS), narrowed to one Biểu 06 row —
    a level (agencies.kind, LEVELS) and a sector (field_code, "" = none) — when given."""

    kind: str
    level: str | None = None
    sector: str | None = None


def check_kind(kind: str) -> None:
    if kind not in _CLASSES:
        raise ValueError(
            f"Không có số liệu {kind!r} để xem danh sách; chọn một trong: {', '.join(_CLASSES)}."
        )


def drill_rows(conn: Connection, unit: ReportUnit, start: date, end: date, cell: DrillCell) -> FromClause:
    """The dossiers behind the cell for the unit over [start, end] (end = the as-of day)."""
    kind, level, sector = cell.kind, cell.level, cell.sector
    check_kind(kind)
    check_range(start, end)
    if level is not None and level not in LEVELS:
        raise ValueError(f"Cấp không hợp lệ: {level!r}; chọn một trong: {', '.join(LEVELS)}.")
    names = tuple(dict.fromkeys((*LIST_COLUMNS, "field_code")))
    u = in_period_parts(start, end, unit, received_before(conn, start), names).subquery("in_report")
    received_class, outcome_class = report_classes(u, start, end)
    wanted_received, wanted_outcome = _CLASSES[kind]
    where: list[ColumnElement[bool]] = []
    if wanted_received is not None:
        where.append(received_class.in_(wanted_received))
    if wanted_outcome is not None:
        where.append(outcome_class.in_(wanted_outcome))
    if level is not None:
        where.append(u.c.agency_id.in_(select(agencies.c.id).where(agencies.c.kind == level)))
    if sector is not None:
        code = sector.strip()
        where.append(
            or_(u.c.field_code.is_(None), u.c.field_code == "") if not code else u.c.field_code == code
        )
    return select(*(u.c[name] for name in LIST_COLUMNS)).where(*where).subquery("drill")


def drill_page(
    conn: Connection,
    unit: ReportUnit,
    start: date,
    end: date,
    cell: DrillCell,
    order: ListOrder = BY_RECEIPT,
    page_size: int | None = 50,
) -> DossierPage:
    """One page of the dossiers behind the figure, with their count (`total`)."""
    return page_of(conn, drill_rows(conn, unit, start, end, cell), end, order, page_size)
