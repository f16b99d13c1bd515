"""The overdue list (hồ sơ đang giải quyết quá hạn): the dossiers of a unit that are pending
and past their deadline on the last day of a period, as Biểu số 06 column 13 counts them.

On the day E (the period's last day) a dossier is listed when it counts (status not 1 or
3, received_on known), was received by E, is not paused (5, 6, 8 count as within
deadline), had not ended by E (resolved or withdrawn later, or not at all), and its
deadline (due_on, else received_on) is before E. Days overdue = E − deadline.

Read from the dossiers table through the same indexes as the report: the dossiers that
ended after E, and the ones that never ended.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Literal

from sqlalchemy import ColumnElement, Connection, FromClause, Select, func, select, text, union_all

from db.schema import agencies, dossiers
from dossier_stats.bieu06.query import ENDING_STATUSES, OPEN_SQL, received_before, run_indexed
from dossier_stats.bieu06.unit import ReportUnit
from dossier_stats.periods import Period
from dossier_stats.rules import NOT_COUNTED_STATUSES, PAUSED_STATUSES
from spreadsheet_safety import csv_bytes
from vi_format import as_of_text

SortKey = Literal["code", "procedure", "agency", "received", "due", "days_overdue"]
SORT_KEYS: tuple[SortKey, ...] = ("code", "procedure", "agency", "received", "due", "days_overdue")
DEFAULT_LIMIT = 50
MAX_LIMIT = 10_000

CSV_HEADER = (
    "Mã hồ sơ",
    "Mã thủ tục",
    "Tên thủ tục",
    "Mã cơ quan",
    "Cơ quan",
    "Ngày tiếp nhận",
    "Ngày hẹn trả",
    "Số ngày quá hạn",
)


@dataclass(frozen=True)
class OverdueDossier:
    dossier_code: str
    procedure_code: str
    procedure_name: str | None
    agency_code: str
    agency_name: str
    received_on: date
    due_on: date  # the deadline (received_on when the dossier has no due date)
    days_overdue: int

    @property
    def procedure(self) -> str:
        return self.procedure_name or self.procedure_code


@dataclass(frozen=True)
class OverduePage:
    as_of: date
    total: int  # overdue dossiers of the unit on as_of, whatever the page
    rows: list[OverdueDossier]
    sort: SortKey
    descending: bool
    limit: int | None
    offset: int


def as_of_day(period: Period | tuple[date, date] | date) -> date:
    """The day the list is taken: a period's last day, the end of a (from, to) range, or a day."""
    if isinstance(period, Period):
        return period.end
    if isinstance(period, tuple):
        start, end = period
        if start > end:
            raise ValueError(f"Kỳ không hợp lệ: từ ngày {start:%d/%m/%Y} sau đến ngày {end:%d/%m/%Y}.")
        return end
    return period


def _overdue(unit: ReportUnit, day: date, received_by_day: ColumnElement[bool]) -> Select:
    """Every overdue dossier on `day` (the listed columns), as two disjoint index ranges;
    `received_by_day` is `received_before(conn, day + 1 day)`."""
    d = dossiers.c
    ids = unit.agency_ids()
    common = [
        d.status.not_in(sorted(NOT_COUNTED_STATUSES | PAUSED_STATUSES)),
        func.coalesce(d.due_on, d.received_on) < day,
        *([] if ids is None else [d.agency_id.in_(ids)]),
    ]
    columns = (
        d.dossier_code,
        d.procedure_code,
        d.procedure_name,
        d.agency_id,
        d.received_on,
        func.coalesce(d.due_on, d.received_on).label("deadline"),
    )
    ended_later = select(*columns).where(
        received_by_day, d.finished_on > day, d.status.in_(ENDING_STATUSES), *common
    )
    never_ended = select(*columns).where(d.received_on <= day, text(f"({OPEN_SQL})"), *common)
    return union_all(ended_later, never_ended)


def _sort_columns(rows: FromClause, key: SortKey, descending: bool) -> list[ColumnElement]:
    column: ColumnElement = {
        "code": rows.c.dossier_code,
        "procedure": func.coalesce(rows.c.procedure_name, rows.c.procedure_code),
        "agency": agencies.c.name,
        "received": rows.c.received_on,
        "due": rows.c.deadline,
        "days_overdue": rows.c.deadline,  # more days overdue = earlier deadline
    }[key]
    reverse = descending != (key == "days_overdue")
    primary = column.desc() if reverse else column.asc()
    return [primary, rows.c.dossier_code.asc()]


def check_page_request(
    sort: str, keys: Sequence[str], limit: int | None, max_limit: int, offset: int
) -> None:
    """A clear ValueError (Vietnamese) for a sort key not in `keys`, a page size outside
    1..max_limit (None: every row) or a negative offset; this list's and dossier_list's."""
    if sort not in keys:
        raise ValueError(f"Không sắp xếp được theo {sort!r}; chọn một trong: {', '.join(keys)}.")
    if limit is not None and not 1 <= limit <= max_limit:
        raise ValueError(f"Số dòng mỗi trang phải từ 1 đến {max_limit} (nhận {limit}).")
    if offset < 0:
        raise ValueError(f"Vị trí bắt đầu phải ≥ 0 (nhận {offset}).")


def overdue_dossiers(
    conn: Connection,
    unit: ReportUnit,
    period: Period | tuple[date, date] | date,
    *,
    sort: SortKey = "days_overdue",
    descending: bool = True,
    limit: int | None = DEFAULT_LIMIT,
    offset: int = 0,
) -> OverduePage:
    """One page of the unit's overdue dossiers at the end of `period`, sorted by `sort`
    (ties by dossier code), with the total count. limit None: every row (for export)."""
    check_page_request(sort, SORT_KEYS, limit, MAX_LIMIT, offset)
    day = as_of_day(period)
    overdue = _overdue(unit, day, received_before(conn, day + timedelta(days=1))).subquery("overdue")
    total = run_indexed(conn, select(func.count()).select_from(overdue))[0][0]
    query = (
        select(
            overdue.c.dossier_code,
            overdue.c.procedure_code,
            overdue.c.procedure_name,
            agencies.c.code.label("agency_code"),
            agencies.c.name.label("agency_name"),
            overdue.c.received_on,
            overdue.c.deadline,
        )
        .select_from(overdue.join(agencies, agencies.c.id == overdue.c.agency_id))
        .order_by(*_sort_columns(overdue, sort, descending))
        .offset(offset)
    )
    if limit is not None:
        query = query.limit(limit)
    rows = [
        OverdueDossier(
            dossier_code=r.dossier_code,
            procedure_code=r.procedure_code,
            procedure_name=r.procedure_name,
            agency_code=r.agency_code,
            agency_name=r.agency_name,
            received_on=r.received_on,
            due_on=r.deadline,
            days_overdue=(day - r.deadline).days,
        )
        for r in run_indexed(conn, query)
    ]
    return OverduePage(day, int(total), rows, sort, descending, limit, offset)


def identity_cells(r: Any) -> list[str]:
    """The first cells of a dossier's line in a CSV list (CSV_HEADER[:5]): the dossier,
    its procedure and its agency (this list and dossier_list's)."""
    return [r.dossier_code, r.procedure_code, r.procedure_name or "", r.agency_code, r.agency_name]


def overdue_csv(
    rows: Sequence[OverdueDossier], as_of: date | None = None, notes: Sequence[str] = ()
) -> bytes:
    """The list as CSV for download: Vietnamese headers, dates dd/mm/yyyy, UTF-8 with BOM,
    names from the data neutralised for spreadsheets (spreadsheet_safety); with `as_of`,
    a first line "Số liệu tính đến ngày dd/mm/yyyy" before the header, then `notes` (the
    rule, the source)."""
    return csv_bytes(
        CSV_HEADER,
        (
            [
                *identity_cells(r),
                f"{r.received_on:%d/%m/%Y}",
                f"{r.due_on:%d/%m/%Y}",
                r.days_overdue,
            ]
            for r in rows
        ),
        before=[*([[as_of_text(as_of)]] if as_of is not None else []), *([n] for n in notes)],
    )
