"""Cell parsers of the interchange formats (importer/data/INTERCHANGE.md).

Every parser takes the cell text already stripped of surrounding blanks and either
returns the value or raises `ValueProblem` with a Vietnamese message naming the
value. Empty cells are handled by the caller (empty = unknown / not applicable).
"""

from __future__ import annotations

import math
import re
import unicodedata
from datetime import date, datetime

from clock import LOCAL_TZ

MIN_YEAR, MAX_YEAR = 1990, 2100
_LOCAL_OFFSET = "+07:00"
_LOCAL_LENGTH = len("2025-03-10T08:30:00+07:00")

_INT = re.compile(r"[+-]?[0-9]+")
_DECIMAL = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")
_BOOLEANS = {"1": True, "0": False, "true": True, "false": False, "có": True, "không": False}


class ValueProblem(ValueError):
    """A cell that cannot be read as the type its column requires."""


def parse_timestamp(text: str) -> datetime:
    """ISO 8601 → naive local (UTC+07:00) datetime.

    No offset = already local time; a date without time = 00:00 local that day;
    an offset (`+07:00`, `Z`, ...) is converted to local time.
    """
    if len(text) == _LOCAL_LENGTH and text.endswith(_LOCAL_OFFSET):
        # The usual export: `YYYY-MM-DDTHH:MM:SS+07:00` is already local time, so its first
        # 19 characters are the value (the general path below gives the same, 6× slower).
        try:
            value = datetime.fromisoformat(text[:19])
        except ValueError:
            value = None
        if value is not None and value.tzinfo is None and MIN_YEAR <= value.year <= MAX_YEAR:
            return value
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise ValueProblem(
            f"'{text}' không phải ngày giờ ISO 8601 (ví dụ 2025-03-10, 2025-03-10T08:30:00 "
            "hoặc 2025-03-10T08:30:00+07:00)"
        ) from None
    if value.tzinfo is not None:
        value = value.astimezone(LOCAL_TZ).replace(tzinfo=None)
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        raise ValueProblem(f"'{text}': năm {value.year} nằm ngoài khoảng {MIN_YEAR}–{MAX_YEAR}")
    return value


def parse_date(text: str) -> date:
    """A calendar date (YYYY-MM-DD); a timestamp is not accepted."""
    try:
        value = date.fromisoformat(text)
    except ValueError:
        raise ValueProblem(f"'{text}' không phải ngày dạng YYYY-MM-DD (ví dụ 2025-07-01)") from None
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        raise ValueProblem(f"'{text}': năm {value.year} nằm ngoài khoảng {MIN_YEAR}–{MAX_YEAR}")
    return value


def parse_bool(text: str) -> bool:
    """1/0, true/false, có/không (any case)."""
    key = text.lower()
    if key not in _BOOLEANS:
        key = unicodedata.normalize("NFC", key)
    try:
        return _BOOLEANS[key]
    except KeyError:
        raise ValueProblem(f"'{text}' không phải giá trị đúng/sai (dùng 1/0, true/false, có/không)") from None


def parse_int(text: str) -> int:
    if _INT.fullmatch(text) is None:
        raise ValueProblem(f"'{text}' không phải số nguyên")
    return int(text)


def parse_decimal(text: str) -> float:
    """A decimal number with a dot as decimal separator (e.g. 2.5)."""
    if _DECIMAL.fullmatch(text) is None:
        hint = " (dùng dấu chấm làm dấu thập phân, ví dụ 2.5)" if "," in text else ""
        raise ValueProblem(f"'{text}' không phải số thập phân{hint}")
    value = float(text)
    if not math.isfinite(value):
        raise ValueProblem(f"'{text}' không phải số hữu hạn")
    return value


def parse_code(text: str, max_length: int) -> str:
    """A code is a string: leading zeros are kept; only its length is checked."""
    if len(text) > max_length:
        raise ValueProblem(f"'{text[:80]}' dài {len(text)} ký tự, tối đa {max_length}")
    return text


def parse_choice(text: str, choices: frozenset[str]) -> str:
    """One of a fixed set of lower-case words (any case accepted)."""
    value = text.lower()
    if value not in choices:
        allowed = ", ".join(sorted(choices))
        raise ValueProblem(f"'{text}' không thuộc các giá trị cho phép: {allowed}")
    return value


def parse_int_choice(text: str, low: int, high: int) -> int:
    value = parse_int(text)
    if not low <= value <= high:
        raise ValueProblem(f"'{text}' không thuộc các giá trị cho phép {low}–{high}")
    return value
