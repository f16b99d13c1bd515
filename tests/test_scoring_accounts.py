"""Scoring writes as accounts, on both backends: each step needs its role (and a unit's own
staff for the unit's steps), a refused write changes nothing, every write is in the audit
trail with the account, its address and old → new; and two people editing one scorecard:
a row someone else saved after the form was opened is not overwritten."""

from __future__ import annotations

import re
import threading

import pytest
from sqlalchemy import func, select

from accounts.audit import entries
from accounts.permissions import Actor, PermissionDenied, Role
from db.schema_scoring import scoring_history, scoring_versions
from scoring import state
from scoring.entry import DirectPoints, hold_version, save_step
from scoring.loader import parse_definition
from scoring.service import ScoringService
from scoring.survey_adjustments import set_adjustments, set_survey_results
from scoring.versions import store_definition
from scoring.workflow import (
    Appraisal,
    SelfAssessment,
    WorkflowError,
    lock_self_assessment,
    set_appraisal1,
    set_self_assessment,
    unlock_self_assessment,
)
from tests.test_scoring_definition import small_mapping
from tests.test_scoring_workflow import APPRAISER, T1, T2, load_small_registry, staff, store

LEADER = Actor("lanh.dao", frozenset({Role.LEADER}))
ADMIN = Actor("quan.tri", frozenset({Role.ADMIN}))
ANNA = Actor("anna", frozenset({Role.UNIT_STAFF}), "SNV", "10.0.0.1")
BINH = Actor("binh", frozenset({Role.UNIT_STAFF}), "SNV", "10.0.0.2")
NOTHING_SEEN = {"1.1.1": {"self_points": None, "evidence": None, "self_note": None}}


@pytest.fixture
def version(db_engine):
    load_small_registry(db_engine)
    return store(db_engine, small_mapping("departments"))


def snapshot(engine):
    """What a refused write must leave alone: history rows, the change counter, the audit trail."""
    with engine.connect() as conn:
        history_rows = conn.execute(select(func.count()).select_from(scoring_history)).scalar_one()
        return history_rows, state.scoring_version(conn), len(entries(conn))


def test_each_step_needs_its_role_and_a_refused_write_changes_nothing(db_engine, version):
    with db_engine.begin() as conn:
        set_self_assessment(
            conn, version, "SNV", [SelfAssessment("1.1.1", 20), SelfAssessment("1.1.2", 10)], ANNA
        )
    before = snapshot(db_engine)
    refused = [
        (
            set_self_assessment,
            staff("STP"),
            [SelfAssessment("1.1.1", 5)],
            "thuộc đơn vị STP: không được tự đánh giá",
        ),
        (set_self_assessment, APPRAISER, [SelfAssessment("1.1.1", 5)], "cần vai trò Cán bộ đơn vị"),
        (
            set_self_assessment,
            LEADER,
            [SelfAssessment("1.1.1", 5)],
            "Tài khoản lanh.dao (Lãnh đạo) không có quyền",
        ),
        (
            set_appraisal1,
            ANNA,
            [Appraisal("1.1.1", 5)],
            "không có quyền thẩm định lần 1: cần vai trò Thẩm định",
        ),
        (set_appraisal1, ADMIN, [Appraisal("1.1.1", 5)], "Tài khoản quan.tri (Quản trị) không có quyền"),
        (set_self_assessment, None, [SelfAssessment("1.1.1", 5)], "Cần đăng nhập để tự đánh giá."),
    ]
    for write, actor, items, message in refused:
        with pytest.raises(PermissionDenied, match=re.escape(message)), db_engine.begin() as conn:
            write(conn, version, "SNV", items, actor)
    for write, actor, values in (
        (set_survey_results, ANNA, {"3.1.1": 5}),
        (set_adjustments, LEADER, {"B1": 1}),
    ):
        with pytest.raises(PermissionDenied), db_engine.begin() as conn:
            write(conn, version, "SNV", values, actor)
    with db_engine.begin() as conn:
        lock_self_assessment(conn, version, "SNV", ANNA)
    locked = snapshot(db_engine)
    with pytest.raises(PermissionDenied, match="cần vai trò Thẩm định"), db_engine.begin() as conn:
        unlock_self_assessment(conn, version, "SNV", ANNA)
    with pytest.raises(PermissionDenied, match="cần vai trò Quản trị"), db_engine.begin() as conn:
        raw = small_mapping("departments", 2026)
        store_definition(conn, parse_definition(raw), raw, "2026.yaml", APPRAISER)
    assert before[0] + 1 == locked[0] and snapshot(db_engine) == locked
    with db_engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(scoring_versions)).scalar_one() == 1


def test_every_score_write_is_audited_with_the_account_address_and_old_to_new(db_engine, version):
    with db_engine.begin() as conn:
        set_self_assessment(conn, version, "SNV", [SelfAssessment("1.1.1", 20, "QĐ 1")], ANNA, T1)
        set_self_assessment(conn, version, "SNV", [SelfAssessment("1.1.1", 22.5, "QĐ 1")], BINH, T2)
        set_self_assessment(conn, version, "SNV", [SelfAssessment("1.1.2", 10)], ANNA, T2)
        lock_self_assessment(conn, version, "SNV", ANNA, T2)
        unlock_self_assessment(conn, version, "SNV", APPRAISER, T2)
        set_adjustments(conn, version, "SNV", {"B1": 1.5}, APPRAISER, when=T2)
        rows = [(e.action, e.account, e.address, e.target, e.detail) for e in entries(conn)]
    target = f"đơn vị SNV (bộ chỉ số #{version.id})"
    assert rows[0][:2] == ("definition_load", "quan.tri")
    assert rows[1:] == [
        ("score_write", "anna", "10.0.0.1", target, "1.1.1 self_points: — → 20.0; 1.1.1 evidence: — → QĐ 1"),
        ("score_write", "binh", "10.0.0.2", target, "1.1.1 self_points: 20.0 → 22.5"),
        ("score_write", "anna", "10.0.0.1", target, "1.1.2 self_points: — → 10.0"),
        ("lock", "anna", "10.0.0.1", target, "self_locked: false → true"),
        ("unlock", "tran.thi.b", None, target, "self_locked: true → false"),
        ("score_write", "tran.thi.b", None, target, "B1 bonus_points: — → 1.5"),
    ]


def opened_card(engine):
    return ScoringService(engine).scorecard("SNV", 2025)


def save_snv(engine, actor, step, items, seen, action="save"):
    """The entry page's action on SNV's 2025 scores, with the values the person saw."""
    return save_step(engine, actor, "SNV", 2025, "departments", step, items, action=action, seen=seen)


def test_a_row_someone_saved_after_the_form_was_opened_is_not_overwritten(db_engine, version):
    # Anna opens the form: 1.1.1 and 1.1.2 are empty (`seen`)
    seen = {**NOTHING_SEEN, "1.1.2": {"self_points": None, "evidence": None, "self_note": None}}
    with db_engine.begin() as conn:  # Bình saves 1.1.1 in the meantime
        set_self_assessment(conn, version, "SNV", [SelfAssessment("1.1.1", 20, "QĐ 7")], BINH, T2)
    items = [SelfAssessment("1.1.1", 15), SelfAssessment("1.1.2", 10)]
    outcome = save_snv(db_engine, ANNA, "self", items, seen)
    assert outcome.changed == 1
    assert [c.message() for c in outcome.conflicts] == [
        "Tiêu chí 1.1.1: binh đã lưu dòng này lúc 10:30 06/01/2026, sau khi anh/chị mở phiếu — "
        "giá trị đã lưu: điểm 20, minh chứng «QĐ 7»; anh/chị nhập: điểm 15, minh chứng (trống). "
        "Dòng này chưa được lưu: xem lại giá trị mới rồi nhập lại nếu cần."
    ]
    after = opened_card(db_engine)
    subs = {s.code: s for a in after.areas for c in a.children for s in c.children}
    assert (subs["1.1.1"].self_points, subs["1.1.1"].evidence) == (20, "QĐ 7")
    assert subs["1.1.2"].self_points == 10
    # typing what the other person saved is no conflict, and writes nothing more
    same = save_snv(db_engine, ANNA, "self", [SelfAssessment("1.1.1", 20, "QĐ 7")], seen)
    assert (same.changed, same.conflicts) == (0, ())


def test_a_lock_with_a_conflicting_row_writes_nothing(db_engine, version):
    with db_engine.begin() as conn:
        set_self_assessment(conn, version, "SNV", [SelfAssessment("1.1.1", 20)], BINH, T2)
    before = snapshot(db_engine)
    items = [SelfAssessment("1.1.1", 15), SelfAssessment("1.1.2", 10)]
    seen = {**NOTHING_SEEN, "1.1.2": {"self_points": None, "evidence": None, "self_note": None}}
    with pytest.raises(WorkflowError) as info:
        save_snv(db_engine, ANNA, "self", items, seen, action="lock")
    assert info.value.problems[-1] == "Chưa khóa: có dòng người khác vừa lưu."
    assert info.value.problems[0].startswith("Tiêu chí 1.1.1: binh đã lưu dòng này")
    assert snapshot(db_engine) == before
    assert not opened_card(db_engine).self_locked


def test_bonus_lines_are_protected_the_same_way(db_engine, version):
    other = Actor("phong.cchc", frozenset({Role.APPRAISER}))
    with db_engine.begin() as conn:
        set_adjustments(conn, version, "SNV", {"B1": 1.0}, other, when=T2)
    outcome = save_snv(
        db_engine, APPRAISER, "adjustments", [DirectPoints("B1", 1.5)], {"B1": {"points": None}}
    )
    assert outcome.changed == 0
    assert (
        outcome.conflicts[0]
        .message()
        .startswith(
            "Dòng B1: phong.cchc đã lưu dòng này lúc 10:30 06/01/2026, sau khi anh/chị mở phiếu — "
            "giá trị đã lưu: điểm 1; anh/chị nhập: điểm 1,5."
        )
    )
    assert opened_card(db_engine).adjustments[0].points == 1.0


def test_a_save_waits_for_a_concurrent_save_of_the_version_and_then_sees_it(db_engine, version):
    """Bình's save holds the version's lock; Anna's save (another connection, as another
    server process) queues behind it and finds Bình's row, instead of overwriting it."""
    result: dict[str, object] = {}

    def anna_saves() -> None:
        try:
            result["outcome"] = save_snv(db_engine, ANNA, "self", [SelfAssessment("1.1.1", 15)], NOTHING_SEEN)
        except Exception as exc:  # reported below
            result["error"] = exc

    with db_engine.begin() as conn:
        hold_version(conn, version.id)
        anna = threading.Thread(target=anna_saves)
        anna.start()
        set_self_assessment(conn, version, "SNV", [SelfAssessment("1.1.1", 20)], BINH, T2)
        assert "outcome" not in result  # Anna's save cannot pass the lock while this one is open
    anna.join(timeout=60)
    assert "error" not in result, result.get("error")
    outcome = result["outcome"]
    assert outcome.changed == 0 and [c.code for c in outcome.conflicts] == ["1.1.1"]
    assert outcome.conflicts[0].changed_by == "binh"
    subs = {s.code: s for a in opened_card(db_engine).areas for c in a.children for s in c.children}
    assert subs["1.1.1"].self_points == 20
