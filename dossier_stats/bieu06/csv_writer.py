"""Biểu 06 as CSV: one line per report row, the 13 columns of the form as numbers."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from dossier_stats.bieu06.report import Bieu06Report, column_values

CSV_COLUMNS = (
    "row_type",
    "level",
    "field_code",
    "field_name",
    "received_total",
    "received_online",
    "received_direct_postal",
    "carried_over",
    "resolved_total",
    "resolved_early",
    "resolved_on_time",
    "resolved_late",
    "pending_total",
    "pending_within_deadline",
    "pending_overdue",
)


def csv_rows(report: Bieu06Report) -> Iterator[list[str | int]]:
    yield list(CSV_COLUMNS)
    for r in report.rows:
        yield [r.row_type, r.level or "", r.field_code or "", r.label, *column_values(r.counts)]


def bieu06_csv(report: Bieu06Report) -> bytes:
    """The report as CSV bytes: UTF-8 with BOM (so Excel reads the diacritics), CRLF."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(csv_rows(report))
    return ("\ufeff" + out.getvalue()).encode("utf-8")
