"""Working days in Việt Nam (ngày làm việc), for deadlines counted in working days.

A working day is a Monday–Friday that is not a public holiday or a day off given in
exchange (ngày nghỉ bù / hoán đổi), plus the Saturdays worked in exchange for such a day.
The calendar is the `holidays` package's Việt Nam (country "VN", pinned in
requirements.txt): the Labour Code's holidays (Tết Dương lịch, Tết Nguyên đán, Giỗ Tổ Hùng
Vương, 30/4, 1/5, Quốc khánh) with the substitutions the Government announces each year
(e.g. 2025: Friday 02/05 off, Saturday 26/04 worked). A year the package does not know
yet has its fixed holidays only: update the package when the next year's decision is out.
"""

from __future__ import annotations

import threading
from datetime import date, timedelta
from functools import lru_cache

import holidays

MAX_STEPS = 366  # a working day is always found within a year


@lru_cache(maxsize=64)
def _year(year: int) -> tuple[frozenset[date], frozenset[date]]:
    """(days off that are not weekend days, weekend days worked) of a year."""
    with _LOCK:
        calendar = holidays.country_holidays("VN", years=year)
        off = frozenset(d for d in calendar if d.year == year)
        worked = frozenset(d for d in calendar.weekend_workdays if d.year == year)
    return off, worked


_LOCK = threading.Lock()


def is_working_day(day: date) -> bool:
    off, worked = _year(day.year)
    if day in worked:
        return True
    return day.weekday() < 5 and day not in off


def holiday_name(day: date) -> str | None:
    """The package's name of the holiday on `day` (Vietnamese), None on other days."""
    return holidays.country_holidays("VN", years=day.year, language="vi").get(day)


def add_working_days(day: date, count: int) -> date:
    """The `count`-th working day after `day` (count ≥ 1); `day` itself need not be one."""
    if count < 1:
        raise ValueError(f"Số ngày làm việc phải ≥ 1 (nhận {count}).")
    current = day
    for _ in range(count * MAX_STEPS):
        current += timedelta(days=1)
        if is_working_day(current):
            count -= 1
            if count == 0:
                return current
    raise RuntimeError(f"Không tìm thấy ngày làm việc sau {day:%d/%m/%Y}.")


def working_days_between(start: date, end: date) -> int:
    """Working days in (start, end]: how many working days after `start` `end` comes; 0 when
    end <= start."""
    count = 0
    current = start
    while current < end:
        current += timedelta(days=1)
        count += is_working_day(current)
    return count
