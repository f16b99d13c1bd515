"""The XLSX of Biểu số 06, opened back with openpyxl (no database: built from plain data)."""

from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import load_workbook

from dossier_stats.bieu06.report import Bieu06Report, Bieu06Row, build_rows
from dossier_stats.bieu06.unit import ReportUnit
from dossier_stats.bieu06.xlsx_writer import (
    FIRST_BODY_ROW,
    NUMBER_FORMAT,
    TITLE,
    bieu06_xlsx,
    note_row_index,
    row_numbers,
    total_row_index,
)
from dossier_stats.kpis import Kpis
from dossier_stats.rules import RULES_NOTE

LAND = Kpis(
    received_online=1200,
    received_direct_postal=300,
    carried_over=40,
    resolved_early=900,
    resolved_on_time=400,
    resolved_late=100,
    pending_within=120,
    pending_overdue=20,
)
CIVIL = Kpis(received_online=5, received_direct_postal=7, resolved_on_time=10, pending_within=2)
COMMUNE_CIVIL = Kpis(received_direct_postal=3, carried_over=1, resolved_early=2, pending_overdue=2)


def sample_report() -> Bieu06Report:
    by_level = {
        "department": [
            Bieu06Row("sector", "department", "DD", "Đất đai", LAND),
            Bieu06Row("sector", "department", None, "Lĩnh vực khác", CIVIL),
        ],
        "commune": [Bieu06Row("sector", "commune", "HT", "Hộ tịch", COMMUNE_CIVIL)],
    }
    return Bieu06Report(
        start=date(2025, 1, 1),
        end=date(2025, 12, 31),
        unit=ReportUnit(None, "Tỉnh Quảng Nam", "province"),
        rows=build_rows(by_level),
    )


@pytest.fixture
def sheet():
    report = sample_report()
    workbook = load_workbook(io.BytesIO(bieu06_xlsx(report)))
    return workbook.active


def texts(ws) -> list[str]:
    return [str(c.value) for row in ws.iter_rows() for c in row if c.value is not None]


def test_rows_are_levels_with_subtotals_then_sectors_then_the_total():
    report = sample_report()
    assert [(r.row_type, r.label) for r in report.rows] == [
        ("subtotal", "Cấp tỉnh — sở, ban, ngành"),
        ("sector", "Đất đai"),
        ("sector", "Lĩnh vực khác"),
        ("subtotal", "Cấp xã"),
        ("sector", "Hộ tịch"),
        ("total", "Tổng cộng"),
    ]
    assert report.rows[0].counts == LAND + CIVIL
    assert report.total == LAND + CIVIL + COMMUNE_CIVIL
    assert row_numbers(report) == ["I", "1", "2", "II", "1", ""]


def test_titles_period_unit_and_form_number(sheet):
    values = texts(sheet)
    assert "Biểu số 06/VPCP/KSTT" in values
    assert TITLE in values
    assert TITLE == (
        "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH TẠI CƠ QUAN, "
        "ĐƠN VỊ TRỰC TIẾP GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH"
    )
    assert "Kỳ báo cáo: từ ngày 01/01/2025 đến ngày 31/12/2025" in values
    assert "Đơn vị báo cáo: Tỉnh Quảng Nam" in values
    assert "Đơn vị tính: Số hồ sơ TTHC" in values


def test_group_headers_are_merged_over_their_columns(sheet):
    merged = {str(r) for r in sheet.merged_cells.ranges}
    assert {"A8:A10", "B8:B10", "C8:F8", "G8:J8", "K8:M8", "D9:E9", "C9:C10", "F9:F10"} <= merged
    assert sheet["C8"].value == "Số hồ sơ nhận giải quyết"
    assert sheet["G8"].value == "Số hồ sơ đã giải quyết"
    assert sheet["K8"].value == "Số hồ sơ đang giải quyết"
    assert [sheet.cell(row=10, column=c).value for c in (4, 5)] == [
        "Trực tuyến",
        "Trực tiếp, dịch vụ bưu chính",
    ]
    assert [sheet.cell(row=9, column=c).value for c in range(6, 14)] == [
        "Từ kỳ trước",
        "Tổng số",
        "Trước hạn",
        "Đúng hạn",
        "Quá hạn",
        "Tổng số",
        "Trong hạn",
        "Quá hạn",
    ]
    assert [sheet.cell(row=11, column=c).value for c in range(1, 14)] == [f"({i})" for i in range(1, 14)]


def test_totals_are_in_the_right_cells_as_numbers(sheet):
    report = sample_report()
    total_row = total_row_index(report)
    assert sheet.cell(row=total_row, column=2).value == "Tổng cộng"
    grand = LAND + CIVIL + COMMUNE_CIVIL
    assert [sheet.cell(row=total_row, column=c).value for c in range(3, 14)] == [
        grand.received_total,  # 1200+300+40 + 12 + 3+1 = 1556
        5 + 1200,
        300 + 7 + 3,
        40 + 1,
        900 + 400 + 100 + 10 + 2,
        902,
        410,
        100,
        120 + 20 + 2 + 2,
        122,
        22,
    ]
    assert grand.received_total == 1556
    first = FIRST_BODY_ROW
    assert [sheet.cell(row=first, column=c).value for c in (1, 2, 3)] == [
        "I",
        "Cấp tỉnh — sở, ban, ngành",
        1552,
    ]
    assert [sheet.cell(row=first + 1, column=c).value for c in (1, 2, 3, 6)] == ["1", "Đất đai", 1540, 40]
    cell = sheet.cell(row=first + 1, column=3)
    assert cell.number_format == NUMBER_FORMAT
    assert cell.alignment.horizontal == "right"
    assert sheet.cell(row=first, column=3).font.b
    assert sheet.cell(row=total_row, column=13).border.bottom.style == "thin"


def test_footer_states_the_rule_choices(sheet):
    note = sheet.cell(row=note_row_index(sample_report()), column=1).value
    assert note == f"Ghi chú: {RULES_NOTE}"
    assert "rút" in note and "tạm dừng" in note and "từ kỳ trước" in note


def test_printed_on_a4_landscape_fitted_to_width_with_repeated_header(sheet):
    setup = sheet.page_setup
    assert setup.orientation == "landscape"
    assert int(setup.paperSize) == 9  # A4 in the OOXML paper size list
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert int(setup.fitToWidth) == 1
    assert int(setup.fitToHeight) == 0
    assert sheet.print_title_rows == "$8:$11"
