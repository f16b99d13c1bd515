"""The self-assessment workbook: written per unit, filled, read back all or nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from db.schema_scoring import scoring_entries
from scoring.excel_import import import_workbook
from scoring.excel_layout import EVIDENCE_COL, META_SHEET, NOTE_COL, POINTS_COL, SHEET
from scoring.excel_template import TemplateError, write_template
from scoring.history import history
from scoring.workflow import SelfAssessment, lock_self_assessment, set_self_assessment
from tests.test_scoring_definition import small_mapping
from tests.test_scoring_workflow import load_small_registry, staff, store

UNIT = staff("STP")  # the unit's staff entering points on the page
FILLER = staff("STP", "le.van.c")  # another of its staff importing the workbook


@pytest.fixture
def version(db_engine):
    load_small_registry(db_engine)
    return store(db_engine, small_mapping("departments"))


def rows_by_code(path: Path) -> dict[str, int]:
    ws = load_workbook(path)[SHEET]
    return {ws[f"A{r}"].value: r for r in range(7, ws.max_row + 1) if ws[f"A{r}"].value}


def template(db_engine, tmp_path: Path, unit: str = "STP") -> Path:
    with db_engine.connect() as conn:
        return write_template(conn, unit, 2025, tmp_path / f"{unit}.xlsx")


def fill(path: Path, values: dict[str, dict[str, object]]) -> None:
    wb = load_workbook(path)
    ws = wb[SHEET]
    rows = rows_by_code(path)
    for code, cells in values.items():
        for col, value in cells.items():
            ws[f"{col}{rows[code]}"] = value
    wb.save(path)


def stored(db_engine, unit: str = "STP") -> dict[str, tuple]:
    e = scoring_entries.c
    with db_engine.connect() as conn:
        rows = conn.execute(
            select(e.item_code, e.self_points, e.evidence, e.self_note, e.self_by).where(e.unit_code == unit)
        ).all()
    return {r.item_code: tuple(r[1:]) for r in rows}


def test_template_has_the_tree_only_input_cells_unlocked_and_what_was_entered(db_engine, version, tmp_path):
    with db_engine.begin() as conn:
        set_self_assessment(conn, version, "STP", [SelfAssessment("1.1.2", 7.5, "CV 3", "ghi")], UNIT)
    path = template(db_engine, tmp_path)
    wb = load_workbook(path)
    assert wb.sheetnames == [SHEET, META_SHEET]
    assert wb[META_SHEET].sheet_state == "hidden"
    ws = wb[SHEET]
    assert ws.protection.sheet
    assert [ws[f"{c}6"].value for c in "ABCDEFG"] == [
        "Mã",
        "Lĩnh vực / tiêu chí / tiêu chí thành phần",
        "Điểm tối đa",
        "Nguồn điểm",
        "Điểm tự đánh giá",
        "Minh chứng (số, ngày văn bản; đường dẫn tài liệu)",
        "Ghi chú",
    ]
    rows = rows_by_code(path)
    assert list(rows) == [
        "1",
        "1.1",
        "1.1.1",
        "1.1.2",
        "2",
        "2.1",
        "2.1.1",
        "2.1.2",
        "3",
        "3.1",
        "3.1.1",
        "3.1.2",
    ]
    assert ws[f"C{rows['1.1.1']}"].value == 25
    assert ws[f"D{rows['2.1.1']}"].value == "Tự động từ dữ liệu hồ sơ"
    unlocked = {
        (code, col)
        for code, row in rows.items()
        for col in "ABCDEFG"
        if not ws[f"{col}{row}"].protection.locked
    }
    assert unlocked == {
        (code, col) for code in ("1.1.1", "1.1.2") for col in (POINTS_COL, EVIDENCE_COL, NOTE_COL)
    }
    assert "Sở Tư pháp (mã STP)" in ws["A2"].value
    row = rows["1.1.2"]
    assert [ws[f"{c}{row}"].value for c in (POINTS_COL, EVIDENCE_COL, NOTE_COL)] == [7.5, "CV 3", "ghi"]


def test_template_for_a_unit_not_scored_that_year_is_refused(db_engine, version, tmp_path):
    with db_engine.connect() as conn, pytest.raises(TemplateError, match="'SCU' không thuộc nhóm nào"):
        write_template(conn, "SCU", 2025, tmp_path / "x.xlsx")
    with (
        db_engine.connect() as conn,
        pytest.raises(TemplateError, match="Chưa nạp bộ chỉ số nào của năm 2030"),
    ):
        write_template(conn, "STP", 2030, tmp_path / "x.xlsx")


def test_filled_workbook_round_trip(db_engine, version, tmp_path):
    path = template(db_engine, tmp_path)
    fill(
        path,
        {
            "1.1.1": {
                POINTS_COL: "22,75",
                EVIDENCE_COL: "QĐ 45/QĐ-STP ngày 3/3/2025",
                NOTE_COL: "hoàn thành",
            },
            "1.1.2": {POINTS_COL: 15},
        },
    )
    report = import_workbook(db_engine, path, FILLER)
    assert report.ok, report.format_vi()
    assert (report.unit_code, report.year, report.rows, report.changed) == ("STP", 2025, 2, 2)
    assert stored(db_engine) == {
        "1.1.1": (22.75, "QĐ 45/QĐ-STP ngày 3/3/2025", "hoàn thành", FILLER.name),
        "1.1.2": (15, None, None, FILLER.name),
    }
    with db_engine.connect() as conn:
        assert {(h.item_code, h.field, h.new_value) for h in history(conn, version.id, "STP")} >= {
            ("1.1.1", "self_points", "22.75"),
            ("1.1.2", "self_points", "15.0"),
        }
    assert import_workbook(db_engine, path, FILLER).changed == 0  # the same file again changes nothing


def test_every_bad_cell_is_reported_and_nothing_is_applied(db_engine, version, tmp_path):
    with db_engine.begin() as conn:
        set_self_assessment(conn, version, "STP", [SelfAssessment("1.1.2", 5)], UNIT)
    path = template(db_engine, tmp_path)
    rows = rows_by_code(path)
    fill(
        path,
        {
            "1.1.1": {POINTS_COL: "27,5", EVIDENCE_COL: "x" * 2001},
            "1.1.2": {POINTS_COL: "mười"},
            "2.1.1": {POINTS_COL: 5},  # auto: no input (only possible with the protection removed)
        },
    )
    wb = load_workbook(path)  # rows added below the table (protection removed)
    end = wb[SHEET].max_row
    wb[SHEET].append(["1.1.1", None, None, None, 3])
    wb[SHEET].append(["4.4.4"])
    wb.save(path)
    report = import_workbook(db_engine, path, FILLER)
    assert [str(p) for p in report.problems] == [
        f"Sheet 'Tự đánh giá', ô E{rows['1.1.1']}: 27,5 vượt điểm tối đa 25",
        f"Sheet 'Tự đánh giá', ô F{rows['1.1.1']}: minh chứng dài quá 2000 ký tự",
        f"Sheet 'Tự đánh giá', ô E{rows['1.1.2']}: 'mười' không phải là số",
        f"Sheet 'Tự đánh giá', ô E{rows['2.1.1']}: "
        "tiêu chí 2.1.1 được tính tự động từ dữ liệu hồ sơ, không nhập điểm",
        f"Sheet 'Tự đánh giá', ô A{end + 1}: mã 1.1.1 lặp lại (đã có ở dòng {rows['1.1.1']})",
        f"Sheet 'Tự đánh giá', ô A{end + 2}: mã '4.4.4' không có trong bộ chỉ số",
    ]
    assert "không áp dụng gì" in report.format_vi()
    assert stored(db_engine) == {"1.1.2": (5, None, None, UNIT.name)}

    path = template(db_engine, tmp_path)
    fill(path, {"1.1.1": {POINTS_COL: -2}, "1.1.2": {POINTS_COL: 1.125}})
    assert [str(p) for p in import_workbook(db_engine, path, FILLER).problems] == [
        f"Sheet 'Tự đánh giá', ô E{rows['1.1.1']}: -2 là số âm",
        f"Sheet 'Tự đánh giá', ô E{rows['1.1.2']}: 1,125: chỉ lấy tối đa hai chữ số thập phân",
    ]
    assert stored(db_engine) == {"1.1.2": (5, None, None, UNIT.name)}


def test_workbook_of_a_locked_unit_is_refused(db_engine, version, tmp_path):
    path = template(db_engine, tmp_path)
    with db_engine.begin() as conn:
        items = [SelfAssessment("1.1.1", 20), SelfAssessment("1.1.2", 10)]
        set_self_assessment(conn, version, "STP", items, UNIT)
        lock_self_assessment(conn, version, "STP", UNIT)
    fill(path, {"1.1.1": {POINTS_COL: 25}})
    report = import_workbook(db_engine, path, FILLER)
    assert [str(p) for p in report.problems] == [
        "Sheet 'Tự đánh giá': đơn vị STP đã khóa bản tự đánh giá năm 2025"
    ]
    assert stored(db_engine)["1.1.1"][0] == 20


def test_a_workbook_not_made_by_the_template_is_refused(db_engine, version, tmp_path):
    from openpyxl import Workbook

    path = tmp_path / "other.xlsx"
    Workbook().save(path)
    report = import_workbook(db_engine, path, FILLER)
    assert not report.ok
    assert "không phải phiếu tự đánh giá do phần mềm tạo" in str(report.problems[0])
    not_excel = tmp_path / "note.xlsx"
    not_excel.write_text("hello", encoding="utf-8")
    assert "không đọc được tệp Excel" in str(import_workbook(db_engine, not_excel, FILLER).problems[0])
