"""One action of the entry page (scoring.entry.save_step) on both backends: the step's
writer, the lock that saves the typed points first (both or neither), the caller's own
transaction, and a year or step that does not exist. The unit's staff saves and locks, the
appraisers unlock and enter survey points (accounts.permissions)."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from db.schema_scoring import scoring_entries, scoring_survey
from scoring.entry import DirectPoints, save_step
from scoring.history import history
from scoring.versions import StoredVersion
from scoring.workflow import SelfAssessment, WorkflowError, is_locked
from tests.test_scoring_definition import small_mapping
from tests.test_scoring_workflow import APPRAISER, UNIT, load_small_registry, store

YEAR, GROUP = 2025, "departments"  # small_mapping: assessment 1.1.1 (max 25) and 1.1.2 (max 15)


@pytest.fixture
def version(db_engine) -> StoredVersion:
    load_small_registry(db_engine)
    return store(db_engine, small_mapping(GROUP))


def self_points(engine, version) -> dict[str, float | None]:
    e = scoring_entries.c
    with engine.connect() as conn:
        rows = conn.execute(select(e.item_code, e.self_points).where(e.version_id == version.id)).all()
    return {r.item_code: r.self_points for r in rows}


def test_lock_saves_the_typed_points_and_locks_or_does_neither(db_engine, version):
    typed = [SelfAssessment("1.1.1", 20)]  # 1.1.2 still without points: the lock is refused
    with pytest.raises(WorkflowError, match=re.escape("chưa có điểm tự đánh giá: 1.1.2")):
        save_step(db_engine, UNIT, "SNV", YEAR, GROUP, "self", typed, action="lock")
    assert self_points(db_engine, version) == {}  # the save was rolled back with the lock
    with db_engine.connect() as conn:
        assert history(conn, version.id) == [] and not is_locked(conn, version.id, "SNV")
    both = [SelfAssessment("1.1.1", 20), SelfAssessment("1.1.2", 10)]
    assert save_step(db_engine, UNIT, "SNV", YEAR, GROUP, "self", both, action="lock").changed == 2
    assert self_points(db_engine, version) == {"1.1.1": 20.0, "1.1.2": 10.0}
    with db_engine.connect() as conn:
        assert is_locked(conn, version.id, "SNV")
    assert save_step(db_engine, APPRAISER, "SNV", YEAR, GROUP, "self", [], action="unlock").changed == 0
    with db_engine.connect() as conn:
        assert not is_locked(conn, version.id, "SNV")


def test_with_a_connection_the_callers_transaction_decides(db_engine, version):
    with db_engine.connect() as conn:
        changed = save_step(conn, UNIT, "SNV", YEAR, GROUP, "self", [SelfAssessment("1.1.1", 7.5)])
        assert changed.changed == 1
        conn.rollback()
    assert self_points(db_engine, version) == {}
    with db_engine.begin() as conn:
        save_step(conn, UNIT, "SNV", YEAR, GROUP, "self", [SelfAssessment("1.1.1", 7.5)])
    assert self_points(db_engine, version) == {"1.1.1": 7.5}


def test_survey_points_go_to_the_survey_writer(db_engine, version):
    assert (
        save_step(db_engine, APPRAISER, "SNV", YEAR, GROUP, "survey", [DirectPoints("3.1.1", 11)]).changed
        == 1
    )
    s = scoring_survey.c
    with db_engine.connect() as conn:
        rows = conn.execute(select(s.item_code, s.points).where(s.unit_code == "SNV")).all()
    assert [(r.item_code, r.points) for r in rows] == [("3.1.1", 11.0)]


def test_a_year_without_index_or_an_unknown_step_is_refused(db_engine, version):
    with pytest.raises(WorkflowError, match=re.escape("Không còn bộ chỉ số năm 2030, nhóm Sở, ban, ngành.")):
        save_step(db_engine, UNIT, "SNV", 2030, GROUP, "self", [SelfAssessment("1.1.1", 1)])
    with pytest.raises(ValueError, match="không hợp lệ"):
        save_step(db_engine, UNIT, "SNV", YEAR, GROUP, "lock", [])
    assert self_points(db_engine, version) == {}
