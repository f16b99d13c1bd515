"""Links to the dossier pages (drill-through list, early warning, lookup): pure functions
every page uses to turn a count it shows into the link of the dossiers behind it.

`/dossiers?unit=502&period=2026-10&count=pending_overdue` lists the dossiers behind one
figure (dossier_stats.drill.COUNT_KINDS); `level` (department / district / commune) and
`sector` (a field code, NO_SECTOR for "Lĩnh vực khác") narrow it to one row of Biểu 06;
`sort`, `desc` and `page` choose the page shown. Every href is under the app's URL prefix
(layouts.common.urls.app_path). The pages themselves live in layouts/dossiers/ and
callbacks/dossiers/.
"""

from __future__ import annotations

from dash import dcc, html

from dossier_stats.bieu06.report import COUNT_COLUMNS
from dossier_stats.dossier_list import ListOrder
from dossier_stats.drill import DrillCell
from layouts.common.urls import app_path, query_search

DOSSIERS_PATH = "/dossiers"  # the list behind a figure
DUE_SOON_PATH = "/dossiers/due-soon"  # cảnh báo: due within the next working days
LOOKUP_PATH = "/dossiers/lookup"  # tra cứu hồ sơ
EXPORT_PATH = "/dossiers/export.csv"  # the list's CSV (a plain HTTP route)
DUE_SOON_EXPORT_PATH = "/dossiers/due-soon.csv"
NO_SECTOR = "-"  # the URL's value for dossiers without a sector ("Lĩnh vực khác")


def drill_query(unit: str | None, period_key: str, cell: DrillCell, order: ListOrder | None = None) -> str:
    """ "?unit=…&period=…&count=…" (the other values only when they are not the default);
    `sector` "" (no sector) is written NO_SECTOR; the order (sort, desc, page) when given."""
    sector = cell.sector
    return query_search(
        {
            "unit": unit,
            "period": period_key,
            "count": cell.kind,
            "level": cell.level,
            "sector": None if sector is None else (sector.strip() or NO_SECTOR),
            "sort": None if order is None else order.sort,
            "desc": "1" if order is not None and order.descending else None,
            "page": order.page + 1 if order is not None and order.page > 0 else None,
        }
    )


def drill_href(
    unit: str | None,
    period_key: str,
    count: str,
    *,
    level: str | None = None,
    sector: str | None = None,
) -> str:
    """The list of the dossiers behind a figure: count `count` of unit `unit` (None: the
    province) in the period, optionally one Biểu 06 row (level, sector)."""
    return app_path(DOSSIERS_PATH + drill_query(unit, period_key, DrillCell(count, level, sector)))


def drill_export_href(
    unit: str | None, period_key: str, cell: DrillCell, order: ListOrder | None = None
) -> str:
    """The CSV of the same list (every row), in the order shown."""
    return app_path(EXPORT_PATH + drill_query(unit, period_key, cell, order))


def due_soon_href(unit: str | None = None, days: int = 2) -> str:
    """The dossiers of a unit due within the next `days` working days (1 or 2)."""
    return app_path(DUE_SOON_PATH + query_search({"unit": unit, "days": days if days != 2 else None}))


def lookup_href(code: str | None = None) -> str:
    return app_path(LOOKUP_PATH + query_search({"code": code}))


def count_link(text: str, href: str, label: str | None = None) -> dcc.Link:
    """A figure shown as a link to the dossiers behind it (`label`: what the link opens,
    for screen readers and the tooltip)."""
    return dcc.Link(text, href=href, className="drill-link", title=label or "Xem danh sách hồ sơ")


def count_anchor(text: str, href: str, label: str | None = None) -> html.A:
    """The same as a plain anchor (inside tables drawn in the browser from data)."""
    return html.A(text, href=href, className="drill-link", title=label or "Xem danh sách hồ sơ")


# -- which count a figure is -----------------------------------------------------------------

# The side panel's rows (layouts/home/panels.kpi_table): label -> count kind, in its order.
PANEL_KINDS: tuple[tuple[str, str], ...] = (
    ("Tiếp nhận", "received_total"),
    ("Trực tuyến", "received_online"),
    ("Trực tiếp, bưu chính", "received_direct_postal"),
    ("Từ kỳ trước", "carried_over"),
    ("Đã giải quyết", "resolved_total"),
    ("Trước hạn", "resolved_early"),
    ("Đúng hạn", "resolved_on_time"),
    ("Quá hạn", "resolved_late"),
    ("Đang giải quyết", "pending_total"),
    ("Trong hạn", "pending_within"),
    ("Quá hạn", "pending_overdue"),
)
# Biểu 06's eleven count columns (layouts/home/details/report.PREVIEW_COLUMNS), in order.
BIEU06_KINDS: tuple[str, ...] = COUNT_COLUMNS
# A dossier metric whose value is a count: the count it is (rates are no list).
METRIC_KINDS: dict[str, str] = {"pending_overdue": "pending_overdue", "received": "received_new"}
# The dossier rankings' extra columns (layouts/home/map_metrics.DOSSIER_COLUMNS) -> their counts.
COLUMN_KINDS: dict[str, str] = {"Tiếp nhận": "received_total", "Đang quá hạn": "pending_overdue"}


def ranking_cell_links(
    code: str, period_key: str, metric_key: str, columns: tuple[str, ...], family: str = "dossiers"
) -> list[str | None]:
    """For a ranking row: the link of its value, then of each extra column (None where the
    cell is no dossier count: rates, index points, grades)."""
    if family != "dossiers":
        return [None] * (1 + len(columns))
    value = METRIC_KINDS.get(metric_key)
    links = [None if value is None else drill_href(code, period_key, value)]
    for column in columns:
        kind = COLUMN_KINDS.get(column)
        links.append(None if kind is None else drill_href(code, period_key, kind))
    return links


def bieu06_cell_href(unit: str | None, period_key: str, column: int, level: str | None = None) -> str:
    """The list behind Biểu 06's count column `column` (0-based among BIEU06_KINDS) of a level
    subtotal (`level`: department / district / commune) or the grand total (None)."""
    return drill_href(unit, period_key, BIEU06_KINDS[column], level=level)
