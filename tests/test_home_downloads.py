""" "Tải số liệu" of the home map and rankings: the CSV's lines and cells (pure, no database)."""

from __future__ import annotations

import csv
import io
from datetime import date

from dossier_stats.kpis import Kpis, UnitKpis
from dossier_stats.metrics import METRICS
from layouts.common.rankings import rank_map_units, ranking_payload
from layouts.home.compare import with_changes
from layouts.home.downloads import ExportContext, map_table, ranking_rows, table_csv
from layouts.home.map_metrics import dossier_map_metric, kpi_map_units

ON_TIME = METRICS["on_time_rate"]
METRIC = dossier_map_metric(ON_TIME)
PROVINCE = Kpis(resolved_on_time=920, resolved_late=80, received_online=1000)


def unit(code, name, good, late):
    return UnitKpis(code, name, Kpis(resolved_on_time=good, resolved_late=late, received_online=good + late))


UNITS = [
    unit("501", "=HYPERLINK(1)", 199, 1),
    unit("502", "Huyện Tiên Phước", 150, 50),
    unit("503", "Xã Ít", 3, 1),
]


def read(content: bytes) -> list[list[str]]:
    assert content.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def context(running: bool = True, compare: str | None = None) -> ExportContext:
    return ExportContext(
        title="Tỷ lệ giải quyết đúng hạn — Tháng 11/2026",
        period_label="Tháng 11/2026",
        as_of_day=date(2026, 11, 27) if running else date(2026, 11, 30),
        running=running,
        rules="Quy tắc tỉnh: …",
        source="Bản đồ thể chế — Tỉnh Quảng Nam; Dữ liệu cập nhật lúc 07:46 27/11/2026",
        compare_label=compare,
        compare_as_of=date(2026, 10, 31) if compare else None,
    )


def marked(units=UNITS):
    from dossier_stats.benchmark import unit_rows

    return kpi_map_units(units, ON_TIME, {r.code: r for r in unit_rows(units, PROVINCE, ON_TIME)})


def test_map_csv_holds_period_as_of_rule_source_and_what_each_colour_says():
    columns, rows = map_table(marked(), METRIC, "compare", "toàn tỉnh", compared=False)
    lines = read(table_csv(context(), columns, rows))
    assert lines[0] == ["Tỷ lệ giải quyết đúng hạn — Tháng 11/2026"]
    assert lines[1] == ["Kỳ báo cáo: Tháng 11/2026"]
    assert lines[2] == ["Số liệu tính đến ngày 27/11/2026 (kỳ chưa kết thúc)"]
    assert lines[3][0].startswith("Cách tính: ") and lines[4][0].startswith("Nguồn: Bản đồ thể chế")
    assert lines[5] == ["Mã", "Đơn vị", "Tỷ lệ", "So với toàn tỉnh"]
    assert lines[6] == ["501", "'=HYPERLINK(1)", "99,5%", "Tốt hơn có ý nghĩa thống kê"]  # neutralised
    assert lines[7] == ["502", "Huyện Tiên Phước", "75,0%", "Kém hơn có ý nghĩa thống kê"]
    assert lines[8] == ["503", "Xã Ít", "75,0%", "Ít số liệu (< 20 hồ sơ)"]


def test_a_finished_period_says_so_and_the_fixed_mode_has_no_judgement_column():
    columns, rows = map_table(marked(), METRIC, "fixed", "toàn tỉnh", compared=False)
    lines = read(table_csv(context(running=False), columns, rows))
    assert lines[2] == ["Số liệu cả kỳ, đến hết ngày 30/11/2026"]
    assert lines[5] == ["Mã", "Đơn vị", "Tỷ lệ"]


def test_comparison_csv_has_the_second_period_and_the_change_columns():
    before = marked([unit("501", "=HYPERLINK(1)", 90, 10), unit("502", "Huyện Tiên Phước", 190, 10)])
    shown = with_changes(marked(), before, METRIC, "Tháng 10/2026")
    columns, rows = map_table(shown, METRIC, "compare", "toàn tỉnh", compared=True)
    lines = read(table_csv(context(compare="Tháng 10/2026"), columns, rows))
    assert lines[3] == ["So sánh với: Tháng 10/2026 (số liệu đến ngày 31/10/2026)"]
    assert lines[6] == ["Mã", "Đơn vị", "Tỷ lệ", "Thay đổi (điểm %)", "± hạng"]
    assert lines[7] == ["501", "'=HYPERLINK(1)", "99,5%", "+9,5", "↑1"]  # a number stays a number
    assert lines[8] == ["502", "Huyện Tiên Phước", "75,0%", "−20", "↓1"]


def test_ranking_csv_is_the_table_as_shown_without_links():
    payload = ranking_payload(rank_map_units(marked(), METRIC), METRIC, href=lambda c: f"/?unit={c}")
    columns, rows = ranking_rows(payload)
    assert columns == ["Hạng", "Đơn vị", "Tỷ lệ", "Tiếp nhận", "Đang quá hạn"]
    assert rows == [
        ["1", "=HYPERLINK(1)", "99,5%", "200", "0"],
        ["2", "Huyện Tiên Phước", "75,0%", "200", "0"],
        ["—", "Xã Ít", "75,0%", "4", "0"],  # few data: after the ranked, no rank
    ]
    lines = read(table_csv(context(), columns, rows))
    assert lines[-3][1] == "'=HYPERLINK(1)"
