"""Biểu 06 as CSV: one line per report row, the 13 columns of the form as numbers."""

from __future__ import annotations

import io
from collections.abc import Iterator

from dossier_stats.bieu06.report import COUNT_COLUMNS, Bieu06Report, column_values
from spreadsheet_safety import csv_writer

# The CSV's names of the count columns where they differ from the Kpis field.
_CSV_NAMES = {"pending_within": "pending_within_deadline"}
CSV_COLUMNS = (
    "row_type",
    "level",
    "field_code",
    "field_name",
    *(_CSV_NAMES.get(c, c) for c in COUNT_COLUMNS),
)


def csv_rows(report: Bieu06Report) -> Iterator[list[str | int]]:
    yield list(CSV_COLUMNS)
    for r in report.rows:
        yield [r.row_type, r.level or "", r.field_code or "", r.label, *column_values(r.counts)]


def bieu06_csv(report: Bieu06Report) -> bytes:
    """The report as CSV bytes: UTF-8 with BOM (so Excel reads the diacritics), CRLF."""
    out = io.StringIO()
    csv_writer(out, lineterminator="\r\n").writerows(csv_rows(report))
    return ("\ufeff" + out.getvalue()).encode("utf-8")
