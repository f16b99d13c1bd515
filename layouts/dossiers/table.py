"""A page of dossiers as a table: headers that sort (links that change the URL, the server
sorts), a pager, the total; every cell is text (Dash escapes it)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from dash import dcc, html

from dossier_stats.dossier_list import DossierLine, DossierPage, SortKey
from layouts.common.dossier_links import lookup_href
from layouts.dossiers.ids import DossierIds
from layouts.dossiers.request import ListOrder
from vi_format import format_date, format_int

# (sort key, header) in the order of the columns
COLUMNS: tuple[tuple[SortKey, str], ...] = (
    ("code", "Mã hồ sơ"),
    ("procedure", "Thủ tục"),
    ("agency", "Cơ quan"),
    ("received", "Ngày tiếp nhận"),
    ("due", "Hạn trả"),
    ("finished", "Ngày kết thúc"),
    ("status", "Trạng thái"),
    ("channel", "Kênh"),
)
Href = Callable[[ListOrder], str]  # the URL of the same list in another order / page


def _header(key: SortKey, label: str, order: ListOrder, href: Href) -> html.Th:
    current = order.sort == key
    descending = not order.descending if current else False
    arrow = (" ▼" if order.descending else " ▲") if current else ""
    aria = ("descending" if order.descending else "ascending") if current else "none"
    hint = f"Sắp xếp theo {label.lower()} {'giảm dần' if descending else 'tăng dần'}"
    link = dcc.Link(
        label + arrow,
        href=href(ListOrder(key, descending, 0)),
        title=hint,
        className=f"sort-link sort-{key}",
    )
    return html.Th(link, **{"aria-sort": aria}, className="sorted" if current else None)


def _row(line: DossierLine) -> html.Tr:
    return html.Tr(
        [
            html.Td(dcc.Link(line.dossier_code, href=lookup_href(line.dossier_code)), className="code"),
            html.Td(line.procedure),
            html.Td(line.agency_name),
            html.Td(format_date(line.received_on), className="date"),
            html.Td(format_date(line.due_on), className="date"),
            html.Td(format_date(line.finished_on), className="date"),
            html.Td(line.status_text),
            html.Td(line.channel_text),
        ]
    )


def pages_of(page: DossierPage) -> int:
    size = page.limit or max(page.total, 1)
    return max(1, -(-page.total // size))


def pager(page: DossierPage, order: ListOrder, href: Href) -> html.Nav:
    """ "Hồ sơ 51–100 / 734 · Trang 2/15" with first, previous, next and last links."""
    count = pages_of(page)
    number = order.page
    first, last = (page.offset + 1, page.offset + len(page.rows)) if page.rows else (0, 0)
    summary = f"Hồ sơ {format_int(first)}–{format_int(last)} / {format_int(page.total)} · "
    summary += f"Trang {format_int(number + 1)}/{format_int(count)}"

    def step(text: str, target: int, name: str) -> html.Span | dcc.Link:
        if target == number or not 0 <= target < count:
            return html.Span(text, className="pager-off")
        return dcc.Link(text, href=href(replace(order, page=target)), className=f"pager-link pager-{name}")

    return html.Nav(
        [
            step("« Đầu", 0, "first"),
            step("‹ Trước", number - 1, "previous"),
            html.Span(summary, className="pager-summary", id=DossierIds.PAGER_SUMMARY),
            step("Sau ›", number + 1, "next"),
            step("Cuối »", count - 1, "last"),
        ],
        className="pager",
        **{"aria-label": "Chuyển trang"},
    )


def dossier_table(page: DossierPage, order: ListOrder, href: Href) -> html.Div:
    """The page's rows under sortable headers, the pager below (and above when long)."""
    if not page.rows:
        body = [html.Tr(html.Td("Không có hồ sơ nào.", colSpan=len(COLUMNS), className="muted"))]
    else:
        body = [_row(line) for line in page.rows]
    table = html.Table(
        [
            html.Thead(html.Tr([_header(key, label, order, href) for key, label in COLUMNS])),
            html.Tbody(body),
        ],
        className="dossier-table",
        id=DossierIds.TABLE,
    )
    return html.Div(
        [html.Div(table, className="dossier-scroll"), pager(page, order, href)], className="dossier-list"
    )
