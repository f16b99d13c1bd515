"""The self-assessment workbook of one unit (phiếu tự đánh giá), written with openpyxl.

One sheet "Tự đánh giá" holds the tree of the year's index: areas and criteria as
heading rows, one row per sub-criterion with its maximum and source. Only the input
cells of assessment sub-criteria (points, evidence, note) are unlocked; the sheet is
protected so the rest cannot be changed by accident. Values already entered are
filled in. A hidden sheet records the unit, year, group and version for the import.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy import Connection

from scoring.definition import SOURCES, IndexDefinition
from scoring.engine import Entry
from scoring.excel_layout import (
    CODE_COL,
    COLUMNS,
    EVIDENCE_COL,
    FIRST_ROW,
    FORMAT_VERSION,
    HEADER_ROW,
    INPUT_COLS,
    MAX_COL,
    META_SHEET,
    NAME_COL,
    NOTE_COL,
    POINTS_COL,
    SHEET,
    SOURCE_COL,
)
from scoring.inputs import read_entries
from scoring.units import scored_units
from scoring.versions import StoredVersion, list_versions
from vi_format import format_points

AREA_FILL = PatternFill("solid", fgColor="D9E2F3")
CRITERION_FILL = PatternFill("solid", fgColor="F2F2F2")
INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")
BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")


class TemplateError(LookupError):
    pass


def find_unit_version(conn: Connection, unit_code: str, year: int) -> tuple[StoredVersion, str]:
    """(the version of the year that scores the unit, the unit's name); TemplateError otherwise."""
    versions = [v for v in list_versions(conn) if v.year == year]
    if not versions:
        raise TemplateError(f"Chưa nạp bộ chỉ số nào của năm {year} (python cli.py scoring load TỆP).")
    for version in versions:
        for unit in scored_units(conn, version.group, year):
            if unit.code == unit_code:
                return version, unit.name
    groups = ", ".join(v.definition.group_label for v in versions)
    raise TemplateError(f"Mã đơn vị '{unit_code}' không thuộc nhóm nào được chấm điểm năm {year} ({groups}).")


def _heading(ws: Worksheet, row: int, code: str, name: str, max_points: float, fill: PatternFill) -> None:
    ws[f"{CODE_COL}{row}"] = code
    ws[f"{NAME_COL}{row}"] = name
    ws[f"{MAX_COL}{row}"] = max_points
    for col, *_ in COLUMNS:
        ws[f"{col}{row}"].fill = fill
        ws[f"{col}{row}"].font = BOLD
        ws[f"{col}{row}"].alignment = WRAP


def _write_tree(ws: Worksheet, definition: IndexDefinition, entries: dict[str, Entry]) -> int:
    """Rows of the tree from FIRST_ROW; returns the last row written."""
    row = FIRST_ROW - 1
    for area in definition.areas:
        row += 1
        _heading(ws, row, area.code, area.name.upper(), area.max, AREA_FILL)
        for criterion in area.criteria:
            row += 1
            _heading(ws, row, criterion.code, criterion.name, criterion.max, CRITERION_FILL)
            for sub in criterion.sub_criteria:
                row += 1
                ws[f"{CODE_COL}{row}"] = sub.code
                ws[f"{NAME_COL}{row}"] = sub.name if not sub.guidance else f"{sub.name}\n({sub.guidance})"
                ws[f"{MAX_COL}{row}"] = sub.max
                ws[f"{SOURCE_COL}{row}"] = SOURCES[sub.source]
                for col, *_ in COLUMNS:
                    ws[f"{col}{row}"].alignment = WRAP
                if sub.source != "assessment":
                    continue
                entry = entries.get(sub.code) or Entry()
                ws[f"{POINTS_COL}{row}"] = entry.self_points
                ws[f"{EVIDENCE_COL}{row}"] = entry.evidence
                ws[f"{NOTE_COL}{row}"] = entry.self_note
                for col in INPUT_COLS:
                    ws[f"{col}{row}"].protection = Protection(locked=False)
                    ws[f"{col}{row}"].fill = INPUT_FILL
    return row


def _points_validation(ws: Worksheet, first: int, last: int) -> None:
    """Excel-side help only (the import checks again): points between 0 and column C."""
    rule = DataValidation(
        type="decimal",
        operator="between",
        formula1="0",
        formula2=f"{MAX_COL}{first}",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Điểm không hợp lệ",
        error="Điểm phải từ 0 đến điểm tối đa ở cột C.",
    )
    ws.add_data_validation(rule)
    rule.add(f"{POINTS_COL}{first}:{POINTS_COL}{last}")


def write_template(conn: Connection, unit_code: str, year: int, out: Path) -> Path:
    """Write the unit's workbook for the year to `out`; TemplateError when there is none to write."""
    version, unit_name = find_unit_version(conn, unit_code, year)
    definition = version.definition
    entries = read_entries(conn, version.id).get(unit_code, {})
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    ws["A1"] = f"PHIẾU TỰ ĐÁNH GIÁ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM {year}"
    ws["A1"].font = Font(bold=True, size=14)
    ws["A2"] = f"Đơn vị: {unit_name} (mã {unit_code}) — nhóm {definition.group_label}"
    ws["A3"] = f"Bộ chỉ số: {definition.name}"
    ws["A4"] = (
        f"Nhập điểm vào cột {POINTS_COL} (từ 0 đến điểm tối đa ở cột {MAX_COL}, tối đa hai chữ số thập phân, "
        f"ví dụ 0,75), minh chứng vào cột {EVIDENCE_COL}, ghi chú vào cột {NOTE_COL}; các ô khác đã khóa. "
        "Tiêu chí tính tự động và điều tra xã hội học không nhập ở đây."
    )
    last_col = COLUMNS[-1][0]
    for row in range(1, HEADER_ROW - 1):
        ws.merge_cells(f"A{row}:{last_col}{row}")
        ws[f"A{row}"].alignment = Alignment(wrap_text=True, vertical="top")
    ws.row_dimensions[4].height = 45
    for col, header, width in COLUMNS:
        cell = ws[f"{col}{HEADER_ROW}"]
        cell.value = header
        cell.font = BOLD
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        ws.column_dimensions[col].width = width
    last = _write_tree(ws, definition, entries)
    _points_validation(ws, FIRST_ROW, last)
    total_row = last + 2
    ws[f"{NAME_COL}{total_row}"] = f"Tổng điểm tối đa {format_points(definition.max_total)}"
    ws[f"{NAME_COL}{total_row}"].font = BOLD
    ws.freeze_panes = f"A{FIRST_ROW}"
    ws.protection.sheet = True
    ws.protection.formatColumns = False  # widths may be adjusted
    ws.protection.formatRows = False

    meta = wb.create_sheet(META_SHEET)
    for i, (key, value) in enumerate(
        (
            ("format", FORMAT_VERSION),
            ("unit_code", unit_code),
            ("unit_name", unit_name),
            ("year", year),
            ("group", definition.group),
            ("version_id", version.id),
            ("checksum", version.checksum),
        ),
        start=1,
    ):
        meta[f"A{i}"] = key
        meta[f"B{i}"] = value
    meta.sheet_state = "hidden"
    meta.protection.sheet = True
    out.parent.mkdir(parents=True, exist_ok=True)
    wb.save(out)
    return out
