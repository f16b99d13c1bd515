"""The entry page's actions on both backends: what the form sends goes through
scoring.workflow as the logged-in account (an Actor), the scorecard follows, and a refused
action writes nothing and says why next to the row (or above the table)."""

from __future__ import annotations

from typing import Any

import pytest
from dash import html

from accounts.permissions import Actor, Role
from callbacks.common.services import Services
from callbacks.scoring.entry import act
from config import Settings
from layouts.scoring.entry_steps import seen_values
from layouts.scoring.history import history_lines
from layouts.scoring.ids import ScoringIds
from layouts.scoring.scorecard_tree import item_names
from layouts.scoring.tables import cell_text
from scoring import state
from scoring.workflow import SelfAssessment, set_self_assessment
from tests.test_scoring_definition import small_mapping
from tests.test_scoring_workflow import APPRAISER, UNIT, load_small_registry, store

SEARCH = "?unit=SNV&year=2025"
SURVEY_TEAM = Actor("phong.cchc", frozenset({Role.APPRAISER}))  # the survey team of Sở Nội vụ


@pytest.fixture
def services(db_engine) -> Services:
    load_small_registry(db_engine)
    store(db_engine, small_mapping("departments"))
    return Services.over(db_engine, Settings(database_url=str(db_engine.url)))


def walk(node: Any):
    yield node
    children = getattr(node, "children", None)
    for child in children if isinstance(children, list | tuple) else [children]:
        if hasattr(child, "to_plotly_json"):
            yield from walk(child)


def form_parts(form: list[Any]) -> tuple[dict[str, Any], str]:
    """(the entry table's rows by code, the notice's text) of a rendered form."""
    nodes = [n for part in form if part is not None for n in walk(part)]
    table = next(n.data for n in nodes if getattr(n, "id", None) == ScoringIds.ENTRY_TABLE_DATA)
    notice = next((n for n in nodes if "entry-notice" in (getattr(n, "className", "") or "")), None)
    text = " ".join(p.children for p in notice.children) if notice is not None else ""
    return {r["code"]: r for r in table["rows"] if r.get("code")}, text


def typed_self(points: str, evidence: str = "", note: str = "", code: str = "1.1.1") -> dict:
    return {("points", code): points, ("evidence", code): evidence, ("note", code): note}


def counter(services: Services) -> int:
    with services.scoring.engine.connect() as conn:
        return state.scoring_version(conn)


def test_saving_a_self_assessed_point_changes_the_scorecard_and_records_the_actor(services):
    before = services.scoring.scorecard("SNV", 2025)
    assert before is not None and before.areas[0].points == 0
    form = act(services, SEARCH, "self", "save", typed_self("7,5", "QĐ 12/QĐ-SNV"), UNIT)
    rows, notice = form_parts(form)
    assert notice == "Đã lưu tự đánh giá của 1 tiêu chí (nguyen.van.a)."
    assert [i["value"] for i in rows["1.1.1"]["cells"][-1]["inputs"]] == ["7,5", "QĐ 12/QĐ-SNV", ""]
    after = services.scoring.scorecard("SNV", 2025)
    sub = after.areas[0].children[0].children[0]
    assert (sub.self_points, sub.evidence, sub.stage) == (7.5, "QĐ 12/QĐ-SNV", "self")
    assert after.areas[0].points == 7.5  # counted, provisionally
    assert after.provisional


def test_a_point_over_the_maximum_is_shown_on_its_row_and_nothing_is_written(services):
    start = counter(services)
    form = act(services, SEARCH, "self", "save", typed_self("30"), UNIT)
    rows, notice = form_parts(form)
    assert rows["1.1.1"]["cells"][-1]["errors"] == ["Tiêu chí 1.1.1: điểm 30 vượt điểm tối đa 25."]
    assert rows["1.1.1"]["cells"][-1]["inputs"][0]["value"] == "30"  # what was typed stays
    assert "Chưa lưu gì" in notice
    assert counter(services) == start
    assert services.scoring.scorecard("SNV", 2025).areas[0].children[0].children[0].self_points is None


def test_without_an_actor_nothing_is_saved(services):
    start = counter(services)
    form = act(services, SEARCH, "self", "save", typed_self("5"), None)
    nodes = [n for part in form if part is not None for n in walk(part)]
    assert ScoringIds.ENTRY_TABLE_DATA not in [getattr(n, "id", None) for n in nodes]  # no scores shown
    assert [n.children for n in nodes if isinstance(n, html.P)] == [
        "Cần đăng nhập để nhập, khóa hoặc thẩm định điểm."
    ]
    assert counter(services) == start


def test_lock_saves_and_locks_together_or_not_at_all(services):
    start = counter(services)
    # 1.1.2 has no points yet: the lock is refused, and the typed 1.1.1 is not saved either
    form = act(services, SEARCH, "self", "lock", typed_self("20"), UNIT)
    _, notice = form_parts(form)
    assert "Chưa khóa được: 1 tiêu chí thành phần chưa có điểm tự đánh giá: 1.1.2." in notice
    assert counter(services) == start
    typed = {**typed_self("20"), **typed_self("10", code="1.1.2")}
    _, notice = form_parts(act(services, SEARCH, "self", "lock", typed, UNIT))
    assert (
        notice
        == "Đã khóa bản tự đánh giá (nguyen.van.a, lưu kèm 2 tiêu chí). Bước tiếp theo: thẩm định lần 1."
    )
    assert services.scoring.scorecard("SNV", 2025).self_locked


def test_appraisal_before_the_lock_is_refused_as_the_wrong_step(services):
    with services.scoring.engine.begin() as conn:
        version = services.scoring.versions()[0]
        set_self_assessment(conn, version, "SNV", [SelfAssessment("1.1.1", 20)], UNIT)
    start = counter(services)
    typed = {("points", "1.1.1"): "18", ("note", "1.1.1"): ""}
    _, notice = form_parts(act(services, SEARCH, "appraisal1", "save", typed, APPRAISER))
    assert "Đơn vị SNV chưa khóa bản tự đánh giá: chưa thẩm định lần 1 được." in notice
    assert counter(services) == start


def test_locked_self_assessment_refuses_changes_above_the_table(services):
    typed = {**typed_self("20"), **typed_self("10", code="1.1.2")}
    act(services, SEARCH, "self", "lock", typed, UNIT)
    _, notice = form_parts(act(services, SEARCH, "self", "save", typed_self("21"), UNIT))
    assert "đã khóa bản tự đánh giá năm 2025" in notice


def test_changing_the_step_shows_its_inputs(services):
    rows, notice = form_parts(act(services, SEARCH, "final", None, {}, APPRAISER))
    assert notice == ""
    assert [i["field"] for i in rows["1.1.1"]["cells"][-1]["inputs"]] == ["points", "note"]
    assert cell_text(rows["2.1.1"]["cells"][-1]) == "Tự động từ dữ liệu hồ sơ"


# --- survey results and bonus / penalty lines (outside the workflow) ----------------------


def test_the_survey_step_has_inputs_on_the_survey_sub_criteria_only(services):
    rows, _ = form_parts(act(services, SEARCH, "survey", None, {}, APPRAISER))
    assert [i["field"] for i in rows["3.1.1"]["cells"][-1]["inputs"]] == ["points"]
    assert rows["3.1.2"]["cells"][-1]["inputs"][0]["placeholder"] == "0–8"
    assert "inputs" not in rows["1.1.1"]["cells"][-1] or not rows["1.1.1"]["cells"][-1]["inputs"]
    assert cell_text(rows["2.1.1"]["cells"][-1]) == "Tự động từ dữ liệu hồ sơ"


def test_saving_survey_results_counts_them_in_the_scorecard(services):
    assert services.scoring.scorecard("SNV", 2025).survey_missing
    typed = {("points", "3.1.1"): "10,5", ("points", "3.1.2"): ""}
    rows, notice = form_parts(act(services, SEARCH, "survey", "save", typed, SURVEY_TEAM))
    assert notice == "Đã lưu kết quả điều tra xã hội học của 1 tiêu chí (phong.cchc)."
    assert rows["3.1.1"]["cells"][-1]["inputs"][0]["value"] == "10,5"
    card = services.scoring.scorecard("SNV", 2025)
    survey = card.areas[2].children[0].children[0]
    assert (survey.code, survey.points) == ("3.1.1", 10.5)
    assert card.survey_missing  # 3.1.2 has none yet
    history = services.scoring.history("SNV", 2025, card.group)
    assert [(h.item_code, h.new_value) for h in history][:1] == [("3.1.1", "10.5")]
    act(services, SEARCH, "survey", "save", {("points", "3.1.2"): "8"}, SURVEY_TEAM)
    assert not services.scoring.scorecard("SNV", 2025).survey_missing


def test_a_survey_result_over_its_maximum_is_refused_on_its_row(services):
    start = counter(services)
    rows, notice = form_parts(act(services, SEARCH, "survey", "save", {("points", "3.1.2"): "9"}, APPRAISER))
    assert rows["3.1.2"]["cells"][-1]["errors"] == ["Tiêu chí 3.1.2: điểm 9 vượt điểm tối đa 8."]
    assert "Chưa lưu gì" in notice
    assert counter(services) == start


def test_bonus_and_penalty_lines_are_entered_and_counted_within_their_caps(services):
    rows, _ = form_parts(act(services, SEARCH, "adjustments", None, {}, APPRAISER))
    assert list(rows) == ["B1", "B2", "P1", "P2"]
    assert [cell_text(c) for c in rows["P1"]["cells"][:5]] == ["P1", "Trừ 1", "Trừ", "2", "0"]
    before = services.scoring.scorecard("SNV", 2025)
    typed = {("points", "B1"): "1,5", ("points", "B2"): "1,5", ("points", "P1"): "0,5", ("points", "P2"): "0"}
    rows, notice = form_parts(act(services, SEARCH, "adjustments", "save", typed, APPRAISER))
    assert notice == "Đã lưu điểm thưởng, điểm trừ của 3 dòng (tran.thi.b)."
    after = services.scoring.scorecard("SNV", 2025)
    assert (after.bonus, after.penalty) == (2.0, 0.5)  # the bonus cap is 2
    assert after.total == pytest.approx(before.total + 2.0 - 0.5)
    assert cell_text(rows["B1"]["cells"][4]) == "1,5"
    history = history_lines(services.scoring.history("SNV", 2025, after.group), item_names(after))
    assert ("B1 — Thưởng 1", "Điểm thưởng", "1,5") in {(h.item, h.what, h.new) for h in history}

    # clearing a line removes it
    form_parts(act(services, SEARCH, "adjustments", "save", {("points", "B2"): ""}, APPRAISER))
    assert services.scoring.scorecard("SNV", 2025).bonus == 1.5


def test_a_line_over_its_maximum_or_unreadable_is_refused_on_its_row(services):
    start = counter(services)
    typed = {("points", "P2"): "2,5"}
    rows, notice = form_parts(act(services, SEARCH, "adjustments", "save", typed, APPRAISER))
    assert rows["P2"]["cells"][-1]["errors"] == ["Dòng P2: điểm 2,5 vượt điểm tối đa 2."]
    assert "Chưa lưu gì" in notice
    rows, _ = form_parts(act(services, SEARCH, "adjustments", "save", {("points", "B1"): "một"}, APPRAISER))
    assert rows["B1"]["cells"][-1]["errors"] == ["Dòng B1: 'một' không phải là số (ví dụ 7,5)."]
    assert counter(services) == start


def test_two_people_on_one_scorecard_the_later_sees_who_changed_a_row_and_nothing_of_it_is_written(services):
    colleague = Actor("tran.thi.b", frozenset({Role.UNIT_STAFF}), "SNV")
    opened = seen_values(services.scoring.scorecard("SNV", 2025), "self")  # both open the form
    act(services, SEARCH, "self", "save", typed_self("12"), colleague, opened)  # the colleague saves first
    start = counter(services)
    # this person typed 20 on 1.1.1 and 5 on 1.1.2, and left 1.1.1's evidence as it was shown
    typed = {**typed_self("20"), **typed_self("5", code="1.1.2")}
    rows, notice = form_parts(act(services, SEARCH, "self", "save", typed, UNIT, opened))
    assert (
        notice.startswith("Tiêu chí 1.1.1: tran.thi.b đã lưu dòng này lúc ")
        and "giá trị đã lưu: điểm 12; anh/chị nhập: điểm 20. Dòng này chưa được lưu" in notice
    )
    assert "Đã lưu tự đánh giá của 1 tiêu chí (nguyen.van.a)." in notice  # the other row is saved
    card = services.scoring.scorecard("SNV", 2025)
    points = {s.code: s.self_points for s in card.areas[0].children[0].children}
    assert points == {"1.1.1": 12.0, "1.1.2": 5.0}
    assert counter(services) == start + 1
    assert rows["1.1.1"]["cells"][-1]["inputs"][0]["value"] == "12"  # the form shows theirs


def test_a_row_this_person_did_not_touch_is_not_written_back_over_a_colleagues_save(services):
    colleague = Actor("tran.thi.b", frozenset({Role.UNIT_STAFF}), "SNV")
    opened = seen_values(services.scoring.scorecard("SNV", 2025), "self")
    act(services, SEARCH, "self", "save", typed_self("12"), colleague, opened)
    typed = {**typed_self(""), **typed_self("5", code="1.1.2")}  # 1.1.1 still shows what was opened
    _, notice = form_parts(act(services, SEARCH, "self", "save", typed, UNIT, opened))
    assert notice == "Đã lưu tự đánh giá của 1 tiêu chí (nguyen.van.a)."
    card = services.scoring.scorecard("SNV", 2025)
    assert {s.code: s.self_points for s in card.areas[0].children[0].children} == {
        "1.1.1": 12.0,
        "1.1.2": 5.0,
    }
