"""The "Hồ sơ quá hạn" tab: the unit's pending-overdue dossiers at the period's last day,
sorted on the server (dossier_stats.overdue) and shown a page at a time.

Pure: the sort/page state after a click (`OverdueState`), the table of one page, the pager
text, the file name of the CSV download. A click on a column header sorts by it (its
natural direction first: most days overdue first, names and codes A→Z, dates oldest
first); a second click on the same header reverses the order. Sorting goes back to page 1.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, replace
from datetime import date
from typing import Any

from dash import dcc, html

from dossier_stats.overdue import SORT_KEYS, OverdueDossier, OverduePage, SortKey
from dossier_stats.periods import Period
from layouts.home.details.ids import DetailsIds, sort_header_id
from layouts.home.details.trends import in_sentence
from vi_format import format_date, format_int

PAGE_SIZE = 50
# (sort key, header, numeric column)
COLUMNS: tuple[tuple[SortKey, str, bool], ...] = (
    ("code", "Mã hồ sơ", False),
    ("procedure", "Thủ tục", False),
    ("agency", "Cơ quan", False),
    ("received", "Ngày tiếp nhận", True),
    ("due", "Ngày hẹn trả", True),
    ("days_overdue", "Số ngày quá hạn", True),
)
FIRST_DESCENDING: frozenset[SortKey] = frozenset({"days_overdue"})  # the first click's direction
EMPTY_TEXT = "Không có hồ sơ đang giải quyết quá hạn."


@dataclass(frozen=True)
class OverdueState:
    """What the table shows: sort key, direction and page (0-based)."""

    sort: SortKey = "days_overdue"
    descending: bool = True
    page: int = 0

    def to_store(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_store(cls, data: Mapping[str, Any] | None) -> OverdueState:
        """The state a store holds; the default for anything missing or not understood."""
        if not data:
            return cls()
        sort = data.get("sort")
        page = data.get("page")
        return cls(
            sort=sort if sort in SORT_KEYS else cls.sort,
            descending=bool(data.get("descending", cls.descending)),
            page=page if isinstance(page, int) and page >= 0 else 0,
        )


def sorted_by(state: OverdueState, key: str) -> OverdueState:
    """The state after a click on a column header: same column → reversed; another column →
    sorted by it in its natural direction; back to the first page either way."""
    if key not in SORT_KEYS:
        raise ValueError(f"Không sắp xếp được theo cột {key!r}; chọn một trong: {', '.join(SORT_KEYS)}.")
    if key == state.sort:
        return OverdueState(state.sort, not state.descending, 0)
    return OverdueState(key, key in FIRST_DESCENDING, 0)  # type: ignore[arg-type]


def page_count(total: int, page_size: int = PAGE_SIZE) -> int:
    return max(1, -(-total // page_size))


def moved(state: OverdueState, step: int, total: int, page_size: int = PAGE_SIZE) -> OverdueState:
    """The state after "previous" (-1) or "next" (+1), kept within the pages there are."""
    last = page_count(total, page_size) - 1
    return replace(state, page=min(max(state.page + step, 0), last))


def _header_cell(key: SortKey, label: str, numeric: bool, state: OverdueState) -> html.Th:
    active = key == state.sort
    arrow = ("▼" if state.descending else "▲") if active else ""
    order = "descending" if state.descending else "ascending"
    return html.Th(
        html.Button(
            [label, html.Span(arrow, className="sort-arrow")],
            id=sort_header_id(key),
            className="sort-button active" if active else "sort-button",
            title=f"Sắp xếp theo {label.lower()}",
        ),
        className="num" if numeric else None,
        **{"aria-sort": order if active else "none"},
    )


def row_cells(r: OverdueDossier) -> list[str]:
    """One dossier as the table shows it."""
    return [
        r.dossier_code,
        r.procedure,
        r.agency_name,
        format_date(r.received_on),
        format_date(r.due_on),
        format_int(r.days_overdue),
    ]


def overdue_table(page: OverduePage, state: OverdueState) -> html.Table:
    head = html.Thead(html.Tr([_header_cell(k, label, n, state) for k, label, n in COLUMNS]))
    body_rows = [
        html.Tr(
            [
                html.Td(text, className="num" if numeric else None)
                for text, (_, _, numeric) in zip(row_cells(r), COLUMNS, strict=True)
            ]
        )
        for r in page.rows
    ]
    if not body_rows:
        body_rows = [html.Tr(html.Td(EMPTY_TEXT, colSpan=len(COLUMNS), className="empty"))]
    return html.Table([head, html.Tbody(body_rows)], className="details-table overdue-table")


def pager_text(page: OverduePage, page_size: int = PAGE_SIZE) -> str:
    """ "Trang 2/12 · hồ sơ 51–100 trong 587"."""
    if page.total == 0:
        return "Trang 1/1"
    first = page.offset + 1
    last = page.offset + len(page.rows)
    return (
        f"Trang {page.offset // page_size + 1}/{page_count(page.total, page_size)} · "
        f"hồ sơ {format_int(first)}–{format_int(last)} trong {format_int(page.total)}"
    )


def table_block(
    page: OverduePage, state: OverdueState, summary: str, page_size: int = PAGE_SIZE
) -> list[Any]:
    """What a sort, page or data change replaces: the summary with "Tải CSV", the table and
    its pager."""
    last_page = page_count(page.total, page_size) - 1
    return [
        html.Div(
            [
                html.P(summary, className="details-caption"),
                html.Button(
                    "Tải CSV",
                    id=DetailsIds.OVERDUE_CSV,
                    className="details-button",
                    disabled=page.total == 0,
                    title="Tải toàn bộ danh sách (CSV, theo thứ tự đang sắp xếp)",
                ),
                html.Span(id=DetailsIds.OVERDUE_MESSAGE, className="details-inline-error", role="alert"),
                dcc.Download(id=DetailsIds.OVERDUE_DOWNLOAD),
            ],
            className="details-toolbar",
        ),
        html.Div(overdue_table(page, state), className="details-table-scroll"),
        html.Div(
            [
                html.Button(
                    "‹ Trang trước",
                    id=DetailsIds.OVERDUE_PREV,
                    className="pager-button",
                    disabled=state.page <= 0,
                ),
                html.Span(pager_text(page, page_size), className="pager-text"),
                html.Button(
                    "Trang sau ›",
                    id=DetailsIds.OVERDUE_NEXT,
                    className="pager-button",
                    disabled=state.page >= last_page,
                ),
            ],
            className="pager",
        ),
    ]


def summary_text(total: int, unit_name: str, period: Period, today: date) -> str:
    """ "Huyện X: 12 hồ sơ đang giải quyết quá hạn tại ngày 31/10/2026 (cuối tháng 10/2026).",
    with a word on periods still running (counted to today, as on the map)."""
    running = period.end > today
    when = (
        f"tại ngày {format_date(today)} (hôm nay)"
        if running
        else f"tại ngày {format_date(period.end)} (cuối {in_sentence(period.label)})"
    )
    text = (
        f"{unit_name}: {format_int(total)} hồ sơ đang giải quyết quá hạn {when}."
        if total
        else f"{unit_name}: không có hồ sơ đang giải quyết quá hạn {when}."
    )
    if running:
        text += (
            f" Kỳ chưa kết thúc: số liệu tính đến ngày {format_date(today)}, hạn trả được so với ngày"
            " hôm nay, như trên bản đồ."
        )
    return text


def overdue_filename(unit_code: str, period: Period) -> str:
    """ "ho_so_qua_han_502_2026-10.csv"."""
    return f"ho_so_qua_han_{unit_code}_{period.key}.csv"


def overdue_tab(
    page: OverduePage, state: OverdueState, summary: str, page_size: int = PAGE_SIZE
) -> list[Any]:
    """The tab: the sort/page state, the replaceable block (summary, "Tải CSV", table, pager)
    and how the list is made."""
    return [
        dcc.Store(id=DetailsIds.OVERDUE_STATE, data=state.to_store()),
        dcc.Store(id=DetailsIds.OVERDUE_CLICK),
        html.Div(table_block(page, state, summary, page_size), id=DetailsIds.OVERDUE_TABLE),
        html.P(
            "Hồ sơ đang giải quyết quá hạn: chưa kết thúc xử lý và đã qua ngày hẹn trả vào ngày cuối kỳ "
            "(không tính hồ sơ đang tạm dừng). Nhấn tên cột để sắp xếp; nhấn lần nữa để đảo chiều.",
            className="hint",
        ),
    ]
