"""Pure builders of the detail tabs: trend and rank figures, the overdue table and its sort
and pages, channels, the report tab and the download file names — from plain data."""

from __future__ import annotations

from datetime import date

import pytest

from callbacks.home.details import after_click, needs_render, unit_code
from dossier_stats.bieu06.report import Bieu06Report, Bieu06Row
from dossier_stats.bieu06.unit import ReportUnit
from dossier_stats.channels import ChannelCounts, ChannelReport
from dossier_stats.kpis import Kpis
from dossier_stats.overdue import OverdueDossier, OverduePage
from dossier_stats.periods import Period
from dossier_stats.trends import MonthPoint, RankPoint, Series, UnitTrends
from layouts.home.details.channels import channel_figure, channel_table, channels_tab, desk_rows
from layouts.home.details.ids import SORT_HEADER, DetailsIds
from layouts.home.details.overdue import (
    EMPTY_TEXT,
    OverdueState,
    moved,
    overdue_filename,
    overdue_table,
    page_count,
    pager_text,
    row_cells,
    sorted_by,
    summary_text,
    table_block,
)
from layouts.home.details.report import preview_table, report_filename, report_tab
from layouts.home.details.section import DEFAULT_TAB, TABS, details_section, tab_key
from layouts.home.details.trends import (
    COUNT_TITLE,
    NO_RANK_TEXT,
    RATE_TITLE,
    month_date,
    month_label,
    rank_figure,
    rate_range,
    trend_end_month,
    trend_figure,
    trends_tab,
)
from layouts.home.ids import Ids
from layouts.home.view import View

PROVINCE = ReportUnit(None, "Tỉnh Quảng Nam", "province")
DISTRICT = ReportUnit("502", "Thành phố Tam Kỳ", "district")
COMMUNE = ReportUnit("20341", "Phường Tam Kỳ", "commune")
MONTHS = [202608, 202609, 202610]
OCT = Period("month", 2026, 10)


def series(unit: ReportUnit, rates: list[float | None], received=(10, 20, 30), resolved=(8, 0, 40)) -> Series:
    points = [
        MonthPoint(m, rec, res, rate)
        for m, rec, res, rate in zip(MONTHS, received, resolved, rates, strict=True)
    ]
    return Series(unit, points)


def trends_of(
    unit: ReportUnit, parent: ReportUnit | None, ranks: list[RankPoint] | None = None
) -> UnitTrends:
    return UnitTrends(
        metric="on_time_rate",
        months=MONTHS,
        unit=series(unit, [0.875, None, 0.735]),
        parent=None if parent is None else series(parent, [0.9, 0.95, 1.0]),
        province=series(PROVINCE, [0.8, 0.85, 0.9]),
        ranks=ranks or [],
    )


def lines(figure):
    return [t for t in figure["data"] if t["type"] == "scatter"]


def bars(figure):
    return [t for t in figure["data"] if t["type"] == "bar"]


def texts(component) -> list[str]:
    """Every string inside a component tree, depth first."""
    if component is None:
        return []
    if isinstance(component, str | int | float):
        return [str(component)]
    if isinstance(component, list | tuple):
        return [t for c in component for t in texts(c)]
    return texts(getattr(component, "children", None))


def find(component, component_id):
    if getattr(component, "id", None) == component_id:
        return component
    children = getattr(component, "children", None)
    for child in children if isinstance(children, list | tuple) else [children]:
        if child is not None and not isinstance(child, str | int | float):
            hit = find(child, component_id)
            if hit is not None:
                return hit
    return None


# ---------------------------------------------------------------- trends


def test_a_commune_trend_has_rate_lines_for_commune_district_and_province():
    figure = trend_figure(trends_of(COMMUNE, DISTRICT))
    assert [(t["name"], t["meta"]) for t in lines(figure)] == [
        ("Phường Tam Kỳ", "unit"),
        ("Thành phố Tam Kỳ", "parent"),
        ("Tỉnh Quảng Nam", "province"),
    ]
    unit_line = lines(figure)[0]
    assert unit_line["x"] == ["2026-08-01", "2026-09-01", "2026-10-01"]
    assert unit_line["y"] == [87.5, None, 73.5]  # a month without resolved dossiers is a gap
    assert unit_line["connectgaps"] is False
    assert unit_line["customdata"][0] == "Phường Tam Kỳ: 87,5% (8 hồ sơ đã giải quyết)"
    assert unit_line["customdata"][1] == "Phường Tam Kỳ: — (chưa giải quyết hồ sơ nào)"


def test_a_district_trend_draws_its_parent_the_province_once():
    figure = trend_figure(trends_of(DISTRICT, PROVINCE))
    assert [(t["name"], t["meta"]) for t in lines(figure)] == [
        ("Thành phố Tam Kỳ", "unit"),
        ("Tỉnh Quảng Nam", "province"),
    ]


def test_the_province_trend_has_one_rate_line():
    figure = trend_figure(trends_of(PROVINCE, None))
    assert [t["name"] for t in lines(figure)] == ["Tỉnh Quảng Nam"]


def test_received_and_resolved_bars_of_the_unit_on_the_lower_panel():
    figure = trend_figure(trends_of(COMMUNE, DISTRICT))
    assert [(t["meta"], t["y"], t["yaxis"]) for t in bars(figure)] == [
        ("received", [10, 20, 30], "y2"),
        ("resolved", [8, 0, 40], "y2"),
    ]
    assert bars(figure)[0]["name"] == "Tiếp nhận mới — Phường Tam Kỳ"
    assert bars(figure)[1]["customdata"][2] == "Đã giải quyết: 40"


def test_trend_layout_is_vietnamese_with_vietnamese_separators():
    layout = trend_figure(trends_of(COMMUNE, DISTRICT))["layout"]
    assert layout["separators"] == ",."
    assert layout["yaxis"]["title"]["text"] == RATE_TITLE == "Tỷ lệ giải quyết đúng hạn (%)"
    assert layout["yaxis2"]["title"]["text"] == COUNT_TITLE == "Số hồ sơ"
    assert layout["yaxis"]["ticksuffix"] == "%"
    # half a month of margin around the first and last month
    assert layout["xaxis2"]["range"] == ["2026-07-16", "2026-10-17"]


def test_rate_axis_starts_a_round_ten_below_the_lowest_rate_drawn():
    # lowest is the unit's 73,5% → 70; the parent's 100% is inside 101
    assert rate_range(trends_of(COMMUNE, DISTRICT)) == [70.0, 101]
    empty = UnitTrends(
        "on_time_rate", MONTHS, series(PROVINCE, [None, None, None]), None, series(PROVINCE, [None] * 3), []
    )
    assert rate_range(empty) == [0, 101]


def test_rank_figure_puts_rank_one_on_top_and_leaves_unranked_months_empty():
    ranks = [RankPoint(202608, 0.875, 2, 5), RankPoint(202609, None, None, 4), RankPoint(202610, 0.735, 5, 5)]
    figure = rank_figure(trends_of(COMMUNE, DISTRICT, ranks))
    trace = figure["data"][0]
    assert trace["y"] == [2, None, 5]
    assert trace["customdata"] == [
        "Hạng 2/5 (đúng hạn 87,5%)",
        "Không xếp hạng (4 đơn vị có số liệu)",
        "Hạng 5/5 (đúng hạn 73,5%)",
    ]
    assert figure["layout"]["yaxis"]["range"] == [5.5, 0.5]  # reversed: 1 at the top
    assert figure["layout"]["yaxis"]["title"]["text"] == "Hạng"


def test_trends_tab_shows_the_rank_chart_only_when_the_unit_has_siblings():
    ranks = [RankPoint(m, 0.9, 1, 3) for m in MONTHS]
    with_ranks = trends_tab(trends_of(DISTRICT, PROVINCE, ranks), {})
    assert [getattr(c, "id", None) for c in with_ranks] == [
        None,
        DetailsIds.TREND_GRAPH,
        None,
        DetailsIds.RANK_GRAPH,
    ]
    assert "Thứ hạng về tỷ lệ đúng hạn trong các huyện, thị xã, thành phố của tỉnh" in texts(with_ranks)
    province = trends_tab(trends_of(PROVINCE, None), {})
    assert NO_RANK_TEXT in texts(province)
    assert not any(getattr(c, "id", None) == DetailsIds.RANK_GRAPH for c in province)


def test_trend_ends_this_month_when_the_period_is_still_running():
    assert trend_end_month(202612, date(2026, 11, 27)) == 202611
    assert trend_end_month(202610, date(2026, 11, 27)) == 202610
    assert month_date(202601) == "2026-01-01"
    assert month_label(202601) == "Tháng 1/2026"


# ---------------------------------------------------------------- overdue


def overdue(code: str, days: int) -> OverdueDossier:
    return OverdueDossier(
        dossier_code=code,
        procedure_code="1.001",
        procedure_name=None,
        agency_code="502",
        agency_name="Ủy ban nhân dân thành phố Tam Kỳ",
        received_on=date(2026, 1, 5),
        due_on=date(2026, 1, 20),
        days_overdue=days,
    )


def test_a_click_on_another_column_sorts_by_it_in_its_natural_direction_from_page_one():
    state = OverdueState("days_overdue", True, 3)
    assert sorted_by(state, "received") == OverdueState("received", False, 0)
    assert sorted_by(state, "agency") == OverdueState("agency", False, 0)
    assert sorted_by(OverdueState("code", False, 2), "days_overdue") == OverdueState("days_overdue", True, 0)


def test_a_second_click_on_the_same_column_reverses_the_order():
    assert sorted_by(OverdueState("received", False, 4), "received") == OverdueState("received", True, 0)
    assert sorted_by(OverdueState("days_overdue", True, 0), "days_overdue") == OverdueState(
        "days_overdue", False, 0
    )


def test_an_unknown_sort_column_is_refused_with_its_name():
    with pytest.raises(ValueError, match="'priority'"):
        sorted_by(OverdueState(), "priority")


def test_pages_move_within_the_pages_there_are():
    assert page_count(0) == 1
    assert page_count(50) == 1
    assert page_count(51) == 2
    state = OverdueState("code", False, 0)
    assert moved(state, -1, 120).page == 0
    assert moved(state, 1, 120).page == 1
    assert moved(OverdueState("code", False, 2), 1, 120).page == 2  # 120 rows: pages 0, 1, 2
    assert moved(OverdueState("code", False, 5), 1, 10).page == 0  # the list shrank


def test_a_stored_state_is_read_back_and_nonsense_falls_back_to_the_default():
    state = OverdueState("due", False, 2)
    assert OverdueState.from_store(state.to_store()) == state
    assert OverdueState.from_store(None) == OverdueState()
    assert OverdueState.from_store({"sort": "drop table", "page": -3}) == OverdueState(
        "days_overdue", True, 0
    )


def test_overdue_rows_show_vietnamese_dates_and_day_counts():
    assert row_cells(overdue("H49.1", 1234)) == [
        "H49.1",
        "1.001",  # no procedure name: its code
        "Ủy ban nhân dân thành phố Tam Kỳ",
        "05/01/2026",
        "20/01/2026",
        "1.234",
    ]


def test_the_sorted_column_header_says_so_and_every_header_is_a_sort_button():
    page = OverduePage(date(2026, 10, 31), 2, [overdue("a", 9), overdue("b", 3)], "received", False, 50, 0)
    table = overdue_table(page, OverdueState("received", False, 0))
    headers = table.children[0].children.children
    assert [h.children.id for h in headers] == [
        {"type": SORT_HEADER, "key": k}
        for k in ("code", "procedure", "agency", "received", "due", "days_overdue")
    ]
    assert [getattr(h, "aria-sort") for h in headers] == ["none", "none", "none", "ascending", "none", "none"]
    assert headers[3].children.children[1].children == "▲"
    body = table.children[1].children
    assert [row.children[0].children for row in body] == ["a", "b"]


def test_an_empty_list_says_there_is_nothing_overdue():
    page = OverduePage(date(2026, 10, 31), 0, [], "days_overdue", True, 50, 0)
    assert EMPTY_TEXT in texts(overdue_table(page, OverdueState()))
    assert pager_text(page) == "Trang 1/1"


def test_pager_counts_rows_and_pages_and_disables_the_ends():
    rows = [overdue(f"h{i}", i) for i in range(50)]
    page = OverduePage(date(2026, 10, 31), 1234, rows, "days_overdue", True, 50, 50)
    assert pager_text(page) == "Trang 2/25 · hồ sơ 51–100 trong 1.234"
    block = table_block(page, OverdueState(page=1), "Tóm tắt")
    assert block[0].children[0].children == "Tóm tắt"
    assert block[0].children[1].disabled is False  # Tải CSV
    prev, _, nxt = block[2].children
    assert (prev.id, prev.disabled, nxt.id, nxt.disabled) == (
        DetailsIds.OVERDUE_PREV,
        False,
        DetailsIds.OVERDUE_NEXT,
        False,
    )
    last = table_block(page, OverdueState(page=24), "")[2].children
    first = table_block(page, OverdueState(page=0), "")[2].children
    assert last[2].disabled and first[0].disabled


def test_overdue_summary_names_the_day_and_warns_when_the_period_is_still_running():
    assert summary_text(12, "Thành phố Tam Kỳ", OCT, date(2026, 11, 27)) == (
        "Thành phố Tam Kỳ: 12 hồ sơ đang giải quyết quá hạn tại ngày 31/10/2026 (cuối tháng 10/2026)."
    )
    quarter = summary_text(1, "Tỉnh Quảng Nam", Period("quarter", 2026, 3), date(2026, 11, 27))
    assert quarter.endswith("tại ngày 30/09/2026 (cuối quý III/2026).")  # the numeral stays upper-case
    running = summary_text(0, "Tỉnh Quảng Nam", Period("year", 2026, 0), date(2026, 11, 27))
    # a running period is counted to today (issue 14: the as-of rule), not to its last day
    assert running.startswith("Tỉnh Quảng Nam: không có hồ sơ đang giải quyết quá hạn tại ngày 27/11/2026")
    assert "31/12/2026" not in running
    assert "Kỳ chưa kết thúc" in running


def test_download_file_names_carry_unit_and_period():
    assert report_filename("49", OCT, "xlsx") == "bieu06_49_2026-10.xlsx"
    assert report_filename("502", Period("quarter", 2026, 3), "csv") == "bieu06_502_2026-Q3.csv"
    assert report_filename("20341", Period("year", 2025, 0), "xlsx") == "bieu06_20341_2025.xlsx"
    assert overdue_filename("502", OCT) == "ho_so_qua_han_502_2026-10.csv"


# ---------------------------------------------------------------- channels


def channel_report() -> ChannelReport:
    return ChannelReport(
        DISTRICT,
        OCT,
        {
            "department": ChannelCounts(),
            "district": ChannelCounts(direct=30, online=10, postal=0),
            "commune": ChannelCounts(direct=1200, online=2800, postal=5),
        },
    )


def test_channels_leave_out_desks_without_dossiers_and_keep_the_desk_order():
    assert [kind for kind, _ in desk_rows(channel_report())] == ["district", "commune"]


def test_channel_figure_stacks_the_three_channels_per_desk():
    figure = channel_figure(channel_report())
    assert [t["name"] for t in figure["data"]] == ["Trực tiếp", "Trực tuyến", "Bưu chính công ích"]
    assert figure["data"][0]["y"] == ["Bộ phận Một cửa cấp huyện", "Bộ phận Một cửa cấp xã"]
    assert [t["x"] for t in figure["data"]] == [[30, 1200], [10, 2800], [0, 5]]
    # 2800 of 4005 received at commune desks = 69,9 %
    assert figure["data"][1]["customdata"][1] == "Trực tuyến: 2.800 (69,9%)"
    assert figure["layout"]["barmode"] == "stack"
    assert figure["layout"]["separators"] == ",."


def test_channel_table_has_a_row_per_desk_and_the_total():
    rows = channel_table(channel_report()).children[1].children
    assert [[c.children for c in r.children] for r in rows] == [
        ["Bộ phận Một cửa cấp huyện", "30", "10", "0", "40", "25,0%"],
        ["Bộ phận Một cửa cấp xã", "1.200", "2.800", "5", "4.005", "69,9%"],
        ["Tổng", "1.230", "2.810", "5", "4.045", "69,5%"],  # 2810 / 4045 = 69,47 %
    ]


def test_channels_tab_without_dossiers_has_no_chart():
    empty = channels_tab(ChannelReport(COMMUNE, OCT, {"commune": ChannelCounts()}), {})
    assert "Không có hồ sơ tiếp nhận mới trong kỳ." in texts(empty)
    assert all(find(c, DetailsIds.CHANNEL_GRAPH) is None for c in empty)


# ---------------------------------------------------------------- report


def bieu06() -> Bieu06Report:
    sector = Kpis(received_online=3, received_direct_postal=2, resolved_on_time=4, pending_overdue=1)
    return Bieu06Report(
        OCT.start,
        OCT.end,
        DISTRICT,
        [
            Bieu06Row("subtotal", "district", None, "Cấp huyện", sector),
            Bieu06Row("sector", "district", "DD", "Đất đai", sector),
            Bieu06Row("total", None, None, "Tổng cộng", sector),
        ],
    )


def test_report_preview_shows_level_subtotals_and_the_total_not_the_sectors():
    rows = preview_table(bieu06()).children[1].children
    assert [r.children[0].children for r in rows] == ["Cấp huyện", "Tổng cộng"]
    # columns 3–13: received 5 (3 online, 2 direct/postal, 0 carried), resolved 4 (0, 4, 0), pending 1 (0, 1)
    assert [c.children for c in rows[1].children[1:]] == [
        "5",
        "3",
        "2",
        "0",
        "4",
        "0",
        "4",
        "0",
        "1",
        "0",
        "1",
    ]


def test_report_tab_has_both_download_buttons_and_the_rule_note():
    tab = report_tab(bieu06(), OCT)
    words = texts(tab)
    assert "Tải Biểu số 06 (XLSX)" in words and "Tải Biểu số 06 (CSV)" in words
    assert any(find(c, DetailsIds.REPORT_XLSX) is not None for c in tab)
    assert any(find(c, DetailsIds.REPORT_DOWNLOAD) is not None for c in tab)  # inserted with its buttons
    assert any(w.startswith("Quy tắc tỉnh:") for w in words)
    assert any("từ ngày 01/10/2026 đến ngày 31/10/2026" in w for w in words)


# ---------------------------------------------------------------- section and wiring


def test_the_section_has_the_four_tabs_and_an_empty_lazy_content_area():
    section = details_section()
    tabs = find(section, Ids.DETAILS_TABS)
    assert [(t.value, t.label) for t in tabs.children] == list(TABS)
    assert [label for _, label in TABS] == ["Xu hướng", "Hồ sơ quá hạn", "Kênh tiếp nhận", "Báo cáo"]
    assert tabs.value == DEFAULT_TAB
    assert find(section, Ids.DETAILS_CONTENT).children is None


def test_unknown_tab_values_open_the_default_tab():
    assert tab_key("overdue") == "overdue"
    assert tab_key("<script>") == DEFAULT_TAB


def test_only_changes_the_tabs_depend_on_render_them():
    assert needs_render(Ids.DETAILS_TABS, ["metric"])  # a tab switch always renders
    assert needs_render("view-store", None)  # page opened
    assert needs_render("view-store", ["district", "commune"])
    assert needs_render("view-store", ["period"])
    assert not needs_render("view-store", ["metric"])
    assert not needs_render("view-store", [])


def test_a_click_from_the_browser_sorts_or_turns_the_page_and_new_data_keeps_both():
    def page_of(state):
        return OverduePage(date(2026, 10, 31), 120, [], state.sort, state.descending, 50, state.page * 50)

    state = OverdueState("received", False, 1)
    by_agency = after_click(state, {"action": "sort", "key": "agency"}, page_of)
    assert by_agency == OverdueState("agency", False, 0)
    assert after_click(state, {"action": "next", "key": None}, page_of) == OverdueState("received", False, 2)
    assert after_click(state, {"action": "prev", "key": None}, page_of) == OverdueState("received", False, 0)
    assert after_click(state, None, page_of) == state  # new data, 120 rows: page 2 of 3 still exists

    def shrunk(state):
        return OverduePage(date(2026, 10, 31), 30, [], state.sort, state.descending, 50, 0)

    assert after_click(state, None, shrunk) == OverdueState("received", False, 0)


def test_the_unit_in_view_is_the_commune_then_the_district_then_the_province():
    assert unit_code(View("on_time_rate", OCT), "49") == "49"
    assert unit_code(View("on_time_rate", OCT, "502"), "49") == "502"
    assert unit_code(View("on_time_rate", OCT, "502", "20341"), "49") == "20341"


def test_every_tab_of_the_bar_has_its_content():
    from callbacks.home.details import TAB_CONTENT

    assert list(TAB_CONTENT) == [key for key, _ in TABS]
