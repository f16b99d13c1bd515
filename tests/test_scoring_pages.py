"""The PAR-index pages' pure builders: scorecard tree rows (points lost, provisional marks,
survey not counted), how the total is made, the comparison with last year, the results
table, the entry form (current step, changed rows only, problems under their row) and
reading the URL. Scorecards come from the engine on the small definitions of
tests/test_scoring_definition.py; every expected number is computed by hand here.

Department definition: area 1 assessment 1.1.1 (25) + 1.1.2 (15); area 2 auto 2.1.1
on-time threshold (≥ 98 % → 30, ≥ 95 % → 15) + 2.1.2 online linear (20 % → 0, 50 % → 10);
area 3 survey 3.1.1 (12) + 3.1.2 (8); bonus cap 2, penalty cap 3.
"""

from __future__ import annotations

from datetime import date, datetime

import pytest

from app_pages import PAGES
from callbacks.common.pages import PageRequest
from callbacks.scoring.entry_form import form_values, problems_by_row, step_items
from dossier_stats.kpis import Kpis
from layouts.common.urls import query_search
from layouts.scoring.common import choose_group, choose_year, percent_text, total_text
from layouts.scoring.entry import entry_skeleton
from layouts.scoring.entry_steps import current_step, step_actions
from layouts.scoring.entry_table import entry_payload, stored_values
from layouts.scoring.ids import ScoringIds
from layouts.scoring.results import export_filename, results_lines, results_payload, results_skeleton
from layouts.scoring.scorecard import comparison_text, scorecard_skeleton, survey_part, total_lines
from layouts.scoring.scorecard_tree import scorecard_rows, tree_payload
from layouts.scoring.tables import cell_text
from scoring.definition import IndexDefinition
from scoring.engine import Entry, UnitInputs, score_group
from scoring.loader import parse_definition
from scoring.results import ComputedGroup, group_results
from scoring.scorecard import Scorecard, build_scorecard
from scoring.versions import StoredVersion
from scoring.workflow import Appraisal, Explanation, SelfAssessment
from tests.test_scoring_definition import small_mapping

DEPARTMENTS = parse_definition(small_mapping("departments"))
DEPARTMENTS_2024 = parse_definition(small_mapping("departments", 2024))
ON_TIME_98_ONLINE_35 = Kpis(
    resolved_early=30, resolved_on_time=19, resolved_late=1, received_online=35, received_direct_postal=65
)
SINCE = date(2020, 1, 1)


def computed(definition: IndexDefinition, units: list[UnitInputs]) -> ComputedGroup:
    version = StoredVersion(
        id=definition.year,
        year=definition.year,
        group=definition.group,
        name=definition.name,
        source_file="thử.yaml",
        loaded_at=datetime(2026, 1, 5, 9, 0),
        loaded_by="thử",
        checksum="x",
        definition=definition,
    )
    return ComputedGroup(version, score_group(definition, units))


# SNV: 1.1.1 final 20 (self 24, appraisal 18), 1.1.2 self 15 only (provisional);
# 2.1.1 = 30 (98 % on time), 2.1.2 = 5 (35 % online: 10 × 15/30); survey 3.1.1 = 10.5, 3.1.2 missing.
SNV = UnitInputs(
    code="SNV",
    name="Sở Nội vụ",
    entries={
        "1.1.1": Entry(
            self_points=24,
            evidence="Văn bản 12/SNV-VP",
            appraisal1_points=18,
            appraisal1_note="Thiếu minh chứng",
            explanation="Đã bổ sung",
            final_points=20,
        ),
        "1.1.2": Entry(self_points=15),
    },
    survey={"3.1.1": 10.5},
    kpis=ON_TIME_98_ONLINE_35,
    self_locked=True,
    since=SINCE,
)


def snv_card(previous: ComputedGroup | None = None) -> Scorecard:
    card = build_scorecard(computed(DEPARTMENTS, [SNV]), "SNV", previous)
    assert card is not None
    return card


def by_code(card: Scorecard) -> dict:
    return {r.code: r for r in scorecard_rows(card)}


# -- scorecard tree --------------------------------------------------------------------------


def test_scorecard_rows_walk_areas_criteria_and_sub_criteria_in_order():
    rows = scorecard_rows(snv_card())
    assert [(r.level, r.code) for r in rows] == [
        ("area", "1"),
        ("criterion", "1.1"),
        ("sub", "1.1.1"),
        ("sub", "1.1.2"),
        ("area", "2"),
        ("criterion", "2.1"),
        ("sub", "2.1.1"),
        ("sub", "2.1.2"),
        ("area", "3"),
        ("criterion", "3.1"),
        ("sub", "3.1.1"),
        ("sub", "3.1.2"),
    ]


def test_scorecard_row_shows_every_step_the_counted_points_and_the_points_lost():
    row = by_code(snv_card())["1.1.1"]
    assert (row.max, row.self_points, row.appraisal1, row.final, row.points, row.lost) == (
        "25",
        "24",
        "18",
        "20",
        "20",
        "5",
    )
    assert not row.provisional
    assert row.stage == "Thẩm định lần 2 (chính thức)"
    assert ("Minh chứng", "Văn bản 12/SNV-VP") in row.details
    assert ("Ý kiến thẩm định lần 1", "Thiếu minh chứng") in row.details
    assert ("Giải trình", "Đã bổ sung") in row.details


def test_self_assessed_points_count_provisionally_and_mark_their_parents():
    rows = by_code(snv_card())
    sub = rows["1.1.2"]
    assert (sub.self_points, sub.appraisal1, sub.final, sub.points, sub.lost) == ("15", "—", "—", "15", "0")
    assert sub.provisional and sub.stage == "Tự đánh giá (tạm tính)"
    area = rows["1"]  # 20 + 15 of 40; self 24 + 15, appraisal 18, final 20
    assert (area.points, area.lost, area.self_points, area.appraisal1, area.final) == (
        "35",
        "5",
        "39",
        "18",
        "20",
    )
    assert area.provisional and rows["1.1"].provisional
    assert not rows["2"].provisional  # auto points are never provisional


def test_provisional_mark_is_a_badge_in_the_points_cell_of_the_drawn_table():
    payload = tree_payload(scorecard_rows(snv_card()), None)
    rows = {r["code"]: r for r in payload["rows"]}
    points_column = [c["label"] for c in payload["columns"]].index("Điểm tính")
    assert cell_text(rows["1.1.2"]["cells"][points_column]) == "15 tạm tính"
    assert cell_text(rows["1.1.1"]["cells"][points_column]) == "20"
    assert "provisional" in rows["1.1.2"]["className"] and "provisional" not in rows["1.1.1"]["className"]
    lost_column = [c["label"] for c in payload["columns"]].index("Mất điểm")
    assert "has-lost" in rows["1.1.1"]["cells"][lost_column]["className"]  # 5 lost
    assert "has-lost" not in rows["1.1.2"]["cells"][lost_column]["className"]  # none lost


def test_auto_rows_explain_their_rule_and_lose_what_the_rule_did_not_give():
    rows = by_code(snv_card())
    online = rows["2.1.2"]  # 35 % online: 5 of 10
    assert (online.points, online.lost, online.self_points) == ("5", "5", "—")
    assert online.stage == "Tính tự động từ dữ liệu hồ sơ"
    assert any(label == "Cách tính" for label, _ in online.details)


def test_survey_without_result_is_neither_counted_nor_lost():
    rows = by_code(snv_card())
    assert (rows["3.1.2"].points, rows["3.1.2"].lost) == ("—", "—")
    assert (rows["3"].points, rows["3"].lost) == ("10,5", "1,5")  # 10.5 of the counted 12


def test_area_whose_survey_is_missing_entirely_shows_no_points():
    unit = UnitInputs(code="STP", name="Sở Tư pháp", since=SINCE)
    card = build_scorecard(computed(DEPARTMENTS, [unit]), "STP", None)
    assert card is not None
    rows = by_code(card)
    assert (rows["3"].points, rows["3"].lost, rows["3.1"].points) == ("—", "—", "—")
    assert survey_part(card).points is None
    assert rows["1.1.1"].points == "0" and rows["1.1.1"].provisional  # nothing entered: 0, provisional


# -- how the total is made, comparison ---------------------------------------------------------


def test_total_lines_show_rescaling_survey_part_bonus_penalty_and_total():
    card = snv_card()
    # criteria 20 + 15 + 30 + 5 + 10.5 = 80.5 of the counted 92 (3.1.2's 8 missing);
    # rescaled 80.5 × 100 / 92 = 87.5; no bonus, no penalty.
    assert (card.total, card.percent) == (87.5, 87.5)
    lines = [(x.label, x.value) for x in total_lines(card, DEPARTMENTS)]
    assert lines == [
        ("Điểm các tiêu chí", "80,5 / 92"),
        ("trong đó điều tra xã hội học", "10,5 / 20 (thiếu 1 tiêu chí)"),
        ("Quy đổi về thang 100 điểm", "80,5 × 100 / 92 = 87,5"),
        ("Điểm thưởng (tối đa 2)", "0"),
        ("Điểm trừ (tối đa 3)", "0"),
        ("Tổng điểm", "87,50 / 100"),
    ]


def test_bonus_is_capped_and_penalty_subtracted_in_the_total_lines():
    unit = UnitInputs(
        code="SNV",
        name="Sở Nội vụ",
        entries={"1.1.1": Entry(final_points=25, appraisal1_points=25), "1.1.2": Entry(final_points=15)},
        survey={"3.1.1": 12, "3.1.2": 8},
        adjustments={"B1": 1.5, "B2": 1.5, "P1": 2},
        kpis=ON_TIME_98_ONLINE_35,
        since=SINCE,
    )
    card = build_scorecard(computed(DEPARTMENTS, [unit]), "SNV", None)
    assert card is not None
    # 25 + 15 + 30 + 5 + 12 + 8 = 95; bonus 3 capped at 2; penalty 2 → 95
    lines = dict((x.label, x.value) for x in total_lines(card, DEPARTMENTS))
    assert lines["Điểm các tiêu chí"] == "95 / 100"
    assert "Quy đổi về thang 100 điểm" not in lines
    assert lines["Điểm thưởng (tối đa 2)"] == "+2"
    assert lines["Điểm trừ (tối đa 3)"] == "−2"
    assert lines["Tổng điểm"] == "95,00 / 100"


def test_comparison_with_the_previous_year_when_the_unit_was_scored_then():
    before = UnitInputs(
        code="SNV",
        name="Sở Nội vụ",
        entries={"1.1.1": Entry(final_points=10), "1.1.2": Entry(final_points=10)},
        survey={"3.1.1": 10, "3.1.2": 5},
        kpis=ON_TIME_98_ONLINE_35,
        since=SINCE,
    )
    card = snv_card(computed(DEPARTMENTS_2024, [before]))
    # 2024: 10 + 10 + 30 + 5 + 10 + 5 = 70; 2025: 87.5 → +17.5 percentage points
    assert comparison_text(card) == [
        "Năm 2024: 70,00 điểm (70,00%), xếp loại Khá, hạng 1/1.",
        "Thay đổi: +17,5 điểm phần trăm.",
    ]
    assert by_code(card)["1.1.1"].previous == "10"
    payload = tree_payload(scorecard_rows(card), 2024)
    assert payload["columns"][-1]["label"] == "Năm 2024"


def test_no_previous_year_says_there_is_nothing_to_compare():
    card = snv_card()
    assert comparison_text(card) == ["Chưa có kết quả năm 2024 của đơn vị để so sánh."]
    assert [c["label"] for c in tree_payload(scorecard_rows(card), None)["columns"]][-1] == "Mất điểm"


# -- results table ---------------------------------------------------------------------------


def commune_results():
    communes = parse_definition(small_mapping("communes"))

    def unit(code: str, points: float) -> UnitInputs:
        return UnitInputs(
            code=code,
            name=f"Ủy ban nhân dân xã {code}",
            map_code=code,
            entries={"1.1.1": Entry(final_points=points), "1.1.2": Entry(self_points=5)},
            survey={"3.1.1": 12, "3.1.2": 8},
            kpis=ON_TIME_98_ONLINE_35,
        )

    # area 1 = points + 5, area 2 = 35, area 3 = 20: 20 → 80, 15 → 75, 15 → 75
    return group_results(computed(communes, [unit("20001", 20), unit("20002", 15), unit("20003", 15)]))


def test_results_lines_rank_ties_together_and_write_numbers_the_vietnamese_way():
    lines = results_lines(commune_results())
    assert [(x.rank, x.code, x.name) for x in lines] == [
        ("1", "20001", "Xã 20001"),
        ("2", "20002", "Xã 20002"),
        ("2", "20003", "Xã 20003"),
    ]
    first = lines[0]
    assert first.areas == ("25", "35", "20")
    assert (first.total, first.percent, first.grade) == ("80,00", "80,00%", "Tốt")
    assert first.href == "/scorecard?unit=20001&year=2025"
    assert first.provisional  # 1.1.2 only self-assessed
    assert not first.survey_missing


def test_results_payload_has_a_column_per_area_and_links_each_unit_to_its_scorecard():
    table = commune_results()
    payload = results_payload(table)
    labels = [c["label"] for c in payload["columns"]]
    assert labels == [
        "Hạng",
        "Đơn vị",
        "LV 1",
        "LV 2",
        "LV 3",
        "Thưởng",
        "Trừ",
        "Tổng điểm",
        "Tỷ lệ",
        "Xếp loại",
    ]
    assert payload["columns"][2]["title"] == "1. Lĩnh vực 1 (tối đa 40 điểm)"
    name = payload["rows"][1]["cells"][1]
    assert name["href"] == "/scorecard?unit=20002&year=2025"
    assert cell_text(name) == "Xã 20002 tạm tính"
    assert [r["code"] for r in payload["rows"]] == ["20001", "20002", "20003"]


def test_export_file_is_named_after_the_year():
    assert export_filename(2025, "xlsx") == "ket-qua-chi-so-cchc-2025.xlsx"
    assert total_text(84.3) == "84,30" and percent_text(100) == "100,00%"


# -- entry form ------------------------------------------------------------------------------


def card_of(**changes) -> Scorecard:
    unit = UnitInputs(code="SNV", name="Sở Nội vụ", kpis=ON_TIME_98_ONLINE_35, since=SINCE, **changes)
    card = build_scorecard(computed(DEPARTMENTS, [unit]), "SNV", None)
    assert card is not None
    return card


def test_current_step_follows_the_workflow():
    assert current_step(card_of()) == "self"
    locked = {"self_locked": True}
    both_self = {"1.1.1": Entry(self_points=20), "1.1.2": Entry(self_points=10)}
    assert current_step(card_of(entries=both_self, **locked)) == "appraisal1"
    one_appraised = {"1.1.1": Entry(self_points=20, appraisal1_points=18), "1.1.2": Entry(self_points=10)}
    assert current_step(card_of(entries=one_appraised, **locked)) == "appraisal1"
    appraised = {
        "1.1.1": Entry(self_points=20, appraisal1_points=18),
        "1.1.2": Entry(self_points=10, appraisal1_points=10),
    }
    assert current_step(card_of(entries=appraised, **locked)) == "explanation"
    one_final = {**appraised, "1.1.1": Entry(self_points=20, appraisal1_points=18, final_points=19)}
    assert current_step(card_of(entries=one_final, **locked)) == "final"


def test_lock_is_offered_before_the_lock_and_unlock_after_it():
    assert [a for a, _ in step_actions(card_of(), "self")] == ["save", "lock"]
    assert [a for a, _ in step_actions(card_of(self_locked=True), "appraisal1")] == ["save", "unlock"]
    assert [a for a, _ in step_actions(card_of(self_locked=True), "final")] == ["save"]


def test_the_steps_outside_the_workflow_only_save_whatever_the_lock():
    for locked in (False, True):
        card = card_of(self_locked=locked)
        assert step_actions(card, "survey") == [("save", "Lưu kết quả điều tra xã hội học")]
        assert step_actions(card, "adjustments") == [("save", "Lưu điểm thưởng, điểm trừ")]


def test_entry_payload_has_inputs_for_assessment_rows_only_prefilled_with_stored_values():
    card = card_of(entries={"1.1.1": Entry(self_points=7.5, evidence="QĐ 5", self_note="đủ")})
    payload = entry_payload(card, "self")
    rows = {r.get("code"): r for r in payload["rows"] if r.get("code")}
    inputs = rows["1.1.1"]["cells"][-1]["inputs"]
    assert [(i["field"], i["value"]) for i in inputs] == [
        ("points", "7,5"),
        ("evidence", "QĐ 5"),
        ("note", "đủ"),
    ]
    assert rows["1.1.2"]["cells"][-1]["inputs"][0]["value"] == ""
    assert "inputs" not in rows["2.1.1"]["cells"][-1]  # auto: no input
    assert cell_text(rows["2.1.1"]["cells"][-1]) == "Tự động từ dữ liệu hồ sơ"
    assert stored_values(card.areas[0].children[0].children[0], "self")["points"] == "7,5"


def test_entry_payload_keeps_what_was_typed_and_puts_problems_under_their_row():
    card = card_of()
    typed = {("points", "1.1.1"): "99", ("evidence", "1.1.1"): "QĐ 9", ("note", "1.1.1"): ""}
    errors = {"1.1.1": ["Tiêu chí 1.1.1: điểm 99 vượt điểm tối đa 25."]}
    rows = {r.get("code"): r for r in entry_payload(card, "self", typed=typed, row_errors=errors)["rows"]}
    cell = rows["1.1.1"]["cells"][-1]
    assert [i["value"] for i in cell["inputs"]] == ["99", "QĐ 9", ""]
    assert cell["errors"] == ["Tiêu chí 1.1.1: điểm 99 vượt điểm tối đa 25."]
    assert "has-error" in rows["1.1.1"]["className"] and "has-error" not in rows["1.1.2"]["className"]


def test_explanation_rows_without_appraisal_have_nothing_to_explain():
    card = card_of(entries={"1.1.1": Entry(self_points=20, appraisal1_points=15)}, self_locked=True)
    rows = {r.get("code"): r for r in entry_payload(card, "explanation")["rows"]}
    assert [i["kind"] for i in rows["1.1.1"]["cells"][-1]["inputs"]] == ["textarea"]
    assert "inputs" not in rows["1.1.2"]["cells"][-1]


def test_step_items_send_only_the_rows_that_changed():
    card = card_of(entries={"1.1.1": Entry(self_points=7.5, evidence="QĐ 5")})
    typed = form_values(
        [
            ["points", "1.1.1", "7,5"],
            ["evidence", "1.1.1", " QĐ 5 "],
            ["note", "1.1.1", ""],
            ["points", "1.1.2", "12,25"],
            ["evidence", "1.1.2", ""],
            ["note", "1.1.2", "mới"],
        ]
    )
    found = step_items(card, "self", typed)
    assert found.problems == {}
    assert found.items == [SelfAssessment("1.1.2", 12.25, None, "mới")]


def test_unreadable_points_are_reported_on_their_row_and_nothing_is_sent():
    typed = form_values([["points", "1.1.1", "bảy"], ["evidence", "1.1.1", ""], ["note", "1.1.1", ""]])
    found = step_items(card_of(), "self", typed)
    assert found.items == []
    assert found.problems == {"1.1.1": ["Tiêu chí 1.1.1: 'bảy' không phải là số (ví dụ 7,5)."]}


def test_appraisal_items_need_points_and_clearing_an_appraisal_is_refused():
    card = card_of(
        entries={"1.1.1": Entry(self_points=20, appraisal1_points=18), "1.1.2": Entry(self_points=10)},
        self_locked=True,
    )
    typed = {
        ("points", "1.1.1"): "",
        ("note", "1.1.1"): "",
        ("points", "1.1.2"): "9",
        ("note", "1.1.2"): "trừ 1",
    }
    found = step_items(card, "appraisal1", typed)
    assert found.items == [Appraisal("1.1.2", 9.0, "trừ 1")]
    assert list(found.problems) == ["1.1.1"]
    assert "cần nhập điểm thẩm định lần 1" in found.problems["1.1.1"][0]


def test_explanation_items_carry_the_changed_text():
    card = card_of(entries={"1.1.1": Entry(self_points=20, appraisal1_points=15)}, self_locked=True)
    found = step_items(card, "explanation", {("text", "1.1.1"): "Bổ sung quyết định số 3"})
    assert found.items == [Explanation("1.1.1", "Bổ sung quyết định số 3")]


def test_workflow_problems_go_under_their_row_the_others_above_the_table():
    rows, general = problems_by_row(
        [
            "Tiêu chí 1.1.1: điểm 30 vượt điểm tối đa 25.",
            "Đơn vị SNV đã khóa bản tự đánh giá năm 2025: không sửa được điểm tự đánh giá.",
            "Tiêu chí 9.9.9: không có trong bộ chỉ số.",
        ],
        ["1.1.1", "1.1.2"],
    )
    assert rows == {"1.1.1": ["Tiêu chí 1.1.1: điểm 30 vượt điểm tối đa 25."]}
    assert general == [
        "Đơn vị SNV đã khóa bản tự đánh giá năm 2025: không sửa được điểm tự đánh giá.",
        "Tiêu chí 9.9.9: không có trong bộ chỉ số.",
    ]


def test_form_values_ignore_malformed_entries():
    assert form_values([["points", "1.1.1", None], ["bad"], "x"]) == {("points", "1.1.1"): ""}
    assert form_values(None) == {}


# -- the URL ---------------------------------------------------------------------------------


def test_year_from_the_url_or_the_newest_with_a_message():
    assert choose_year(None, [2025, 2024]).year == 2025
    assert choose_year("2024", [2025, 2024]) == choose_year("2024", [2025, 2024]).__class__(2024)
    unknown = choose_year("2030", [2025, 2024])
    assert unknown.year == 2025
    assert unknown.messages == (
        "Năm 2030 chưa có bộ chỉ số CCHC (các năm có: 2025, 2024); đang hiển thị năm 2025.",
    )
    assert choose_year("abc", [2025]).messages == ("Năm 'abc' không hợp lệ; đang hiển thị năm 2025.",)
    empty = choose_year("2025", [])
    assert empty.year is None and "Chưa nạp bộ chỉ số" in empty.messages[0]


def test_group_from_the_url_or_the_first_group_with_a_message():
    assert choose_group("districts", ["departments", "districts"], 2025) == ("districts", [])
    group, messages = choose_group("tinh", ["departments", "districts"], 2025)
    assert group == "departments"
    assert messages == [
        "Nhóm 'tinh' không có trong năm 2025 (các nhóm: departments (Sở, ban, ngành), districts "
        "(UBND cấp huyện)); đang hiển thị nhóm Sở, ban, ngành."
    ]


@pytest.mark.parametrize(
    ("values", "search"),
    [({"unit": "502", "year": 2025}, "?unit=502&year=2025"), ({"unit": None, "year": 2025}, "?year=2025")],
)
def test_query_search_leaves_out_missing_values(values, search):
    assert query_search(values) == search


# -- the pages in the app ---------------------------------------------------------------------


def walk(component):
    yield component
    children = getattr(component, "children", None)
    for child in children if isinstance(children, list | tuple) else [children]:
        if hasattr(child, "to_plotly_json"):
            yield from walk(child)


def test_skeleton_holds_every_fixed_id_of_the_three_pages_once():
    skeletons = [scorecard_skeleton(), results_skeleton(), entry_skeleton()]
    ids = [c.id for s in skeletons for c in walk(s) if isinstance(getattr(c, "id", None), str)]
    assert sorted(ids) == sorted(i for i in ScoringIds if i != ScoringIds.ENTRY_ACTION)


def test_router_knows_the_three_pages_and_builds_them_without_data():
    scoring = ("scorecard", "results", "entry")
    routes = {r.path: page for page in PAGES if page.name in scoring for r in page.routes}
    assert sorted(routes) == ["/scorecard", "/scoring/entry", "/scoring/results"]
    entry = routes["/scoring/entry"].layout(PageRequest(None, "/assets/topojson/", "?unit=502"))  # type: ignore[arg-type]
    ids = [getattr(c, "id", None) for c in walk(entry)]
    assert ScoringIds.ENTRY_SUBMIT in ids and "entry-actor" not in ids  # no typed actor: the account acts
