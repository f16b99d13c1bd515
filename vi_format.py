"""Vietnamese writing of numbers, points, rates, dates and names: the one formatting module.

Vietnamese writes 1.234,5: a dot groups thousands, a comma marks decimals; dates are
dd/mm/yyyy. Plotly axes and colour bars get the same through `layout.separators = ",."`;
every string built in Python (UI, command line, messages, reports) goes through these
helpers. A missing value (None) is shown as an em dash.

It sits at the bottom of the import graph (next to config.py, imports nothing of the
project), so every package down to db/ can use it.
"""

from __future__ import annotations

import unicodedata
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

MISSING = "—"


def _swap_separators(text: str) -> str:
    """ "1,234.5" (Python's format) -> "1.234,5"."""
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def format_int(value: int | None) -> str:
    """1234567 -> "1.234.567"; None -> "—"."""
    if value is None:
        return MISSING
    return _swap_separators(f"{int(value):,d}")


def format_number(value: float | None, decimals: int = 1) -> str:
    """1234.5 -> "1.234,5" (fixed number of decimals); None -> "—"."""
    if value is None:
        return MISSING
    if round(value, decimals) == 0:
        value = 0.0  # no "-0,0"
    return _swap_separators(f"{value:,.{decimals}f}")


def format_percent(rate: float | None, decimals: int = 1) -> str:
    """A rate 0..1 as a percentage: 0.875 -> "87,5%"; None -> "—"."""
    if rate is None:
        return MISSING
    return f"{format_number(rate * 100, decimals)}%"


def round_half_up(value: float, decimals: int = 2) -> float:
    """Round half up (Python's round() is half-to-even on binary floats): 2.675 -> 2.68."""
    quantum = Decimal(1).scaleb(-decimals)
    return float(Decimal(repr(value)).quantize(quantum, rounding=ROUND_HALF_UP)) + 0.0


def format_points(value: float | None) -> str:
    """Points to two decimals at most, trailing zeros dropped: 7.5 -> "7,5", 6.0 -> "6",
    1234.25 -> "1.234,25"; None -> "—"."""
    if value is None:
        return MISSING
    text = f"{round_half_up(value, 2):,.2f}".rstrip("0").rstrip(".")
    if text in ("-0", ""):
        text = "0"
    return _swap_separators(text)


def parse_points(text: str) -> float:
    """A points value as people type it: "7,5" or "7.5" (points are small: a dot is always
    decimal), " 6 ". ValueError when it is not a finite number."""
    cleaned = text.strip().replace(" ", "")
    if cleaned.count(",") == 1 and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")
    value = float(cleaned)
    if value != value or value in (float("inf"), float("-inf")):
        raise ValueError(text)
    return value


def format_date(day: date | None) -> str:
    """date(2026, 10, 5) -> "05/10/2026"."""
    return MISSING if day is None else day.strftime("%d/%m/%Y")


def format_datetime(moment: datetime | None) -> str:
    """datetime(2026, 11, 27, 8, 5) -> "08:05 27/11/2026" (time first, as Vietnamese notices write it)."""
    return MISSING if moment is None else moment.strftime("%H:%M %d/%m/%Y")


def as_of_text(day: date) -> str:
    """The line every export carries: "Số liệu tính đến ngày 15/09/2026"."""
    return f"Số liệu tính đến ngày {format_date(day)}"


def data_time_text(moment: datetime | None) -> str:
    """The "data updated at" line of the header."""
    if moment is None:
        return "Chưa có dữ liệu hồ sơ"
    return f"Dữ liệu cập nhật lúc {format_datetime(moment)}"


VIETNAMESE_ALPHABET = "aăâbcdđeêghiklmnoôơpqrstuưvxy"
_LETTER_MARKS = {"\u0306", "\u0302", "\u031b"}  # breve (ă), circumflex (â ê ô), horn (ơ ư)
_TONE_MARKS = ("\u0300", "\u0309", "\u0303", "\u0301", "\u0323")  # huyền, hỏi, ngã, sắc, nặng


def vietnamese_sort_key(text: str) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Sort key in Vietnamese alphabetical order: letters first (a ă â b c d đ e ê …), then tones.

    Python's default order puts "Đ" after "Z" and "Ă" after every ASCII letter."""
    letters: list[int] = []
    tones: list[int] = []
    for char in text.lower():
        base, *marks = unicodedata.normalize("NFD", char)
        letter = unicodedata.normalize("NFC", base + "".join(m for m in marks if m in _LETTER_MARKS))
        tone = next((_TONE_MARKS.index(m) + 1 for m in marks if m in _TONE_MARKS), 0)
        index = VIETNAMESE_ALPHABET.find(letter)
        letters.append(index if index >= 0 else len(VIETNAMESE_ALPHABET) + ord(letter))
        tones.append(tone)
    return tuple(letters), tuple(tones)
