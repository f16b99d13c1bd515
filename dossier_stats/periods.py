"""Reporting periods (kỳ báo cáo): a month, a quarter or a year.

A period is written in URLs as "2026-10" (month), "2026-Q3" (quarter) or "2026" (year)
and shown as "Tháng 10/2026", "Quý III/2026", "Năm 2026". KPI queries read it as a
range of months (yyyymm) of agency_month_stats.
"""

from __future__ import annotations

import re
from calendar import monthrange
from dataclasses import dataclass
from datetime import date
from typing import Literal, get_args

PeriodKind = Literal["month", "quarter", "year"]
PERIOD_KINDS: tuple[PeriodKind, ...] = get_args(PeriodKind)

ROMAN_QUARTERS = ("I", "II", "III", "IV")
MIN_YEAR, MAX_YEAR = 1900, 9999

_KEY_PATTERNS = (
    (re.compile(r"(\d{4})-(\d{1,2})"), "month"),
    (re.compile(r"(\d{4})-[Qq]([1-4])"), "quarter"),
    (re.compile(r"(\d{4})"), "year"),
)
_KEY_HELP = "dạng đúng: 2026-10 (tháng), 2026-Q3 (quý) hoặc 2026 (năm)"


@dataclass(frozen=True, order=True)
class Period:
    kind: PeriodKind
    year: int
    index: int  # month 1..12, quarter 1..4, 0 for a year

    def __post_init__(self) -> None:
        if self.kind not in PERIOD_KINDS:
            raise ValueError(f"Loại kỳ không hợp lệ: {self.kind!r} (tháng, quý hoặc năm: {PERIOD_KINDS}).")
        if not MIN_YEAR <= self.year <= MAX_YEAR:
            raise ValueError(f"Năm không hợp lệ: {self.year} (từ {MIN_YEAR} đến {MAX_YEAR}).")
        valid = {"month": range(1, 13), "quarter": range(1, 5), "year": range(0, 1)}[self.kind]
        if self.index not in valid:
            raise ValueError(f"Chỉ số kỳ không hợp lệ cho loại {self.kind!r}: {self.index}.")

    @property
    def first_month_number(self) -> int:
        """Calendar month (1..12) the period starts in."""
        return {"month": self.index, "quarter": 3 * self.index - 2, "year": 1}[self.kind]

    @property
    def last_month_number(self) -> int:
        return {"month": self.index, "quarter": 3 * self.index, "year": 12}[self.kind]

    @property
    def start(self) -> date:
        return date(self.year, self.first_month_number, 1)

    @property
    def end(self) -> date:
        last = self.last_month_number
        return date(self.year, last, monthrange(self.year, last)[1])

    @property
    def first_month(self) -> int:
        """yyyymm of the first month."""
        return self.year * 100 + self.first_month_number

    @property
    def last_month(self) -> int:
        """yyyymm of the last month."""
        return self.year * 100 + self.last_month_number

    @property
    def key(self) -> str:
        if self.kind == "month":
            return f"{self.year:04d}-{self.index:02d}"
        if self.kind == "quarter":
            return f"{self.year:04d}-Q{self.index}"
        return f"{self.year:04d}"

    @property
    def label(self) -> str:
        if self.kind == "month":
            return f"Tháng {self.index}/{self.year}"
        if self.kind == "quarter":
            return f"Quý {ROMAN_QUARTERS[self.index - 1]}/{self.year}"
        return f"Năm {self.year}"

    @classmethod
    def parse(cls, key: str) -> Period:
        """Inverse of `key`; ValueError with a Vietnamese message on bad input."""
        text = key.strip() if isinstance(key, str) else ""
        for pattern, kind in _KEY_PATTERNS:
            match = pattern.fullmatch(text)
            if match is None:
                continue
            year = int(match.group(1))
            index = int(match.group(2)) if kind != "year" else 0
            try:
                return cls(kind, year, index)  # type: ignore[arg-type]
            except ValueError as exc:
                raise ValueError(f"Kỳ báo cáo không hợp lệ: {key!r} — {exc}") from None
        raise ValueError(f"Kỳ báo cáo không hợp lệ: {key!r}; {_KEY_HELP}.")

    @classmethod
    def containing(cls, kind: PeriodKind, day: date) -> Period:
        """The period of the given kind that contains `day`."""
        index = {"month": day.month, "quarter": (day.month - 1) // 3 + 1, "year": 0}[kind]
        return cls(kind, day.year, index)

    def previous(self) -> Period:
        if self.kind == "year":
            return Period("year", self.year - 1, 0)
        last_index = 12 if self.kind == "month" else 4
        if self.index == 1:
            return Period(self.kind, self.year - 1, last_index)
        return Period(self.kind, self.year, self.index - 1)

    def months(self) -> list[int]:
        """Every month of the period as yyyymm, in order."""
        return [self.year * 100 + m for m in range(self.first_month_number, self.last_month_number + 1)]

    def __str__(self) -> str:
        return self.key


def last_full_month(today: date) -> Period:
    return Period.containing("month", today).previous()


def default_period(kind: PeriodKind, today: date) -> Period:
    """The last complete period of that kind before `today` (last full month/quarter/year)."""
    return Period.containing(kind, today).previous()


def periods_between(kind: PeriodKind, first: date, today: date) -> list[Period]:
    """Every period of that kind from the one containing `today` (incomplete) back to the one
    containing `first`, newest first. When `first` is after `today`, only today's period."""
    current = Period.containing(kind, today)
    oldest = Period.containing(kind, first)
    out = [current]
    while out[-1].start > oldest.start:
        out.append(out[-1].previous())
    return out
