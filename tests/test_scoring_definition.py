"""Index definitions as data: the shipped 2025 samples, and broken files refused with the
path to the bad node. Also holds the small definitions the other scoring tests use."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from scoring.definition import GROUPS, LinearRule, ThresholdRule
from scoring.loader import DefinitionError, parse_definition, read_definition, read_mapping, shipped_files

SAMPLE_LABEL = "BỘ TIÊU CHÍ MẪU — thay bằng quyết định của UBND tỉnh"
GRADES = [
    {"name": "Tốt", "min_percent": 80},
    {"name": "Khá", "min_percent": 65},
    {"name": "Trung bình", "min_percent": 50},
    {"name": "Yếu", "min_percent": 0},
]


def sub(code: str, max_points: float, source: str = "assessment", rule: dict | None = None) -> dict:
    node = {"code": code, "name": f"Tiêu chí thành phần {code}", "max": max_points, "source": source}
    if rule is not None:
        node["rule"] = rule
    return node


def area(code: str, max_points: float, subs: list[dict]) -> dict:
    criterion = {"code": f"{code}.1", "name": f"Tiêu chí {code}.1", "max": max_points, "sub_criteria": subs}
    return {"code": code, "name": f"Lĩnh vực {code}", "max": max_points, "criteria": [criterion]}


ON_TIME = {
    "kind": "threshold",
    "metric": "on_time_rate",
    "steps": [{"at_least": 98, "points": 30}, {"at_least": 95, "points": 15}],
    "otherwise": 0,
}
ONLINE = {"kind": "linear", "metric": "online_share", "zero_at": 20, "full_at": 50}


def small_mapping(group: str = "departments", year: int = 2025) -> dict:
    """100 points: area 1 assessment (25 + 15), area 2 auto (on-time threshold 30, online
    linear 10), area 3 survey (12 + 8); bonus cap 2 (two lines of 1.5), penalty cap 3
    (two lines of 2)."""
    return {
        "name": "Bộ chỉ số thử nghiệm",
        "year": year,
        "group": group,
        "max_total": 100,
        "survey_share": 20,
        "grades": copy.deepcopy(GRADES),
        "bonus": {
            "cap": 2,
            "lines": [
                {"code": "B1", "name": "Thưởng 1", "max": 1.5},
                {"code": "B2", "name": "Thưởng 2", "max": 1.5},
            ],
        },
        "penalty": {
            "cap": 3,
            "lines": [{"code": "P1", "name": "Trừ 1", "max": 2}, {"code": "P2", "name": "Trừ 2", "max": 2}],
        },
        "areas": [
            area("1", 40, [sub("1.1.1", 25), sub("1.1.2", 15)]),
            area(
                "2", 40, [sub("2.1.1", 30, "auto", copy.deepcopy(ON_TIME)), sub("2.1.2", 10, "auto", ONLINE)]
            ),
            area("3", 20, [sub("3.1.1", 12, "survey"), sub("3.1.2", 8, "survey")]),
        ],
    }


def commune_mapping(year: int = 2025) -> dict:
    """Like small_mapping, with the commune survey share of 30: areas 35 / 35 / 30."""
    raw = small_mapping("communes", year)
    raw["survey_share"] = 30
    raw["areas"] = [
        area("1", 35, [sub("1.1.1", 20), sub("1.1.2", 15)]),
        area(
            "2",
            35,
            [
                sub("2.1.1", 25, "auto", {**ON_TIME, "steps": [{"at_least": 98, "points": 25}]}),
                sub("2.1.2", 10, "auto", ONLINE),
            ],
        ),
        area("3", 30, [sub("3.1.1", 18, "survey"), sub("3.1.2", 12, "survey")]),
    ]
    return raw


def problems_of(raw: object) -> list[str]:
    with pytest.raises(DefinitionError) as info:
        parse_definition(raw, "thử")
    return [str(p) for p in info.value.problems]


def paths_of(raw: object) -> list[str]:
    with pytest.raises(DefinitionError) as info:
        parse_definition(raw, "thử")
    return [p.path for p in info.value.problems]


# -- the shipped samples ------------------------------------------------------------------


def test_every_group_has_a_2025_sample_that_loads():
    definitions = [read_definition(p)[0] for p in shipped_files(2025)]
    assert sorted(d.group for d in definitions) == sorted(GROUPS)
    assert all(d.year == 2025 for d in definitions)


@pytest.mark.parametrize("path", shipped_files(2025), ids=lambda p: p.stem)
def test_samples_are_labelled_as_samples_to_replace(path: Path):
    definition, _ = read_definition(path)
    assert SAMPLE_LABEL in definition.name
    assert definition.description is not None and SAMPLE_LABEL in definition.description
    assert SAMPLE_LABEL in path.read_text(encoding="utf-8").splitlines()[0]


@pytest.mark.parametrize("path", shipped_files(2025), ids=lambda p: p.stem)
def test_samples_have_the_eight_area_structure_and_survey_share(path: Path):
    definition, _ = read_definition(path)
    assert len(definition.areas) == 8
    assert definition.max_total == 100
    expected_survey = 30 if definition.group == "communes" else 20
    assert definition.survey_share == expected_survey
    survey = sum(s.max for s in definition.sub_criteria() if s.source == "survey")
    assert survey == expected_survey
    assert [g.name for g in definition.grades] == ["Tốt", "Khá", "Trung bình", "Yếu"]
    sources = {s.source for s in definition.sub_criteria()}
    assert sources == {"assessment", "survey", "auto"}


def test_rules_are_read_with_their_thresholds_in_percent():
    definition = parse_definition(small_mapping())
    on_time = definition.sub_criterion("2.1.1").rule
    online = definition.sub_criterion("2.1.2").rule
    assert isinstance(on_time, ThresholdRule)
    assert on_time.comparison == "at_least"
    assert [(s.bound, s.points) for s in on_time.steps] == [(98.0, 30.0), (95.0, 15.0)]
    assert on_time.no_data == "full"
    assert isinstance(online, LinearRule)
    assert (online.zero_at, online.full_at) == (20.0, 50.0)


def test_small_definitions_are_valid():
    assert parse_definition(small_mapping()).max_total == 100
    assert parse_definition(commune_mapping()).survey_share == 30


# -- broken files -------------------------------------------------------------------------


def test_criterion_whose_sub_criteria_do_not_add_up_is_refused_with_its_path():
    raw = read_mapping(shipped_files(2025)[1])
    assert raw["group"] == "departments"
    target = raw["areas"][3]["criteria"][2]
    assert target["max"] == 2
    target["sub_criteria"][0]["max"] += 0.5
    assert problems_of(raw) == [
        "areas[3].criteria[2].max: tổng điểm các tiêu chí thành phần là 2,5, tiêu chí ghi 2 "
        "(sub-criteria sum to 2.5, criterion says 2)"
    ]


def test_area_and_total_sums_are_checked():
    raw = small_mapping()
    raw["areas"][0]["max"] = 45
    assert paths_of(raw) == ["areas[0].max", "max_total"]


def test_survey_share_must_match_the_survey_sub_criteria():
    raw = small_mapping()
    raw["survey_share"] = 25
    found = problems_of(raw)
    assert len(found) == 1
    assert found[0].startswith("survey_share: ")
    assert "(survey sub-criteria sum to 20, file says 25)" in found[0]


def test_unknown_and_missing_keys_are_named():
    raw = small_mapping()
    node = raw["areas"][1]["criteria"][0]["sub_criteria"][0]
    node["maximum"] = node.pop("max")
    assert set(paths_of(raw)) == {
        "areas[1].criteria[0].sub_criteria[0].maximum",
        "areas[1].criteria[0].sub_criteria[0].max",
    }


def test_duplicate_codes_point_at_the_second_one():
    raw = small_mapping()
    raw["areas"][2]["criteria"][0]["sub_criteria"][1]["code"] = "1.1.2"
    found = problems_of(raw)
    assert found == [
        "areas[2].criteria[0].sub_criteria[1].code: mã '1.1.2' trùng với "
        "areas[0].criteria[0].sub_criteria[1].code (duplicate code '1.1.2')"
    ]


def test_bonus_line_code_may_not_repeat_a_criterion_code():
    raw = small_mapping()
    raw["bonus"]["lines"][0]["code"] = "1.1"
    assert paths_of(raw) == ["areas[0].criteria[0].code"]


def test_unknown_metric_is_refused():
    raw = small_mapping()
    raw["areas"][1]["criteria"][0]["sub_criteria"][0]["rule"]["metric"] = "on_time"
    found = problems_of(raw)
    assert len(found) == 1
    assert found[0].startswith("areas[1].criteria[0].sub_criteria[0].rule.metric: chỉ số không có: 'on_time'")


def test_thresholds_must_descend():
    raw = small_mapping()
    raw["areas"][1]["criteria"][0]["sub_criteria"][0]["rule"]["steps"] = [
        {"at_least": 95, "points": 30},
        {"at_least": 98, "points": 15},
    ]
    found = problems_of(raw)
    assert found == [
        "areas[1].criteria[0].sub_criteria[0].rule.steps[1].at_least: các ngưỡng phải giảm dần: 98 sau 95 "
        "(thresholds must descend: 98 after 95)"
    ]


def test_at_most_thresholds_must_ascend_and_points_may_not_exceed_the_maximum():
    raw = small_mapping()
    raw["areas"][1]["criteria"][0]["sub_criteria"][0]["rule"] = {
        "kind": "threshold",
        "metric": "pending_overdue_share",
        "steps": [{"at_most": 3, "points": 31}, {"at_most": 1, "points": 15}],
    }
    assert paths_of(raw) == [
        "areas[1].criteria[0].sub_criteria[0].rule.steps[0].points",
        "areas[1].criteria[0].sub_criteria[0].rule.steps[1].at_most",
    ]


def test_rules_belong_to_auto_sub_criteria_only():
    raw = small_mapping()
    subs = raw["areas"][1]["criteria"][0]["sub_criteria"]
    subs[0]["source"] = "assessment"  # keeps its rule
    del subs[1]["rule"]  # auto without a rule
    assert paths_of(raw) == [
        "areas[1].criteria[0].sub_criteria[0].rule",
        "areas[1].criteria[0].sub_criteria[1].rule",
    ]


def test_linear_rule_needs_two_different_rates():
    raw = small_mapping()
    raw["areas"][1]["criteria"][0]["sub_criteria"][1]["rule"] = {**ONLINE, "full_at": 20}
    assert paths_of(raw) == ["areas[1].criteria[0].sub_criteria[1].rule.full_at"]


def test_grades_must_descend_and_end_at_zero():
    raw = small_mapping()
    raw["grades"][2]["min_percent"] = 70
    raw["grades"][3]["min_percent"] = 10
    assert paths_of(raw) == ["grades[2].min_percent", "grades[3].min_percent"]


def test_codes_must_be_strings():
    raw = small_mapping()
    raw["areas"][0]["criteria"][0]["code"] = 1.1  # unquoted in YAML
    found = problems_of(raw)
    assert len(found) == 1
    assert found[0].startswith("areas[0].criteria[0].code: mã phải là chuỗi")


def test_wrong_group_year_and_types_are_each_reported():
    raw = small_mapping()
    raw["group"] = "sở"
    raw["year"] = "2025"
    raw["areas"][0]["criteria"][0]["sub_criteria"][0]["max"] = "25"
    assert paths_of(raw) == ["year", "group", "areas[0].criteria[0].sub_criteria[0].max"]


def test_a_file_that_is_not_a_mapping_is_refused():
    assert paths_of(["a", "b"]) == ["(gốc tệp)"]


def test_yaml_key_written_twice_is_refused_with_its_lines(tmp_path: Path):
    path = tmp_path / "dup.yaml"
    path.write_text("name: A\nyear: 2025\nname: B\n", encoding="utf-8")
    with pytest.raises(DefinitionError) as info:
        read_definition(path)
    message = str(info.value.problems[0])
    assert "khóa 'name' viết hai lần (dòng 1 và 3)" in message


def test_yaml_syntax_error_gives_line_and_column(tmp_path: Path):
    path = tmp_path / "bad.yaml"
    path.write_text("name: A\nareas: [\n", encoding="utf-8")
    with pytest.raises(DefinitionError) as info:
        read_definition(path)
    assert info.value.problems[0].path.startswith("dòng 3")


def test_unknown_group_and_source_are_named_with_the_choices():
    raw = small_mapping()
    raw["group"] = "sở"
    raw["areas"][0]["criteria"][0]["sub_criteria"][0]["source"] = "manual"
    assert problems_of(raw) == [
        "group: nhóm đơn vị không hợp lệ 'sở'; chọn một trong departments, districts, communes "
        "(unknown unit group 'sở')",
        "areas[0].criteria[0].sub_criteria[0].source: nguồn điểm không hợp lệ 'manual'; "
        "chọn một trong assessment, survey, auto (unknown source 'manual')",
    ]
