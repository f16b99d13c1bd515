"""The "Báo cáo" tab: Biểu số 06/VPCP/KSTT for the unit and period on screen — its totals per
level, the two download buttons (XLSX laid out like the form, CSV with documented columns)
and the counting rules it uses."""

from __future__ import annotations

from typing import Any

from dash import dcc, html

from dossier_stats.bieu06.files import ReportFormat
from dossier_stats.bieu06.report import Bieu06Report
from dossier_stats.periods import Period
from layouts.common.dossier_links import bieu06_cell_href, count_link
from layouts.home.details.ids import DetailsIds
from layouts.home.details.trends import in_sentence
from vi_format import format_date, format_int

FORM_NAME = "Biểu số 06/VPCP/KSTT"
XLSX_BUTTON = "Tải Biểu số 06 (XLSX)"
CSV_BUTTON = "Tải Biểu số 06 (CSV)"
PREVIEW_GROUPS = (
    ("Số hồ sơ nhận giải quyết", 4),
    ("Số hồ sơ đã giải quyết", 4),
    ("Số hồ sơ đang giải quyết", 3),
)
PREVIEW_COLUMNS = (
    ("Tổng số", lambda k: k.received_total),
    ("Trực tuyến", lambda k: k.received_online),
    ("Trực tiếp, bưu chính", lambda k: k.received_direct_postal),
    ("Từ kỳ trước", lambda k: k.carried_over),
    ("Tổng số", lambda k: k.resolved_total),
    ("Trước hạn", lambda k: k.resolved_early),
    ("Đúng hạn", lambda k: k.resolved_on_time),
    ("Quá hạn", lambda k: k.resolved_late),
    ("Tổng số", lambda k: k.pending_total),
    ("Trong hạn", lambda k: k.pending_within),
    ("Quá hạn", lambda k: k.pending_overdue),
)


def report_filename(unit_code: str, period: Period, fmt: ReportFormat) -> str:
    """ "bieu06_49_2026-10.xlsx": the form, the unit's code, the period's key."""
    return f"bieu06_{unit_code}_{period.key}.{fmt}"


def _cell(report: Bieu06Report, period: Period | None, row: Any, column: int, value: int) -> Any:
    """A count; with the period, a link to the dossiers behind it (the level's or the total's)."""
    if period is None:
        return format_int(value)
    level = row.level if row.row_type == "subtotal" else None
    return count_link(format_int(value), bieu06_cell_href(report.unit.code, period.key, column, level))


def preview_table(report: Bieu06Report, period: Period | None = None) -> html.Table:
    """The report's level subtotals and grand total (its sector rows are in the files); with
    the period, each count links to the list of its dossiers."""
    head = html.Thead(
        [
            html.Tr(
                [
                    html.Th("Cấp", rowSpan=2),
                    *(html.Th(group, colSpan=n, className="group") for group, n in PREVIEW_GROUPS),
                ]
            ),
            html.Tr([html.Th(label, className="num") for label, _ in PREVIEW_COLUMNS]),
        ]
    )
    rows = [
        html.Tr(
            [
                html.Td(r.label),
                *(
                    html.Td(_cell(report, period, r, i, read(r.counts)), className="num")
                    for i, (_, read) in enumerate(PREVIEW_COLUMNS)
                ),
            ],
            className="strong" if r.row_type == "total" else None,
        )
        for r in report.rows
        if r.row_type in ("subtotal", "total")
    ]
    return html.Table([head, html.Tbody(rows)], className="details-table report-table")


def report_tab(report: Bieu06Report, period: Period) -> list[Any]:
    running = report.end < period.end  # counted to today (the as-of rule)
    sectors = sum(1 for r in report.rows if r.row_type == "sector")
    return [
        html.P(
            [
                html.Strong(FORM_NAME),
                f" — tình hình, kết quả giải quyết TTHC của {report.unit.name}, {in_sentence(period.label)} "
                f"(từ ngày {format_date(report.start)} đến ngày {format_date(report.end)})"
                + (
                    f" — kỳ chưa kết thúc, số liệu tính đến ngày {format_date(report.end)}."
                    if running
                    else "."
                )
                + " Bấm vào một số để xem danh sách hồ sơ.",
            ],
            className="details-caption",
        ),
        html.Div(
            [
                html.Button(
                    XLSX_BUTTON,
                    id=DetailsIds.REPORT_XLSX,
                    className="details-button primary",
                ),
                html.Button(
                    CSV_BUTTON,
                    id=DetailsIds.REPORT_CSV,
                    className="details-button",
                ),
                html.Span(id=DetailsIds.REPORT_MESSAGE, className="details-inline-error", role="alert"),
                dcc.Download(id=DetailsIds.REPORT_DOWNLOAD),
                html.Span(
                    f"{sectors} dòng lĩnh vực. XLSX theo mẫu biểu, in khổ A4 ngang; "
                    "CSV theo các cột mô tả trong README.",
                    className="muted",
                ),
            ],
            className="details-toolbar",
        ),
        html.Div(preview_table(report, period), className="details-table-scroll"),
        html.P(["Cách tính: ", report.rules_note], className="details-rules"),
    ]
