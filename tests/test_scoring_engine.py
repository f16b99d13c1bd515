"""The engine on hand-computed scorecards, one per unit group (pure: no database).

Definitions (tests/test_scoring_definition.py): 100 points; area 1 assessment, area 2
auto (on-time threshold, online linear 20 % → 0, 50 % → full), area 3 survey; bonus
cap 2 (lines of 1.5), penalty cap 3 (lines of 2); grades Tốt 80 / Khá 65 / TB 50 / Yếu 0.
"""

from __future__ import annotations

from dossier_stats.kpis import Kpis
from scoring.engine import Entry, UnitInputs, competition_ranks, score_group, score_unit
from scoring.loader import parse_definition
from tests.test_scoring_definition import commune_mapping, small_mapping

DEPARTMENTS = parse_definition(small_mapping("departments"))
DISTRICTS = parse_definition(small_mapping("districts"))
COMMUNES = parse_definition(commune_mapping())

ON_TIME_98 = Kpis(resolved_early=30, resolved_on_time=19, resolved_late=1)  # 98 %
ONLINE_35 = Kpis(received_online=35, received_direct_postal=65)  # 35 %


def kpis(*parts: Kpis) -> Kpis:
    total = Kpis()
    for part in parts:
        total = total + part
    return total


def test_department_with_final_points_survey_and_capped_bonus():
    unit = UnitInputs(
        code="SNV",
        name="Sở Nội vụ",
        entries={
            "1.1.1": Entry(self_points=24, appraisal1_points=18, final_points=20),
            "1.1.2": Entry(self_points=15, appraisal1_points=12, final_points=12),
        },
        survey={"3.1.1": 10.5, "3.1.2": 7.25},
        adjustments={"B1": 1.5, "B2": 1.5, "P1": 1},
        kpis=kpis(ON_TIME_98, ONLINE_35),
    )
    score = score_unit(DEPARTMENTS, unit)
    # 20 + 12 | 30 (98 % on time) + 5 (35 % online: 10 × 15/30) | 10.5 + 7.25
    assert score.area_points() == {"1": 32, "2": 35, "3": 17.75}
    assert score.criteria_points == 84.75
    assert not score.survey_missing
    assert score.bonus == 2  # 3 capped at 2
    assert score.penalty == 1
    assert score.total == 85.75  # 84.75 + 2 − 1
    assert score.percent == 85.75
    assert score.grade == "Tốt"
    assert not score.provisional
    lost = {s.code: s.lost for s in score.sub_criteria()}
    assert lost == {"1.1.1": 5, "1.1.2": 3, "2.1.1": 0, "2.1.2": 5, "3.1.1": 1.5, "3.1.2": 0.75}


def test_department_without_survey_is_rescaled_and_provisional():
    unit = UnitInputs(
        code="STP",
        name="Sở Tư pháp",
        entries={
            "1.1.1": Entry(self_points=20, appraisal1_points=15),  # appraisal 1 counts, provisional
            "1.1.2": Entry(self_points=10),  # self-assessment counts, provisional
        },
        adjustments={"P1": 2, "P2": 2},
        kpis=kpis(
            Kpis(resolved_on_time=979, resolved_late=21), Kpis(received_online=50, received_direct_postal=50)
        ),
    )
    score = score_unit(DEPARTMENTS, unit)
    # 15 + 10 | 15 (97.9 % on time) + 10 (50 % online) | survey missing
    assert score.criteria_points == 50
    assert score.counted_max == 80
    assert score.survey_missing
    assert score.penalty == 3  # 4 capped at 3
    assert score.total == 59.5  # 50 × 100 / 80 = 62.5, − 3
    assert score.grade == "Trung bình"
    assert score.provisional
    stages = {s.code: (s.stage, s.provisional) for s in score.sub_criteria()}
    assert stages["1.1.1"] == ("appraisal1", True)
    assert stages["1.1.2"] == ("self", True)
    assert stages["2.1.1"] == ("auto", False)
    assert stages["3.1.1"] == ("survey_missing", False)
    survey_area = score.areas[2]
    assert (survey_area.points, survey_area.counted_max, survey_area.lost) == (0, 0, 0)


def test_unit_with_nothing_entered_and_no_dossiers():
    score = score_unit(DEPARTMENTS, UnitInputs(code="SXD", name="Sở Xây dựng"))
    # auto rules without data give full points (no_data: full): 30 + 10 = 40 of the 80 counted
    assert score.criteria_points == 40
    assert score.total == 50  # 40 × 100 / 80
    assert score.grade == "Trung bình"
    assert score.provisional
    assert [s.stage for s in score.sub_criteria()][:2] == ["none", "none"]


def test_district_bonus_cannot_lift_the_total_above_the_maximum():
    unit = UnitInputs(
        code="502",
        name="UBND thành phố Tam Kỳ",
        map_code="502",
        entries={"1.1.1": Entry(final_points=25), "1.1.2": Entry(final_points=15)},
        survey={"3.1.1": 12, "3.1.2": 7},
        adjustments={"B1": 1.5},
        kpis=kpis(ON_TIME_98, Kpis(received_online=60, received_direct_postal=40)),
    )
    score = score_unit(DISTRICTS, unit)
    # 40 + 40 + 19 = 99, + 1.5 bonus = 100.5 → kept at 100
    assert score.criteria_points == 99
    assert score.total == 100
    assert score.percent == 100
    assert score.map_code == "502"


def test_commune_with_part_of_the_survey_missing_is_rescaled_over_what_is_counted():
    unit = UnitInputs(
        code="20335",
        name="UBND phường Bàn Thạch",
        entries={"1.1.1": Entry(self_points=20, final_points=16), "1.1.2": Entry(final_points=12)},
        survey={"3.1.1": 15},  # 3.1.2 (12 points) missing
        adjustments={"B1": 1},
        kpis=kpis(Kpis(resolved_on_time=95, resolved_late=5), ONLINE_35),
    )
    score = score_unit(COMMUNES, unit)
    # 16 + 12 | 0 (95 % < 98 %) + 5 | 15 → 48 of 88 counted
    assert score.area_points() == {"1": 28, "2": 5, "3": 15}
    assert score.counted_max == 88
    assert score.total == 55.55  # 48 × 100 / 88 = 54.5454… + 1 = 55.545… → 55.55 (half up)
    assert score.grade == "Trung bình"
    assert not score.provisional


def test_ranks_share_ties_and_skip_the_next():
    assert competition_ranks({"a": 90, "b": 80, "c": 80, "d": 70}) == {"a": 1, "b": 2, "c": 2, "d": 4}
    assert competition_ranks({"x": 50, "y": 50}) == {"x": 1, "y": 1}
    assert competition_ranks({}) == {}


def test_group_ranks_units_by_percentage_with_ties():
    def unit(code: str, points: float) -> UnitInputs:
        return UnitInputs(
            code=code,
            name=code,
            entries={"1.1.1": Entry(final_points=points), "1.1.2": Entry(final_points=10)},
            survey={"3.1.1": 10, "3.1.2": 5},
            kpis=kpis(ON_TIME_98, ONLINE_35),
        )

    # totals: 20+10+35+15 = 80, 15+…= 75 (twice), 10+… = 70
    group = score_group(DEPARTMENTS, [unit("D", 10), unit("B", 15), unit("A", 20), unit("C", 15)])
    assert [(s.code, s.total, group.ranks[s.code]) for s in group.scores] == [
        ("A", 80, 1),
        ("B", 75, 2),
        ("C", 75, 2),
        ("D", 70, 4),
    ]
    assert [s.grade for s in group.scores] == ["Tốt", "Khá", "Khá", "Khá"]


def test_units_whose_published_percentages_are_equal_share_a_rank():
    # A: survey missing, (13.33 + 40) × 100 / 80 = 66.6625 → published 66.66
    # B: survey present, 6.66 + 40 + 20 = 66.66 exactly
    a = UnitInputs(code="A", name="A", entries={"1.1.1": Entry(final_points=13.33)})
    b = UnitInputs(
        code="B", name="B", entries={"1.1.1": Entry(final_points=6.66)}, survey={"3.1.1": 12, "3.1.2": 8}
    )
    group = score_group(DEPARTMENTS, [b, a])
    assert [(s.code, s.total) for s in group.scores] == [("A", 66.66), ("B", 66.66)]
    assert group.ranks == {"A": 1, "B": 1}
