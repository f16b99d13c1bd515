"""Biểu 06 as a file to download or write: the format's writer, media type and file name."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from sqlalchemy import Connection

from dossier_stats.bieu06.csv_writer import bieu06_csv
from dossier_stats.bieu06.query import bieu06_report
from dossier_stats.bieu06.report import Bieu06Report, check_range
from dossier_stats.bieu06.unit import resolve_unit
from dossier_stats.bieu06.xlsx_writer import bieu06_xlsx

ReportFormat = Literal["xlsx", "csv"]
FORMATS: tuple[ReportFormat, ...] = ("xlsx", "csv")
MEDIA_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv",
}


@dataclass(frozen=True)
class ReportFile:
    filename: str
    media_type: str
    content: bytes


def render(report: Bieu06Report, fmt: ReportFormat) -> bytes:
    if fmt == "csv":
        return bieu06_csv(report)
    if fmt == "xlsx":
        return bieu06_xlsx(report)
    raise ValueError(f"Định dạng không hỗ trợ: {fmt!r} (chọn một trong: {', '.join(FORMATS)}).")


def filename_for(report: Bieu06Report, fmt: str) -> str:
    unit = report.unit.code or "tinh"
    return f"bieu06_{unit}_{report.start:%Y%m%d}_{report.end:%Y%m%d}.{fmt}"


def report_file(
    conn: Connection,
    start: date,
    end: date,
    unit_code: str | None = None,
    fmt: ReportFormat = "xlsx",
    province_code: str | None = None,
) -> ReportFile:
    """The report as a file to download: name, media type and bytes (for the dashboard)."""
    if fmt not in FORMATS:
        raise ValueError(f"Định dạng không hỗ trợ: {fmt!r} (chọn một trong: {', '.join(FORMATS)}).")
    check_range(start, end)
    report = bieu06_report(conn, start, end, resolve_unit(conn, unit_code, province_code))
    return ReportFile(filename_for(report, fmt), MEDIA_TYPES[fmt], render(report, fmt))
