"""The assessment workflow on both backends: who and when, history of every change,
refused transitions and points. Also holds the small registry other scoring db tests use."""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, insert, select, update
from sqlalchemy.exc import IntegrityError

from accounts.permissions import Actor, Role
from db.schema import admin_units, agencies
from db.schema_scoring import scoring_entries, scoring_survey
from scoring import state
from scoring.history import history
from scoring.loader import parse_definition
from scoring.survey_adjustments import set_adjustments, set_survey_results
from scoring.versions import StoredVersion, get_version, store_definition
from scoring.workflow import (
    Appraisal,
    Explanation,
    SelfAssessment,
    WorkflowError,
    lock_self_assessment,
    set_appraisal1,
    set_appraisal2,
    set_explanation,
    set_self_assessment,
    unlock_self_assessment,
)
from tests.test_scoring_definition import small_mapping


def staff(unit: str = "SNV", name: str = "nguyen.van.a") -> Actor:
    """The Actor of a unit staff account (Cán bộ đơn vị) of `unit`."""
    return Actor(name, frozenset({Role.UNIT_STAFF}), unit)


UNIT = staff("SNV")
APPRAISER = Actor("tran.thi.b", frozenset({Role.APPRAISER}))
ADMIN = Actor("quan.tri", frozenset({Role.ADMIN}))
T1 = datetime(2026, 1, 5, 9, 0)
T2 = datetime(2026, 1, 6, 10, 30)

UNITS = [
    ("49", "Tỉnh Quảng Nam", "province", None),
    ("502", "Thành phố Tam Kỳ", "district", "49"),
    ("503", "Thành phố Hội An", "district", "49"),
    ("20335", "Phường Bàn Thạch", "commune", "502"),
    ("20341", "Phường Tam Kỳ", "commune", "502"),
]
# code, name, kind, unit_code, valid_from, valid_to
AGENCIES = [
    ("SNV", "Sở Nội vụ", "department", "49", "2020-01-01", None),
    ("STP", "Sở Tư pháp", "department", "49", "2020-01-01", None),
    ("SKHDT", "Sở Kế hoạch và Đầu tư", "department", "49", "2020-01-01", "2025-02-28"),
    ("SCU", "Sở đã giải thể", "department", "49", "2020-01-01", "2024-12-31"),
    ("502", "UBND thành phố Tam Kỳ", "district", "502", "2020-01-01", "2025-06-30"),
    ("503", "UBND thành phố Hội An", "district", "503", "2020-01-01", "2025-06-30"),
    ("519", "UBND huyện Nông Sơn", "district", "519", "2020-01-01", "2024-12-31"),
    ("20335", "UBND phường Tân Thạnh", "commune", "20335", "2020-06-01", "2025-06-30"),
    ("20335", "UBND phường Bàn Thạch", "commune", "20335", "2025-07-01", None),
    ("20341", "UBND phường Tam Kỳ", "commune", "20341", "2025-07-01", None),
]


def load_small_registry(engine: Engine) -> dict[tuple[str, str], int]:
    """Units and agencies; returns agency ids by (code, valid_from)."""
    with engine.begin() as conn:
        conn.execute(
            insert(admin_units),
            [
                {"code": c, "name": n, "level": lv, "parent_code": p, "population": None}
                for c, n, lv, p in UNITS
            ],
        )
        conn.execute(
            insert(agencies),
            [
                {
                    "code": code,
                    "name": name,
                    "kind": kind,
                    "unit_code": unit,
                    "valid_from": date.fromisoformat(start),
                    "valid_to": date.fromisoformat(end) if end else None,
                    "map_district_code": unit if kind == "district" else None,
                    "map_commune_code": unit if kind == "commune" else None,
                }
                for code, name, kind, unit, start, end in AGENCIES
            ],
        )
        rows = conn.execute(select(agencies.c.id, agencies.c.code, agencies.c.valid_from)).all()
    return {(r.code, r.valid_from.isoformat()): r.id for r in rows}


def store(engine: Engine, raw: dict) -> StoredVersion:
    with engine.begin() as conn:
        return store_definition(conn, parse_definition(raw), raw, "thử.yaml", ADMIN, T1).version


@pytest.fixture
def version(db_engine) -> StoredVersion:
    load_small_registry(db_engine)
    return store(db_engine, small_mapping("departments"))


def self_assess_all(conn, version, unit="SNV", points=(20, 10)):
    items = [SelfAssessment("1.1.1", points[0], "QĐ 12/QĐ-SNV", "đủ"), SelfAssessment("1.1.2", points[1])]
    return set_self_assessment(conn, version, unit, items, staff(unit), T1)


def entry(conn, version, code, unit="SNV"):
    e = scoring_entries.c
    return conn.execute(
        select(scoring_entries).where(e.version_id == version.id, e.unit_code == unit, e.item_code == code)
    ).one()


# -- self-assessment ----------------------------------------------------------------------


def test_self_assessment_records_who_when_and_a_history_row_per_changed_field(db_engine, version):
    with db_engine.begin() as conn:
        counter = state.scoring_version(conn)
        assert self_assess_all(conn, version) == 2
        row = entry(conn, version, "1.1.1")
        changed = [SelfAssessment("1.1.1", 22.5, "QĐ 12/QĐ-SNV", "đủ")]
        assert set_self_assessment(conn, version, "SNV", changed, UNIT, T2) == 1
        rows = history(conn, version.id, "SNV", "1.1.1")
        after = (len(history(conn, version.id)), state.scoring_version(conn))
        assert set_self_assessment(conn, version, "SNV", changed, UNIT, T2) == 0  # the same again
        assert (len(history(conn, version.id)), state.scoring_version(conn)) == after
    assert (row.self_points, row.evidence, row.self_note, row.self_by, row.self_at) == (
        20,
        "QĐ 12/QĐ-SNV",
        "đủ",
        UNIT.name,
        T1,
    )
    assert row.max_points == 25
    assert row.appraisal1_points is None and row.final_points is None
    assert [(h.field, h.old_value, h.new_value, h.changed_by, h.changed_at) for h in rows] == [
        ("self_points", None, "20.0", UNIT.name, T1),
        ("evidence", None, "QĐ 12/QĐ-SNV", UNIT.name, T1),
        ("self_note", None, "đủ", UNIT.name, T1),
        ("self_points", "20.0", "22.5", UNIT.name, T2),
    ]
    assert after[1] == counter + 2  # one bump per write that changed something


def test_a_bad_item_refuses_the_whole_batch(db_engine, version):
    cases = [
        (25.5, ["Tiêu chí 1.1.1: điểm 25,5 vượt điểm tối đa 25."]),
        (-1, ["Tiêu chí 1.1.1: điểm -1 là số âm."]),
        (1.125, ["Tiêu chí 1.1.1: điểm chỉ lấy tối đa hai chữ số thập phân (1.125)."]),
    ]
    for points, problems in cases:
        items = [SelfAssessment("1.1.2", 10), SelfAssessment("1.1.1", points)]
        with db_engine.begin() as conn, pytest.raises(WorkflowError) as info:
            set_self_assessment(conn, version, "SNV", items, UNIT)
        assert info.value.problems == problems
    items = [SelfAssessment("2.1.1", 10), SelfAssessment("3.1.1", 5), SelfAssessment("9.9.9", 1)]
    with db_engine.begin() as conn, pytest.raises(WorkflowError) as info:
        set_self_assessment(conn, version, "SNV", items, UNIT)
    assert info.value.problems == [
        "Tiêu chí 2.1.1: điểm được tính tự động từ dữ liệu hồ sơ, không nhập qua tự đánh giá, thẩm định.",
        "Tiêu chí 3.1.1: điểm được lấy từ điều tra xã hội học, không nhập qua tự đánh giá, thẩm định.",
        "Tiêu chí 9.9.9: không có trong bộ chỉ số năm 2025.",
    ]
    with db_engine.connect() as conn:
        assert history(conn, version.id) == []
        assert conn.execute(select(scoring_entries)).all() == []


def test_only_named_actors_write_and_only_for_units_of_the_group_and_year(db_engine, version):
    with db_engine.begin() as conn:
        for code in ("SCU", "502", "NOPE"):  # dissolved in 2024, another group, unknown
            with pytest.raises(WorkflowError, match=f"Đơn vị '{code}' không thuộc nhóm Sở, ban, ngành"):
                set_self_assessment(conn, version, code, [SelfAssessment("1.1.1", 1)], staff(code))
        with pytest.raises(PermissionError, match="Thiếu người thực hiện"):
            set_self_assessment(conn, version, "SNV", [SelfAssessment("1.1.1", 1)], Actor("  "))
        assert set_self_assessment(conn, version, "SKHDT", [SelfAssessment("1.1.1", 1)], staff("SKHDT")) == 1


def test_database_refuses_points_above_the_maximum_too(db_engine, version):
    with pytest.raises(IntegrityError), db_engine.begin() as conn:
        conn.execute(
            insert(scoring_entries).values(
                version_id=version.id, unit_code="SNV", item_code="1.1.1", max_points=25, self_points=26
            )
        )
    with pytest.raises(IntegrityError), db_engine.begin() as conn:
        conn.execute(
            insert(scoring_survey).values(
                version_id=version.id,
                unit_code="SNV",
                item_code="3.1.1",
                max_points=12,
                points=-0.5,
                updated_by="x",
                updated_at=T1,
            )
        )


# -- lock and the appraisals --------------------------------------------------------------


def test_steps_out_of_order_are_refused(db_engine, version):
    with db_engine.begin() as conn:
        set_self_assessment(conn, version, "SNV", [SelfAssessment("1.1.1", 20)], UNIT)
        with pytest.raises(
            WorkflowError, match=re.escape("1 tiêu chí thành phần chưa có điểm tự đánh giá: 1.1.2")
        ):
            lock_self_assessment(conn, version, "SNV", UNIT)
        set_self_assessment(conn, version, "SNV", [SelfAssessment("1.1.2", 10)], UNIT)
        with pytest.raises(WorkflowError, match="chưa khóa bản tự đánh giá: chưa thẩm định lần 1"):
            set_appraisal1(conn, version, "SNV", [Appraisal("1.1.1", 18)], APPRAISER)
        lock_self_assessment(conn, version, "SNV", UNIT)
        with pytest.raises(WorkflowError) as info:
            set_appraisal2(conn, version, "SNV", [Appraisal("1.1.1", 18)], APPRAISER)
        with pytest.raises(WorkflowError, match="chưa có điểm thẩm định lần 1 để giải trình"):
            set_explanation(conn, version, "SNV", [Explanation("1.1.2", "sớm")], UNIT)
    assert info.value.problems == ["Tiêu chí 1.1.1: chưa thẩm định lần 1, chưa thẩm định lần 2 được."]


def test_locked_self_assessment_cannot_be_changed_until_returned_before_appraisal(db_engine, version):
    with db_engine.begin() as conn:
        self_assess_all(conn, version)
        lock_self_assessment(conn, version, "SNV", UNIT, T2)
    with db_engine.begin() as conn, pytest.raises(WorkflowError) as info:
        set_self_assessment(conn, version, "SNV", [SelfAssessment("1.1.1", 25)], UNIT)
    assert info.value.problems == [
        "Đơn vị SNV đã khóa bản tự đánh giá năm 2025: không sửa được điểm tự đánh giá."
    ]
    with db_engine.begin() as conn:
        assert entry(conn, version, "1.1.1").self_points == 20
        lock = history(conn, version.id, "SNV")[-1]
        assert (lock.item_code, lock.field, lock.old_value, lock.new_value, lock.changed_at) == (
            None,
            "self_locked",
            "false",
            "true",
            T2,
        )
        unlock_self_assessment(conn, version, "SNV", APPRAISER)
        assert set_self_assessment(conn, version, "SNV", [SelfAssessment("1.1.1", 21)], UNIT) == 1
        locks = [h.new_value for h in history(conn, version.id, "SNV") if h.field == "self_locked"]
    assert locks == ["true", "false"]


def test_full_workflow_records_each_step(db_engine, version):
    with db_engine.begin() as conn:
        self_assess_all(conn, version)
        lock_self_assessment(conn, version, "SNV", UNIT)
        set_appraisal1(conn, version, "SNV", [Appraisal("1.1.1", 15, "thiếu minh chứng")], APPRAISER, T1)
        set_explanation(conn, version, "SNV", [Explanation("1.1.1", "bổ sung QĐ 15")], UNIT, T2)
        set_appraisal2(conn, version, "SNV", [Appraisal("1.1.1", 18, "chấp nhận một phần")], APPRAISER, T2)
        row = entry(conn, version, "1.1.1")
        fields = [h.field for h in history(conn, version.id, "SNV", "1.1.1")]
    assert (row.appraisal1_points, row.appraisal1_note, row.appraisal1_by, row.appraisal1_at) == (
        15,
        "thiếu minh chứng",
        APPRAISER.name,
        T1,
    )
    assert (row.explanation, row.explanation_by, row.explanation_at) == ("bổ sung QĐ 15", UNIT.name, T2)
    assert (row.final_points, row.final_note, row.final_by, row.final_at) == (
        18,
        "chấp nhận một phần",
        APPRAISER.name,
        T2,
    )
    assert fields == [
        "self_points",
        "evidence",
        "self_note",
        "appraisal1_points",
        "appraisal1_note",
        "explanation",
        "final_points",
        "final_note",
    ]


def test_after_appraisal_2_appraisal_1_explanation_and_unlock_are_closed(db_engine, version):
    with db_engine.begin() as conn:
        self_assess_all(conn, version)
        lock_self_assessment(conn, version, "SNV", UNIT)
        set_appraisal1(conn, version, "SNV", [Appraisal("1.1.1", 15)], APPRAISER)
        set_appraisal2(conn, version, "SNV", [Appraisal("1.1.1", 18)], APPRAISER)
        with pytest.raises(WorkflowError, match="đã có điểm thẩm định lần 2"):
            set_appraisal1(conn, version, "SNV", [Appraisal("1.1.1", 16)], APPRAISER)
        with pytest.raises(WorkflowError, match="đã thẩm định lần 2, không nhận giải trình"):
            set_explanation(conn, version, "SNV", [Explanation("1.1.1", "muộn")], UNIT)
        with pytest.raises(WorkflowError, match="đã có điểm thẩm định lần 1: không mở khóa"):
            unlock_self_assessment(conn, version, "SNV", APPRAISER)
        assert (
            set_appraisal2(conn, version, "SNV", [Appraisal("1.1.1", 19)], APPRAISER) == 1
        )  # final may be revised


# -- survey, bonus and penalty ------------------------------------------------------------


def test_survey_results_and_adjustments_are_checked_and_kept_in_history(db_engine, version):
    with db_engine.begin() as conn:
        assert (
            set_survey_results(conn, version, "SNV", {"3.1.1": 10.5, "3.1.2": 7}, APPRAISER, "ĐTXH 2025") == 2
        )
        set_survey_results(conn, version, "SNV", {"3.1.2": None}, APPRAISER)
        assert set_adjustments(conn, version, "SNV", {"B1": 1.5, "P2": 2}, APPRAISER) == 2
        with pytest.raises(WorkflowError) as info:
            set_adjustments(conn, version, "SNV", {"B2": 1.75, "X": 1}, APPRAISER)
        with pytest.raises(WorkflowError, match="không phải tiêu chí điều tra"):
            set_survey_results(conn, version, "SNV", {"1.1.1": 5}, APPRAISER)
        rows = [(h.item_code, h.field, h.old_value, h.new_value) for h in history(conn, version.id, "SNV")]
    assert info.value.problems == [
        "Dòng B2: điểm 1,75 vượt điểm tối đa 1,5.",
        "Dòng X: không có trong điểm thưởng, điểm trừ của bộ chỉ số năm 2025.",
    ]
    assert rows == [
        ("3.1.1", "survey_points", None, "10.5"),
        ("3.1.1", "note", None, "ĐTXH 2025"),
        ("3.1.2", "survey_points", None, "7.0"),
        ("3.1.2", "note", None, "ĐTXH 2025"),
        ("3.1.2", "survey_points", "7.0", None),
        ("3.1.2", "note", "ĐTXH 2025", None),
        ("B1", "bonus_points", None, "1.5"),
        ("P2", "penalty_points", None, "2.0"),
    ]


# -- reloading a definition ---------------------------------------------------------------


def test_reloading_a_definition_keeps_entries_that_still_fit(db_engine, version):
    with db_engine.begin() as conn:
        self_assess_all(conn, version)  # 1.1.1 = 20 of 25
    raw = small_mapping("departments")
    raw["name"] = "Bộ chỉ số thử nghiệm (sửa)"
    assert store(db_engine, raw).id == version.id
    tighter = small_mapping("departments")
    subs = tighter["areas"][0]["criteria"][0]["sub_criteria"]
    subs[0]["max"], subs[1]["max"] = 15, 25  # 1.1.1 now at most 15: the stored 20 no longer fits
    with pytest.raises(ValueError, match=re.escape("1.1.1: điểm 20 vượt điểm tối đa mới 15")):
        store(db_engine, tighter)
    wider = small_mapping("departments")
    subs = wider["areas"][0]["criteria"][0]["sub_criteria"]
    subs[0]["max"], subs[1]["max"] = 30, 10
    store(db_engine, wider)
    with db_engine.begin() as conn:
        assert get_version(conn, 2025, "departments").definition.sub_criterion("1.1.1").max == 30
        assert entry(conn, version, "1.1.1").max_points == 30  # what the database checks against
        conn.execute(
            update(scoring_entries).where(scoring_entries.c.item_code == "1.1.1").values(self_points=28)
        )


def no_successions(folder: Path) -> Path:
    """A successions file without rows, for a database with the small registry: the shipped
    file names Quảng Nam's departments, which that registry lacks, so the commands' setup
    step (importer.setup.ensure_registry) would refuse it on every call (logging "42 lỗi")."""
    folder.mkdir(exist_ok=True)
    path = folder / "agency_successions.csv"
    path.write_text("predecessor_code,successor_code,from_date,part,note\n", encoding="utf-8")
    return path
