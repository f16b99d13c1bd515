"""Lists of dossiers behind a figure (drill-through, early warning): the rows as plain data,
one page of them sorted on the server, and their CSV.

A list is a query (`FromClause`) of dossiers with the columns of LIST_COLUMNS; `page_of`
counts it, sorts it by one of SORT_KEYS (ties by dossier code) and reads one page with the
agency's code and name. `list_csv` writes rows for download: an "as of" line, the header,
dates dd/mm/yyyy, status and channel in words, text cells neutralised (spreadsheet_safety).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

from sqlalchemy import ColumnElement, Connection, FromClause, func, select

from db.schema import agencies, dossiers
from dossier_stats.bieu06.query import run_indexed
from dossier_stats.overdue import CSV_HEADER as OVERDUE_HEADER
from dossier_stats.overdue import check_page_request, identity_cells
from spreadsheet_safety import csv_bytes

SortKey = Literal["code", "procedure", "agency", "received", "due", "finished", "status", "channel"]
SORT_KEYS: tuple[SortKey, ...] = (
    "code",
    "procedure",
    "agency",
    "received",
    "due",
    "finished",
    "status",
    "channel",
)
LIST_COLUMNS = (
    "dossier_code",
    "procedure_code",
    "procedure_name",
    "agency_id",
    "received_on",
    "due_on",
    "finished_on",
    "status",
    "channel",
)
MAX_PAGE = 1000

STATUS_TEXT = {
    1: "Mới đăng ký",
    2: "Đã tiếp nhận",
    3: "Không được tiếp nhận",
    4: "Đang xử lý",
    5: "Yêu cầu bổ sung",
    6: "Chờ thực hiện nghĩa vụ tài chính",
    7: "Công dân rút hồ sơ",
    8: "Dừng xử lý",
    9: "Đã xử lý xong",
    10: "Đã trả kết quả",
}
CHANNEL_TEXT = {1: "Trực tiếp", 2: "Trực tuyến", 3: "Bưu chính công ích"}
# The overdue list's columns up to the deadline, then the end, the status and the channel.
CSV_HEADER = (*OVERDUE_HEADER[:7], "Ngày kết thúc xử lý", "Trạng thái", "Kênh")


@dataclass(frozen=True)
class DossierLine:
    dossier_code: str
    procedure_code: str
    procedure_name: str | None
    agency_code: str
    agency_name: str
    received_on: date | None
    due_on: date | None
    finished_on: date | None
    status: int
    channel: int

    @property
    def procedure(self) -> str:
        return self.procedure_name or self.procedure_code

    @property
    def status_text(self) -> str:
        return STATUS_TEXT.get(self.status, f"Trạng thái {self.status}")

    @property
    def channel_text(self) -> str:
        return CHANNEL_TEXT.get(self.channel, CHANNEL_TEXT[1])  # a missing channel counts as direct


@dataclass(frozen=True)
class ListOrder:
    """Sort and page of a dossier list (the URL's `sort`, `desc`, `page`, 1-based in the URL)."""

    sort: SortKey
    descending: bool = False
    page: int = 0  # 0-based


BY_RECEIPT = ListOrder("received")  # the drill-through's default order
BY_DUE_DAY = ListOrder("due")  # the early warning's


@dataclass(frozen=True)
class DossierPage:
    as_of: date  # the day the figure behind the list is counted to
    total: int  # rows of the whole list, whatever the page
    rows: list[DossierLine]
    sort: SortKey
    descending: bool
    limit: int | None
    offset: int


def list_columns() -> list[ColumnElement]:
    return [dossiers.c[name] for name in LIST_COLUMNS]


def check_page(sort: str, limit: int | None, offset: int) -> None:
    check_page_request(sort, SORT_KEYS, limit, MAX_PAGE, offset)


def _sort_column(rows: FromClause, key: SortKey) -> ColumnElement:
    return {
        "code": rows.c.dossier_code,
        "procedure": func.coalesce(rows.c.procedure_name, rows.c.procedure_code),
        "agency": agencies.c.name,
        "received": rows.c.received_on,
        "due": rows.c.due_on,
        "finished": rows.c.finished_on,
        "status": rows.c.status,
        "channel": rows.c.channel,
    }[key]


def page_of(
    conn: Connection, rows: FromClause, as_of: date, order: ListOrder, page_size: int | None = 50
) -> DossierPage:
    """Page `order.page` of the list `rows` (columns LIST_COLUMNS), sorted by `order.sort`
    then dossier code, with the count of the whole list; `page_size` None: every row (for a
    download)."""
    sort, descending, limit = order.sort, order.descending, page_size
    offset = 0 if page_size is None else order.page * page_size
    check_page(sort, limit, offset)
    total = run_indexed(conn, select(func.count()).select_from(rows))[0][0]
    column = _sort_column(rows, sort)
    primary = column.desc() if descending else column.asc()
    query = (
        select(rows, agencies.c.code.label("agency_code"), agencies.c.name.label("agency_name"))
        .select_from(rows.join(agencies, agencies.c.id == rows.c.agency_id))
        .order_by(primary.nulls_last(), rows.c.dossier_code.asc())
        .offset(offset)
    )
    if limit is not None:
        query = query.limit(limit)
    lines = [
        DossierLine(
            r.dossier_code,
            r.procedure_code,
            r.procedure_name,
            r.agency_code,
            r.agency_name,
            r.received_on,
            r.due_on,
            r.finished_on,
            r.status,
            r.channel,
        )
        for r in run_indexed(conn, query)
    ]
    return DossierPage(as_of, int(total), lines, sort, descending, limit, offset)


def _day(value: date | None) -> str:
    return "" if value is None else f"{value:%d/%m/%Y}"


def list_csv(rows: Sequence[DossierLine], lines_before: Sequence[str] = ()) -> bytes:
    """The rows as CSV: `lines_before` (the title, "Số liệu tính đến ngày …"), the header,
    one line per dossier; UTF-8 with BOM, CRLF; text that could run as a formula quoted."""
    return csv_bytes(
        CSV_HEADER,
        (
            (
                *identity_cells(r),
                _day(r.received_on),
                _day(r.due_on),
                _day(r.finished_on),
                r.status_text,
                r.channel_text,
            )
            for r in rows
        ),
        before=[[line] for line in lines_before],
    )
