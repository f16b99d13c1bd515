"""Biểu số 06/VPCP/KSTT as an XLSX workbook laid out like the official form.

Pure: from a `report.Bieu06Report` to bytes (openpyxl). One sheet: the form's number,
title, period, unit and unit-of-count lines; the 13 columns under merged group headers
with their numbers (1)…(13); per level a bold row with its subtotal (I, II, III) followed
by its sectors (1, 2, …); the grand total; a note stating the counting rules. Printed on
A4 landscape, fitted to the page width, header rows repeated on every page.
"""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from dossier_stats.bieu06.report import Bieu06Report, Bieu06Row, column_values
from spreadsheet_safety import save_workbook
from vi_format import as_of_text

FORM_NUMBER = "Biểu số 06/VPCP/KSTT"
FORM_BASIS = "Ban hành kèm theo Thông tư số 01/2020/TT-VPCP"
TITLE = (
    "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH TẠI CƠ QUAN, "
    "ĐƠN VỊ TRỰC TIẾP GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH"
)
UNIT_OF_COUNT = "Đơn vị tính: Số hồ sơ TTHC"
SHEET_TITLE = "Biểu 06"
NUMBER_FORMAT = "#,##0"
LAST_COLUMN = 13
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X")

# Rows of the layout (1-based).
FORM_ROW, BASIS_ROW, TITLE_ROW, PERIOD_ROW, UNIT_ROW, COUNT_ROW = 1, 2, 4, 5, 6, 7
HEADER_TOP, HEADER_BOTTOM, NUMBERS_ROW = 8, 10, 11
FIRST_BODY_ROW = 12

# (first row, first column, last row, last column, text) of the header block.
HEADER_CELLS: tuple[tuple[int, int, int, int, str], ...] = (
    (8, 1, 10, 1, "STT"),
    (8, 2, 10, 2, "Lĩnh vực, công việc giải quyết theo cấp"),
    (8, 3, 8, 6, "Số hồ sơ nhận giải quyết"),
    (8, 7, 8, 10, "Số hồ sơ đã giải quyết"),
    (8, 11, 8, 13, "Số hồ sơ đang giải quyết"),
    (9, 3, 10, 3, "Tổng số"),
    (9, 4, 9, 5, "Số mới tiếp nhận"),
    (10, 4, 10, 4, "Trực tuyến"),
    (10, 5, 10, 5, "Trực tiếp, dịch vụ bưu chính"),
    (9, 6, 10, 6, "Từ kỳ trước"),
    (9, 7, 10, 7, "Tổng số"),
    (9, 8, 10, 8, "Trước hạn"),
    (9, 9, 10, 9, "Đúng hạn"),
    (9, 10, 10, 10, "Quá hạn"),
    (9, 11, 10, 11, "Tổng số"),
    (9, 12, 10, 12, "Trong hạn"),
    (9, 13, 10, 13, "Quá hạn"),
)
COLUMN_WIDTHS = {1: 6, 2: 44, **{c: 12 for c in range(3, LAST_COLUMN + 1)}}

_THIN = Side(style="thin")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
BOLD = Font(bold=True)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
RIGHT = Alignment(horizontal="right", vertical="center")


def period_line(report: Bieu06Report) -> str:
    return f"Kỳ báo cáo: từ ngày {report.start:%d/%m/%Y} đến ngày {report.end:%d/%m/%Y}"


def unit_line(report: Bieu06Report) -> str:
    return f"Đơn vị báo cáo: {report.unit.name}"


def note_line(report: Bieu06Report) -> str:
    edition = f" {report.edition_note}" if report.edition_note else ""
    return f"Ghi chú: {report.rules_note}{edition}"


def _merged_text(
    ws: Worksheet, row: int, text: str, font: Font | None = None, align: Alignment = CENTER
) -> None:
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=LAST_COLUMN)
    cell = ws.cell(row=row, column=1, value=text)
    cell.alignment = align
    if font is not None:
        cell.font = font


def _header(ws: Worksheet) -> None:
    for top, left, bottom, right, text in HEADER_CELLS:
        if (top, left) != (bottom, right):
            ws.merge_cells(start_row=top, start_column=left, end_row=bottom, end_column=right)
        ws.cell(row=top, column=left, value=text)
    for row in range(HEADER_TOP, NUMBERS_ROW + 1):
        for column in range(1, LAST_COLUMN + 1):
            cell = ws.cell(row=row, column=column)
            cell.border = BORDER
            cell.alignment = CENTER
            cell.font = BOLD if row < NUMBERS_ROW else Font(italic=True)
    for column in range(1, LAST_COLUMN + 1):
        ws.cell(row=NUMBERS_ROW, column=column, value=f"({column})")
    ws.row_dimensions[HEADER_BOTTOM].height = 45


def _body_row(ws: Worksheet, row: int, number: str, r: Bieu06Row) -> None:
    bold = r.row_type != "sector"
    values: list[str | int] = [number, r.label, *column_values(r.counts)]
    for column, value in enumerate(values, start=1):
        cell = ws.cell(row=row, column=column, value=value)
        cell.border = BORDER
        if column == 1:
            cell.alignment = CENTER
        elif column == 2:
            cell.alignment = LEFT
        else:
            cell.alignment = RIGHT
            cell.number_format = NUMBER_FORMAT
        if bold:
            cell.font = BOLD


def row_numbers(report: Bieu06Report) -> list[str]:
    """STT of each report row: I, II, III for levels, 1, 2, … for sectors, "" for the total."""
    numbers: list[str] = []
    level_no = sector_no = 0
    for r in report.rows:
        if r.row_type == "subtotal":
            numbers.append(ROMAN[level_no] if level_no < len(ROMAN) else str(level_no + 1))
            level_no += 1
            sector_no = 0
        elif r.row_type == "sector":
            sector_no += 1
            numbers.append(str(sector_no))
        else:
            numbers.append("")
    return numbers


def _page_setup(ws: Worksheet) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{HEADER_TOP}:{NUMBERS_ROW}"
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.5
    ws.print_options.horizontalCentered = True
    ws.oddFooter.center.text = "Trang &P/&N"
    ws.freeze_panes = ws.cell(row=FIRST_BODY_ROW, column=3)


def build_workbook(report: Bieu06Report) -> Workbook:
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET_TITLE
    for column, width in COLUMN_WIDTHS.items():
        ws.column_dimensions[get_column_letter(column)].width = width

    ws.cell(row=FORM_ROW, column=1, value=FORM_NUMBER).font = BOLD
    ws.cell(row=BASIS_ROW, column=1, value=FORM_BASIS).font = Font(italic=True, size=9)
    _merged_text(ws, TITLE_ROW, TITLE, Font(bold=True, size=13))
    ws.row_dimensions[TITLE_ROW].height = 36
    _merged_text(ws, PERIOD_ROW, period_line(report), Font(italic=True))
    _merged_text(ws, UNIT_ROW, unit_line(report))
    _merged_text(ws, COUNT_ROW, UNIT_OF_COUNT, Font(italic=True), Alignment(horizontal="right"))
    _header(ws)

    row = FIRST_BODY_ROW
    for number, r in zip(row_numbers(report), report.rows, strict=True):
        _body_row(ws, row, number, r)
        row += 1
    note_row = row + 1
    _merged_text(ws, note_row, note_line(report), Font(italic=True, size=9), LEFT)
    ws.row_dimensions[note_row].height = 42
    # The report runs to its last day, or to today for a period still running (asof.py).
    _merged_text(ws, note_row + 1, as_of_text(report.end), Font(italic=True, size=9), LEFT)
    _page_setup(ws)
    return wb


def bieu06_xlsx(report: Bieu06Report) -> bytes:
    out = io.BytesIO()
    save_workbook(build_workbook(report), out)
    return out.getvalue()


def total_row_index(report: Bieu06Report) -> int:
    """Worksheet row of the grand total."""
    return FIRST_BODY_ROW + len(report.rows) - 1


def note_row_index(report: Bieu06Report) -> int:
    return total_row_index(report) + 2
