"""/dossiers/due-soon (cảnh báo sớm, issue 14 item 5): the open dossiers due within the next
1–2 working days (Việt Nam's holidays and substituted days off counted), per unit and as a
sortable, paged list with its CSV; and the units whose metric worsened three periods in a
row."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from dash import dcc, html

from dossier_stats.analysis import Worsening
from dossier_stats.lists_service import DueSoonPage
from dossier_stats.warnings import WINDOWS
from layouts.common.dossier_links import DUE_SOON_EXPORT_PATH, DUE_SOON_PATH
from layouts.common.urls import query_search
from layouts.dossiers.common import download_link, heading, messages_box, page_frame, total_line
from layouts.dossiers.ids import DossierIds
from layouts.dossiers.request import DueSoonRequest, ListOrder
from layouts.dossiers.table import dossier_table
from vi_format import format_int, format_number

TITLE = "Cảnh báo sớm: hồ sơ sắp đến hạn"
RULE = (
    "Hồ sơ đang giải quyết (không tính hồ sơ tạm dừng chờ bổ sung, chờ nghĩa vụ tài chính) có hạn trả "
    "từ hôm nay đến hết ngày làm việc thứ {n} tới; ngày làm việc không tính thứ Bảy, Chủ nhật, "
    "ngày lễ, Tết và ngày nghỉ bù của Việt Nam. Hồ sơ đã quá hạn nằm trong danh sách quá hạn."
)


@dataclass(frozen=True)
class UnitCount:
    code: str
    name: str
    count: int


def due_soon_page() -> html.Div:
    return page_frame(DUE_SOON_PATH, DossierIds.DUE_URL, DossierIds.DUE_CONTENT)


def due_soon_skeleton() -> html.Div:
    return due_soon_page()


def due_soon_order_href(request: DueSoonRequest, order: ListOrder, path: str = DUE_SOON_PATH) -> str:
    return path + query_search(
        {
            "unit": request.unit,
            "days": request.days if request.days != 2 else None,
            "sort": order.sort if order.sort != "due" else None,
            "desc": "1" if order.descending else None,
            "page": order.page + 1 if order.page else None,
        }
    )


def unit_href(code: str | None, days: int) -> str:
    return DUE_SOON_PATH + query_search({"unit": code, "days": days if days != 2 else None})


def _window_choice(request: DueSoonRequest) -> html.P:
    links: list[Any] = ["Hạn trả trong: "]
    for n in WINDOWS:
        text = f"{n} ngày làm việc tới"
        links.append(
            html.Strong(text)
            if n == request.days
            else dcc.Link(text, href=unit_href(request.unit, n), className=f"window-{n}")
        )
        links.append(" · " if n != WINDOWS[-1] else "")
    return html.P(links, className="window-choice")


def counts_table(title: str, rows: Sequence[UnitCount], days: int) -> html.Div | None:
    """Units with dossiers due in the window, most first; each count opens its unit's list."""
    if not rows:
        return None
    ordered = sorted(rows, key=lambda r: (-r.count, r.name))
    body = [
        html.Tr(
            [
                html.Td(r.name),
                html.Td(
                    dcc.Link(format_int(r.count), href=unit_href(r.code, days), className="drill-link"),
                    className="num",
                ),
            ]
        )
        for r in ordered
    ]
    return html.Div(
        [
            html.H3(title),
            html.Table(
                [html.Thead(html.Tr([html.Th("Đơn vị"), html.Th("Số hồ sơ")])), html.Tbody(body)],
                className="kpi-table warning-counts",
            ),
        ],
        className="warning-block",
    )


def worsening_block(title: str, rows: Sequence[Worsening], percent: bool) -> html.Div:
    """Units whose metric worsened in each of the last three periods (values oldest first)."""
    if not rows:
        return html.Div([html.H3(title), html.P("Không có đơn vị nào.", className="muted")])

    def shown(value: float) -> str:
        return f"{format_number(value)}%" if percent else format_number(value)

    items = [
        html.Li(
            f"{w.name}: "
            + " → ".join(f"{shown(v)} ({p.label})" for p, v in zip(w.periods, w.values, strict=True))
        )
        for w in rows
    ]
    return html.Div([html.H3(title), html.Ul(items, className="worsening-list")], className="warning-block")


def due_soon_view(
    request: DueSoonRequest,
    unit_name: str,
    page: DueSoonPage,
    counts: Mapping[str, Sequence[UnitCount]],
    extra: Sequence[Any] = (),
) -> list[Any]:
    """The window, the per-unit counts, the list with its CSV, then `extra` (worsening units)."""
    window = page.window
    export = due_soon_order_href(
        request, ListOrder(request.order.sort, request.order.descending), DUE_SOON_EXPORT_PATH
    )
    return [
        messages_box(request.messages),
        html.Div(
            [
                heading(TITLE, f"{unit_name} — {window.text}", window.today, False),
                _window_choice(request),
                html.P(RULE.format(n=window.working_days), className="muted rule-note"),
                html.Div(
                    [counts_table(t, rows, request.days) for t, rows in counts.items()],
                    className="warning-grid",
                ),
                html.Div(
                    [total_line(page.page.total, "hồ sơ sắp đến hạn"), download_link(export)],
                    className="dossier-actions",
                ),
                dossier_table(page.page, request.order, lambda order: due_soon_order_href(request, order)),
                *extra,
            ],
            className="scoring-body",
        ),
    ]
