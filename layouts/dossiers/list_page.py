"""/dossiers: the dossiers behind one figure (drill-through, issue 14 item 6) — its title,
unit and period, "tính đến ngày …" for a running period, the total (the figure clicked), a
sortable and paged table, and the CSV of the whole list."""

from __future__ import annotations

from typing import Any

from dash import html

from dossier_stats.asof import AsOf
from dossier_stats.dossier_list import DossierPage
from layouts.common.dossier_links import DOSSIERS_PATH, EXPORT_PATH, drill_query
from layouts.common.urls import app_path
from layouts.dossiers.common import (
    download_link,
    heading,
    messages_box,
    page_frame,
    total_line,
)
from layouts.dossiers.ids import DossierIds
from layouts.dossiers.request import DrillRequest, ListOrder
from layouts.dossiers.table import dossier_table

LEVEL_LABELS = {"department": "cấp tỉnh (sở, ban, ngành)", "district": "cấp huyện", "commune": "cấp xã"}
PROMPT = (
    "Mở danh sách từ một con số trên bản đồ, bảng xếp hạng hoặc Biểu 06 "
    "(mỗi số là một liên kết tới các hồ sơ đằng sau nó)."
)


def list_page() -> html.Div:
    return page_frame(DOSSIERS_PATH, DossierIds.LIST_URL, DossierIds.LIST_CONTENT)


def list_skeleton() -> html.Div:
    return list_page()


def drill_order_href(request: DrillRequest, order: ListOrder, path: str = DOSSIERS_PATH) -> str:
    """The URL of the same list in another order or page (or its CSV, `path` EXPORT_PATH)."""
    assert request.period is not None and request.cell is not None
    return app_path(path) + drill_query(request.unit, request.period.key, request.cell, order)


def scope_text(unit_name: str, request: DrillRequest) -> str:
    """ "Phường Tam Kỳ — Tháng 9/2025 — cấp xã — lĩnh vực Đất đai"."""
    assert request.period is not None and request.cell is not None
    parts = [unit_name, request.period.label]
    level, sector = request.cell.level, request.cell.sector
    if level:
        parts.append(LEVEL_LABELS[level])
    if sector is not None:
        parts.append(f"lĩnh vực {sector}" if sector else "lĩnh vực khác (không ghi lĩnh vực)")
    return " — ".join(parts)


def drill_view(request: DrillRequest, unit_name: str, as_of: AsOf, page: DossierPage) -> list[Any]:
    """The list: heading, total and download, the table with its pager."""
    export = drill_order_href(request, ListOrder(request.order.sort, request.order.descending), EXPORT_PATH)
    return [
        messages_box(request.messages),
        html.Div(
            [
                heading(request.label, scope_text(unit_name, request), as_of.day, as_of.running),
                html.Div(
                    [total_line(page.total, "hồ sơ"), download_link(export)],
                    className="dossier-actions",
                ),
                dossier_table(page, request.order, lambda order: drill_order_href(request, order)),
            ],
            className="scoring-body",
        ),
    ]


def prompt_view(messages: list[str]) -> list[Any]:
    """A URL that names no usable figure: what went wrong, and where lists come from."""
    return [
        messages_box(messages, alert=True),
        html.Div(html.P(PROMPT, className="muted"), className="scoring-body scoring-empty"),
    ]
