"""Vietnamese formatting of numbers, rates and times for UI text.

Vietnamese writes 1.234,5: a dot groups thousands, a comma marks decimals. Plotly axes and
colour bars get the same through `layout.separators = ",."`; every string built in Python
goes through these helpers. A missing value (None) is shown as an em dash.
"""

from __future__ import annotations

import unicodedata
from datetime import date, datetime

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


def format_date(day: date | None) -> str:
    """date(2026, 10, 5) -> "05/10/2026"."""
    return MISSING if day is None else day.strftime("%d/%m/%Y")


def format_datetime(moment: datetime | None) -> str:
    """datetime(2026, 11, 27, 8, 5) -> "08:05 27/11/2026" (time first, as Vietnamese notices write it)."""
    return MISSING if moment is None else moment.strftime("%H:%M %d/%m/%Y")


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
