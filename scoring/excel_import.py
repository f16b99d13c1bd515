"""Reading a filled self-assessment workbook back (all or nothing).

Every cell is checked before anything is written; each problem names its sheet, cell
and reason, e.g. "Sheet 'Tự đánh giá', ô E12: 7,5 vượt điểm tối đa 6". When there is
any problem nothing is applied. Otherwise the rows go through
`workflow.set_self_assessment` in one transaction (who and when, history). An empty
points cell clears the points of that row: the file is the unit's whole self-assessment.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy import Connection, Engine

from accounts.permissions import Actor
from scoring.definition import IndexDefinition
from scoring.excel_layout import (
    CODE_COL,
    EVIDENCE_COL,
    FORMAT_VERSION,
    HEADER_ROW,
    HEADERS,
    INPUT_COLS,
    META_KEYS,
    META_SHEET,
    NOTE_COL,
    POINTS_COL,
    SHEET,
)
from scoring.numbers import has_at_most_two_decimals
from scoring.versions import StoredVersion, version_by_id
from scoring.workflow import MAX_TEXT, SelfAssessment, is_locked, require_unit, set_self_assessment
from vi_format import format_points, parse_points


def rejected_file_text(path: Path, problems: Sequence[object]) -> str:
    """The message of an import file refused as a whole: nothing applied, every problem listed."""
    lines = "\n".join(f"  - {p}" for p in problems)
    return f"Không nhập tệp {path} (không áp dụng gì), {len(problems)} lỗi:\n{lines}"


@dataclass(frozen=True)
class CellProblem:
    sheet: str
    cell: str  # "E12", or "" for the file as a whole
    message: str

    def __str__(self) -> str:
        where = f"Sheet '{self.sheet}', ô {self.cell}" if self.cell else f"Sheet '{self.sheet}'"
        return f"{where}: {self.message}"


@dataclass
class ImportReport:
    path: Path
    unit_code: str | None = None
    year: int | None = None
    rows: int = 0  # sub-criteria rows read
    changed: int = 0  # entries written
    problems: list[CellProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def format_vi(self) -> str:
        if self.problems:
            return rejected_file_text(self.path, self.problems)
        return (
            f"Đã nhập tự đánh giá của đơn vị {self.unit_code} năm {self.year} từ {self.path}: "
            f"{self.rows} tiêu chí thành phần đọc, {self.changed} thay đổi."
        )


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _points(value: Any, max_points: float) -> tuple[float | None, str | None]:
    """(points, problem) of a points cell."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, None
    if isinstance(value, bool):
        return None, f"'{value}' không phải là số"
    if isinstance(value, str):
        try:
            number = parse_points(value)
        except ValueError:
            return None, f"'{value}' không phải là số"
    elif isinstance(value, int | float):
        number = float(value)
    else:
        return None, f"'{value}' không phải là số"
    if isinstance(value, str):
        shown = value.strip()
    elif has_at_most_two_decimals(number):
        shown = format_points(number)
    else:
        shown = repr(number).replace(".", ",")
    if number < 0:
        return None, f"{shown} là số âm"
    if number > max_points + 1e-9:
        return None, f"{shown} vượt điểm tối đa {format_points(max_points)}"
    if not has_at_most_two_decimals(number):
        return None, f"{shown}: chỉ lấy tối đa hai chữ số thập phân"
    return number, None


def _meta(wb: Any, problems: list[CellProblem]) -> dict[str, Any] | None:
    if META_SHEET not in wb.sheetnames or SHEET not in wb.sheetnames:
        problems.append(
            CellProblem(
                SHEET, "", "tệp không phải phiếu tự đánh giá do phần mềm tạo (python cli.py scoring template)"
            )
        )
        return None
    ws = wb[META_SHEET]
    meta = {ws[f"A{i}"].value: ws[f"B{i}"].value for i in range(1, len(META_KEYS) + 1)}
    if any(k not in meta for k in META_KEYS) or str(meta["format"]) != FORMAT_VERSION:
        problems.append(
            CellProblem(META_SHEET, "", "thông tin ẩn của tệp đã bị sửa hoặc không đúng phiên bản mẫu")
        )
        return None
    return meta


def _check_header(ws: Worksheet, problems: list[CellProblem]) -> bool:
    for col, header in HEADERS.items():
        if _text(ws[f"{col}{HEADER_ROW}"].value) != header:
            problems.append(CellProblem(SHEET, f"{col}{HEADER_ROW}", f"tiêu đề cột phải là '{header}'"))
    return not problems


def _read_rows(
    ws: Worksheet, definition: IndexDefinition, problems: list[CellProblem]
) -> list[SelfAssessment]:
    subs = {s.code: s for s in definition.sub_criteria()}
    headings = {a.code for a in definition.areas} | {c.code for a in definition.areas for c in a.criteria}
    seen: dict[str, int] = {}
    items: list[SelfAssessment] = []
    for row in range(HEADER_ROW + 1, ws.max_row + 1):
        code = _text(ws[f"{CODE_COL}{row}"].value)
        inputs = {col: ws[f"{col}{row}"].value for col in INPUT_COLS}
        has_input = any(_text(v) is not None for v in inputs.values())
        if code is None:
            if has_input:
                problems.append(
                    CellProblem(SHEET, f"{CODE_COL}{row}", "dòng có nhập liệu nhưng không có mã tiêu chí")
                )
            continue
        if code in seen:
            problems.append(
                CellProblem(SHEET, f"{CODE_COL}{row}", f"mã {code} lặp lại (đã có ở dòng {seen[code]})")
            )
            continue
        seen[code] = row
        sub = subs.get(code)
        if sub is None:
            if code not in headings:
                problems.append(
                    CellProblem(SHEET, f"{CODE_COL}{row}", f"mã '{code}' không có trong bộ chỉ số")
                )
            elif has_input:
                problems.append(
                    CellProblem(SHEET, f"{POINTS_COL}{row}", f"dòng {code} là dòng tổng, không nhập")
                )
            continue
        if sub.source != "assessment":
            if has_input:
                how = (
                    "tính tự động từ dữ liệu hồ sơ" if sub.source == "auto" else "lấy từ điều tra xã hội học"
                )
                problems.append(
                    CellProblem(SHEET, f"{POINTS_COL}{row}", f"tiêu chí {code} được {how}, không nhập điểm")
                )
            continue
        points, problem = _points(inputs[POINTS_COL], sub.max)
        if problem:
            problems.append(CellProblem(SHEET, f"{POINTS_COL}{row}", problem))
        for col, label in ((EVIDENCE_COL, "minh chứng"), (NOTE_COL, "ghi chú")):
            text = _text(inputs[col])
            if text is not None and len(text) > MAX_TEXT:
                problems.append(CellProblem(SHEET, f"{col}{row}", f"{label} dài quá {MAX_TEXT} ký tự"))
        items.append(SelfAssessment(code, points, _text(inputs[EVIDENCE_COL]), _text(inputs[NOTE_COL])))
    return items


class _Stop(Exception):
    """The file cannot be read further; its problems are in the report."""


def read_workbook(
    conn: Connection, path: Path, report: ImportReport
) -> tuple[StoredVersion, list[SelfAssessment]]:
    """The version and rows of a workbook; problems go to `report` (nothing is written)."""
    problems = report.problems
    try:
        wb = load_workbook(path, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        problems.append(CellProblem(SHEET, "", f"không đọc được tệp Excel: {exc.__class__.__name__}: {exc}"))
        raise _Stop from None
    meta = _meta(wb, problems)
    if meta is None:
        raise _Stop
    report.unit_code, report.year = str(meta["unit_code"]), int(meta["year"])
    version = version_by_id(conn, int(meta["version_id"]))
    if version is None or version.year != report.year or version.group != meta["group"]:
        problems.append(
            CellProblem(META_SHEET, "", f"bộ chỉ số năm {report.year} của tệp không còn trong hệ thống")
        )
        raise _Stop
    ws = wb[SHEET]
    if not _check_header(ws, problems):
        raise _Stop
    items = _read_rows(ws, version.definition, problems)
    report.rows = len(items)
    return version, items


def import_workbook(engine: Engine, path: Path, actor: Actor) -> ImportReport:
    """Check every cell, then apply all rows in one transaction, or nothing."""
    report = ImportReport(path=path)
    with engine.begin() as conn:
        try:
            version, items = read_workbook(conn, path, report)
        except _Stop:
            return report
        assert report.unit_code is not None
        try:
            require_unit(conn, version, report.unit_code)
        except ValueError as exc:
            report.problems.append(CellProblem(META_SHEET, "", str(exc)))
        if is_locked(conn, version.id, report.unit_code):
            report.problems.append(
                CellProblem(
                    SHEET, "", f"đơn vị {report.unit_code} đã khóa bản tự đánh giá năm {version.year}"
                )
            )
        if report.problems:
            return report
        report.changed = set_self_assessment(conn, version, report.unit_code, items, actor)
    return report
