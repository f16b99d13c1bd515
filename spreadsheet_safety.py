"""Outside text in the CSV and XLSX files the product writes is never run as a formula.

A spreadsheet runs a cell whose text starts with `=`, `+`, `-` or `@` as a formula, and
some strip a leading tab or carriage return first: a procedure name imported as
`=HYPERLINK("http://…")` or `+cmd|' /C calc'!A0` would come back live in a download
(OWASP, "CSV injection"). Every CSV and XLSX writer of the product goes through here:

- CSV (`csv_writer`): such a text cell is written with a leading single quote, the mark
  spreadsheets read as "text, not a formula" (`'=HYPERLINK(…)`).
- XLSX (`save_workbook`): every text cell is written as a string (data type "s", never
  a formula), and such text carries Excel's quote prefix, the workbook form of the same
  mark, so it stays text when a user edits the cell; the text itself is kept as it was
  (a workbook read back, e.g. the self-assessment template, gives the same text).

Numbers stay numbers: only text is looked at, and text that is a number (`-5`, `-1,5`,
`+84`) is left alone — a negative number is not a formula. Text with a `-` further in
(a dossier code `HS-2025-001`) is untouched.

It sits at the bottom of the import graph (next to vi_format.py, imports nothing of the
project), so every writer, down to the importer's quarantine export, uses the same rule.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:  # not imported at run time: the importer's processes write no workbook
    from openpyxl import Workbook

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?[0-9][0-9.,]*")


def is_formula_like(text: str) -> bool:
    """Whether a spreadsheet could take `text` for a formula (see the module docstring)."""
    return text.startswith(FORMULA_STARTS) and _NUMBER.fullmatch(text) is None


def neutralise(value: Any) -> Any:
    """A CSV cell that no spreadsheet runs: formula-like text quoted, anything else as is."""
    if isinstance(value, str) and is_formula_like(value):
        return "'" + value
    return value


class SafeCsvWriter:
    """csv.writer whose every cell goes through `neutralise`."""

    def __init__(self, out: IO[str], **kwargs: Any) -> None:
        self._writer = csv.writer(out, **kwargs)

    def writerow(self, row: Iterable[Any]) -> None:
        self._writer.writerow([neutralise(value) for value in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_writer(out: IO[str], **kwargs: Any) -> SafeCsvWriter:
    """The CSV writer of every CSV the product writes (arguments as csv.writer's)."""
    return SafeCsvWriter(out, **kwargs)


def csv_bytes(
    header: Sequence[str], rows: Iterable[Sequence[Any]], before: Iterable[Sequence[Any]] = ()
) -> bytes:
    """A download's CSV: lines `before` the header (a title, an as-of line), one header row
    and the rows, every cell neutralised; UTF-8 with a byte-order mark (Excel opens it with
    the diacritics), CRLF line ends."""
    out = io.StringIO()
    writer = csv_writer(out, lineterminator="\r\n")
    writer.writerows(before)
    writer.writerow(header)
    writer.writerows(rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def neutralise_workbook(wb: Workbook) -> Workbook:
    """Every text cell of every sheet a string (never a formula), formula-like text with
    the quote prefix; returns `wb`."""
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if not isinstance(cell.value, str):
                    continue  # numbers, dates, empty and merged-away cells
                cell.data_type = "s"
                if is_formula_like(cell.value):
                    cell.quotePrefix = True
    return wb


def save_workbook(wb: Workbook, target: Path | IO[bytes]) -> None:
    """Save a workbook the product writes, its text neutralised (`neutralise_workbook`)."""
    neutralise_workbook(wb).save(target)
