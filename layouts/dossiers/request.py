"""What the dossier pages read from their URL, never raising: each value that cannot be
used gets a Vietnamese message saying why (layouts/common/dossier_links.py writes them)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from dossier_stats.dossier_list import SORT_KEYS, ListOrder, SortKey
from dossier_stats.drill import COUNT_KINDS, COUNT_LABELS, LEVELS, DrillCell
from dossier_stats.periods import Period
from dossier_stats.warnings import WINDOWS
from layouts.common.dossier_links import NO_SECTOR
from layouts.common.urls import echo

MAX_PAGE_NUMBER = 100_000
PAGE_SIZE = 50


def read_order(query: Mapping[str, str], default: SortKey, messages: list[str]) -> ListOrder:
    sort = query.get("sort") or default
    if sort not in SORT_KEYS:
        messages.append(f"Không sắp xếp được theo “{echo(sort)}” — đang sắp theo mặc định.")
        sort = default
    raw_page = query.get("page") or "1"
    page = int(raw_page) - 1 if raw_page.isdigit() and 1 <= int(raw_page) <= MAX_PAGE_NUMBER else 0
    if page == 0 and raw_page != "1":
        messages.append(f"Số trang “{echo(raw_page)}” không hợp lệ — đang hiển thị trang 1.")
    return ListOrder(sort, query.get("desc") == "1", page)  # type: ignore[arg-type]


@dataclass(frozen=True)
class DrillRequest:
    """The figure a list is behind: unit, period, count kind and Biểu 06 row (the cell)."""

    unit: str | None
    period: Period | None  # None: not understood (see messages)
    cell: DrillCell | None  # None: the count kind not understood
    order: ListOrder
    messages: list[str] = field(default_factory=list)

    @property
    def usable(self) -> bool:
        return self.period is not None and self.cell is not None

    @property
    def label(self) -> str:
        return "" if self.cell is None else COUNT_LABELS[self.cell.kind]


def _period(raw: str | None, messages: list[str]) -> Period | None:
    if not raw:
        messages.append("Thiếu kỳ báo cáo (period, ví dụ 2026-10, 2026-Q3 hoặc 2026).")
        return None
    try:
        return Period.parse(raw)
    except ValueError:
        messages.append(f"Không hiểu kỳ báo cáo “{echo(raw)}” (dạng đúng: 2026-10, 2026-Q3 hoặc 2026).")
        return None


def _count(raw: str | None, messages: list[str]) -> str | None:
    if raw in COUNT_KINDS:
        return raw
    choices = "; ".join(f"{k} ({COUNT_LABELS[k]})" for k in COUNT_KINDS)
    what = f"“{echo(raw)}”" if raw else "(thiếu)"
    messages.append(f"Không có số liệu {what} để xem danh sách; chọn một trong: {choices}.")
    return None


def read_drill(query: Mapping[str, str]) -> DrillRequest:
    messages: list[str] = []
    period = _period(query.get("period"), messages)
    count = _count(query.get("count"), messages)
    level = query.get("level") or None
    if level is not None and level not in LEVELS:
        messages.append(f"Cấp “{echo(level)}” không hợp lệ — đang hiển thị mọi cấp.")
        level = None
    sector = query.get("sector")
    sector = None if sector is None or sector == "" else ("" if sector == NO_SECTOR else sector[:64])
    order = read_order(query, "received", messages)
    unit = (query.get("unit") or "").strip()[:64] or None
    cell = None if count is None else DrillCell(count, level, sector)
    return DrillRequest(unit, period, cell, order, messages)


@dataclass(frozen=True)
class DueSoonRequest:
    unit: str | None
    days: int
    order: ListOrder
    messages: list[str] = field(default_factory=list)


def read_due_soon(query: Mapping[str, str]) -> DueSoonRequest:
    messages: list[str] = []
    raw = query.get("days") or "2"
    days = int(raw) if raw.isdigit() and int(raw) in WINDOWS else 2
    if str(days) != raw:
        messages.append(
            f"Cảnh báo cho 1 hoặc 2 ngày làm việc tới (nhận “{echo(raw)}”) — đang hiển thị 2 ngày."
        )
    order = read_order(query, "due", messages)
    unit = (query.get("unit") or "").strip()[:64] or None
    return DueSoonRequest(unit, days, order, messages)
