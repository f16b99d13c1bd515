"""The overdue list (hồ sơ đang giải quyết quá hạn): the dossiers of a unit that are pending
and past their deadline on the last day of a period, as Biểu số 06 column 13 counts them.

On the day E (the period's last day) a dossier is listed when it counts (status not 1 or
3, received_on known), was received by E, is not paused (5, 6, 8 count as within
deadline), had not ended by E (resolved or withdrawn later, or not at all), and its
deadline (due_on, else received_on) is before E. Days overdue = E − deadline.

The count is the overdue stock of the monthly aggregates counted to E (overdue_total: the
as-of rule of asof.py, a few thousand rows of agency_month_stats whatever the number of
dossiers; what the importer and `refresh` have aggregated, as every figure of the map — a
dossier written straight into the table counts from the next refresh). The page is picked
from index entries only (migrations asof_0002, 0002_reports_c), in two parts: the
dossiers that ended after E (the report's index seeks, ix_dossiers_received_finished) and
the open ones (ix_dossiers_open_deadline, in deadline order); in deadline order each part
is read only to the page's end. Then only the rows of the page are read, by primary key.
The other orders (code, procedure, agency, reception day) read every overdue dossier's
row: a few thousand at most.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Literal

from sqlalchemy import ColumnElement, Connection, Select, func, select, text, union_all

from db.schema import agencies, dossiers
from dossier_stats.asof import Fixes, asof_month_stats
from dossier_stats.bieu06.query import ENDING_STATUSES, OPEN_SQL, received_before, run_indexed
from dossier_stats.bieu06.unit import ReportUnit
from dossier_stats.periods import Period
from dossier_stats.rules import NOT_COUNTED_STATUSES, PAUSED_STATUSES
from spreadsheet_safety import csv_bytes
from vi_format import as_of_text

SortKey = Literal["code", "procedure", "agency", "received", "due", "days_overdue"]
SORT_KEYS: tuple[SortKey, ...] = ("code", "procedure", "agency", "received", "due", "days_overdue")
DEADLINE_SORTS = frozenset({"due", "days_overdue"})  # the orders the indexes give
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


def overdue_total(conn: Connection, unit: ReportUnit, day: date, fixes: Fixes | None = None) -> int:
    """How many dossiers of the unit are overdue on `day`: the overdue stock of
    agency_month_stats counted to `day` (asof.asof_month_stats: the month deltas up to
    month(day), with the corrections of that month when `day` is not its last day —
    `fixes`, read now when not given). The same count as the list's rows, read from a few
    thousand monthly rows instead of the dossiers."""
    s = asof_month_stats(conn, day, fixes).c
    ids = unit.agency_ids()
    query = select(func.coalesce(func.sum(s.d_pending_overdue), 0)).where(
        *([] if ids is None else [s.agency_id.in_(ids)])
    )
    return int(conn.execute(query).scalar_one())


def _overdue_keys(
    unit_ids: list[int] | None, day: date, received_by_day: ColumnElement[bool]
) -> list[Select]:
    """(dossier_code, deadline) of every overdue dossier on `day`, as two disjoint parts read
    from index entries only (PostgreSQL): ended after `day` (ix_dossiers_received_finished,
    `received_by_day` is `received_before(conn, day + 1 day)`), never ended
    (ix_dossiers_open_deadline, in the list's order). `unit_ids`: the unit's agencies (None:
    every one)."""
    d = dossiers.c
    deadline = func.coalesce(d.due_on, d.received_on)
    common = [
        d.status.not_in(sorted(NOT_COUNTED_STATUSES | PAUSED_STATUSES)),
        deadline < day,
        *([] if unit_ids is None else [d.agency_id.in_(unit_ids)]),
    ]
    key = (d.dossier_code, deadline.label("deadline"))
    return [
        select(*key).where(received_by_day, d.finished_on > day, d.status.in_(ENDING_STATUSES), *common),
        select(*key).where(text(f"({OPEN_SQL})"), d.received_on <= day, *common),
    ]


def _sort_columns(rows: Any, key: SortKey, descending: bool) -> list[ColumnElement]:
    """ORDER BY of the list over `rows` (a FromClause's or a Select's `selected_columns`)."""
    columns: dict[SortKey, Callable[[], ColumnElement]] = {
        "code": lambda: rows.dossier_code,
        "procedure": lambda: func.coalesce(rows.procedure_name, rows.procedure_code),
        "agency": lambda: rows.agency_name,
        "received": lambda: rows.received_on,
        "due": lambda: rows.deadline,
        "days_overdue": lambda: rows.deadline,  # more days overdue = earlier deadline
    }
    column = columns[key]()
    reverse = descending != (key == "days_overdue")
    primary = column.desc() if reverse else column.asc()
    return [primary, rows.dossier_code.asc()]


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
    fixes: Fixes | None = None,
) -> OverduePage:
    """One page of the unit's overdue dossiers at the end of `period`, sorted by `sort`
    (ties by dossier code), with the total count (overdue_total; `fixes`: the as-of
    corrections of the day's month when the caller has them). limit None: every row (for
    export). Each part is read in the page's order up to the page's end, so the first pages
    in deadline order read a few index entries per row shown."""
    check_page_request(sort, SORT_KEYS, limit, MAX_LIMIT, offset)
    day = as_of_day(period)
    total = overdue_total(conn, unit, day, fixes)
    ids = unit.agency_ids()
    unit_ids = None if ids is None else list(conn.execute(ids).scalars())
    parts = _overdue_keys(unit_ids, day, received_before(conn, day + timedelta(days=1)))
    if limit is not None and sort in DEADLINE_SORTS:  # each part read in the page's order, to its end
        parts = [
            p.order_by(*_sort_columns(p.selected_columns, sort, descending)).limit(offset + limit)
            for p in parts
        ]
    keys = union_all(*(p.subquery().select() for p in parts)).subquery("overdue_keys")
    d = dossiers.c
    overdue = (
        select(
            d.dossier_code,
            d.procedure_code,
            d.procedure_name,
            agencies.c.code.label("agency_code"),
            agencies.c.name.label("agency_name"),
            d.received_on,
            keys.c.deadline,
        )
        .select_from(
            keys.join(dossiers, d.dossier_code == keys.c.dossier_code).join(
                agencies, agencies.c.id == d.agency_id
            )
        )
        .subquery("overdue")
    )
    query = select(overdue).order_by(*_sort_columns(overdue.c, sort, descending)).offset(offset)
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
    return OverduePage(day, total, rows, sort, descending, limit, offset)


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
