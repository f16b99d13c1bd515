"""The results table for publication (phụ lục kết quả chỉ số CCHC): XLSX or CSV.

Columns: rank, unit code, unit name, group, points per area, bonus, penalty, total,
percentage, grade, and a remark (provisional / survey missing, rescaled). XLSX: one
sheet per unit group, area headers with their names and maxima, numbers as numbers.
CSV: one table for every group (area columns by area code), UTF-8 with a byte-order
mark so Excel opens it with its diacritics, comma-separated, decimal point (a
machine-readable file; the XLSX is the one for people).
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from scoring.results import GroupResults, ResultRow
from vi_format import format_points

ExportFormat = Literal["xlsx", "csv"]
EXPORT_FORMATS: tuple[ExportFormat, ...] = ("xlsx", "csv")


def remark(row: ResultRow) -> str:
    notes = []
    if row.provisional:
        notes.append("Tạm tính (chưa thẩm định xong)")
    if row.survey_missing:
        notes.append("Chưa có đủ kết quả điều tra xã hội học, đã quy đổi về thang điểm đầy đủ")
    return "; ".join(notes)


def _row_values(row: ResultRow, area_codes: Sequence[str]) -> list[Any]:
    return [
        row.rank,
        row.unit_code,
        row.name,
        row.group_label,
        *(row.area_points.get(code) for code in area_codes),
        row.bonus,
        row.penalty,
        row.total,
        row.percent,
        row.grade,
        remark(row),
    ]


_LEAD = ["Xếp hạng", "Mã đơn vị", "Tên đơn vị", "Nhóm"]
_TAIL = ["Điểm thưởng", "Điểm trừ", "Tổng điểm", "Tỷ lệ (%)", "Xếp loại", "Ghi chú"]


def write_csv(tables: Sequence[GroupResults], out: Path) -> Path:
    area_codes: list[str] = []
    for table in tables:
        area_codes += [a.code for a in table.areas if a.code not in area_codes]
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow([*_LEAD, *(f"Lĩnh vực {c}" for c in area_codes), *_TAIL])
        for table in tables:
            for row in table.rows:
                writer.writerow(["" if v is None else v for v in _row_values(row, area_codes)])
    return out


def write_xlsx(tables: Sequence[GroupResults], out: Path) -> Path:
    wb = Workbook()
    wb.remove(wb.active)
    for table in tables:
        ws = wb.create_sheet(table.group_label[:31])
        ws["A1"] = f"KẾT QUẢ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM {table.year} — {table.group_label.upper()}"
        ws["A1"].font = Font(bold=True, size=13)
        ws["A2"] = f"Bộ chỉ số: {table.version_name}"
        area_headers = [f"{a.code}. {a.name} (tối đa {format_points(a.max)})" for a in table.areas]
        headers = [*_LEAD, *area_headers, *_TAIL]
        ws.append([])
        ws.append(headers)
        for cell in ws[4]:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(wrap_text=True, vertical="center")
        codes = [a.code for a in table.areas]
        for row in table.rows:
            ws.append(_row_values(row, codes))
        for i, width in enumerate([9, 10, 40, 16, *([14] * len(codes)), 10, 10, 10, 10, 12, 40], start=1):
            ws.column_dimensions[ws.cell(row=4, column=i).column_letter].width = width
        first_number, last_number = len(_LEAD) + 1, len(headers) - 2
        for cells in ws.iter_rows(min_row=5, min_col=first_number, max_col=last_number):
            for cell in cells:
                cell.number_format = "0.00"
        ws.freeze_panes = "E5"
    out.parent.mkdir(parents=True, exist_ok=True)
    wb.save(out)
    return out


def write_results(tables: Sequence[GroupResults], fmt: ExportFormat, out: Path) -> Path:
    if fmt not in EXPORT_FORMATS:
        raise ValueError(f"Định dạng không hỗ trợ: {fmt!r} (xlsx hoặc csv).")
    return write_xlsx(tables, out) if fmt == "xlsx" else write_csv(tables, out)
