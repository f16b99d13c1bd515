"""CSV for download or export: UTF-8 with a byte-order mark (Excel opens it with the
diacritics), CRLF line ends, and every text cell made safe for a spreadsheet.

A cell that starts with = + - @ (or a tab / carriage return) is a formula to Excel and
LibreOffice ("CSV injection"): text that came from outside (a procedure's name, an
official's name, an audit detail) is prefixed with an apostrophe, so it is shown as the
text it is. Numbers are written as numbers.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """The value as a spreadsheet should show it: text starting like a formula gets a "'"."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_bytes(
    header: Sequence[str], rows: Iterable[Sequence[Any]], before: Iterable[Sequence[Any]] = ()
) -> bytes:
    """Lines `before` the header (an as-of line), one header row and the rows, every cell
    through `safe_cell`."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerows([safe_cell(v) for v in line] for line in before)
    writer.writerow(header)
    writer.writerows([safe_cell(v) for v in row] for row in rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")
