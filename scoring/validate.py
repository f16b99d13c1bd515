"""The schema of an index definition file, checked node by node.

`problems(raw)` walks the mapping read from a YAML/JSON file and returns every problem
with the path to the bad node, e.g.
`areas[3].criteria[2].max: tổng điểm các tiêu chí thành phần là 6,5, tiêu chí ghi 6
(sub-criteria sum to 6.5, criterion says 6)`. Indexes in paths count from 0.

The shape (keys marked ? are optional):

    name, description?, decision?, year, group (departments | districts | communes),
    max_total, survey_share,
    grades: [{name, min_percent}]                     highest first, the last at 0
    bonus?, penalty?: {cap, lines: [{code, name, max}]}
    areas: [{code, name, max, criteria: [{code, name, max,
             sub_criteria: [{code, name, max, source, rule?, guidance?}]}]}]
    source: assessment | survey | auto (auto needs a rule, the others have none)
    rule: {kind: threshold, metric, steps: [{at_least | at_most, points}], otherwise?, no_data?}
        | {kind: linear, metric, zero_at, full_at, no_data?}
    thresholds in percent; at_least steps strictly descending, at_most strictly ascending;
    no_data (a unit without dossiers): full (default) | zero.

Sums must hold: sub-criteria → criterion max, criteria → area max, areas → max_total,
survey sub-criteria → survey_share. Every code (areas, criteria, sub-criteria, bonus and
penalty lines) is a non-empty string, unique in the file.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from scoring.auto import AUTO_METRICS
from scoring.definition import GROUPS, NO_DATA_CHOICES, SOURCES
from scoring.node_checker import NodeChecker, Problem, child_path, en_number
from vi_format import format_points

MIN_YEAR, MAX_YEAR = 2000, 2100


def problems(raw: Any) -> list[Problem]:
    """Every problem of a definition mapping (empty when it is valid)."""
    check = NodeChecker()
    top = ("name", "year", "group", "max_total", "survey_share", "grades", "areas")
    if not check.mapping(raw, "", top, ("description", "decision", "bonus", "penalty")):
        return check.problems
    check.text(raw, "name", "")
    for key in ("description", "decision"):
        if key in raw and raw[key] is not None:
            check.text(raw, key, "")
    _check_year(check, raw)
    check.choice(raw, "group", "", GROUPS, ("nhóm đơn vị", "unit group"))
    max_total = check.number(raw, "max_total", "", positive=True)
    survey_share = check.number(raw, "survey_share", "", high=max_total)
    _check_grades(check, raw)
    for key in ("bonus", "penalty"):
        if key in raw:
            _check_adjustments(check, raw[key], key)
    area_max: list[float | None] = []
    survey_max: list[float | None] = []
    for i, area in enumerate(check.items(raw, "areas", "")):
        area_max.append(_check_area(check, area, f"areas[{i}]", survey_max))
    check.total("max_total", area_max, max_total, ("các lĩnh vực", "tệp", "areas", "file"))
    if survey_share is not None and all(m is not None for m in survey_max):
        check.total(
            "survey_share",
            [*survey_max, 0.0],
            survey_share,
            ("các tiêu chí thành phần nguồn survey", "tệp", "survey sub-criteria", "file"),
        )
    return check.problems


def _check_year(check: NodeChecker, raw: Mapping[str, Any]) -> None:
    if "year" not in raw:
        return
    year = raw["year"]
    if isinstance(year, bool) or not isinstance(year, int) or not MIN_YEAR <= year <= MAX_YEAR:
        check.add(
            "year",
            f"năm phải là số nguyên từ {MIN_YEAR} đến {MAX_YEAR}, không phải {year!r}",
            f"year must be an integer {MIN_YEAR}..{MAX_YEAR}",
        )


def _check_grades(check: NodeChecker, raw: Mapping[str, Any]) -> None:
    previous: float | None = None
    names: set[str] = set()
    grades = check.items(raw, "grades", "")
    for i, grade in enumerate(grades):
        path = f"grades[{i}]"
        if not check.mapping(grade, path, ("name", "min_percent")):
            continue
        name = check.text(grade, "name", path)
        if name is not None:
            if name in names:
                check.add(
                    child_path(path, "name"), f"xếp loại '{name}' trùng tên", f"duplicate grade '{name}'"
                )
            names.add(name)
        low = check.number(grade, "min_percent", path, high=100)
        if low is not None and previous is not None and low >= previous:
            check.add(
                child_path(path, "min_percent"),
                f"ngưỡng xếp loại phải giảm dần: {format_points(low)} sau {format_points(previous)}",
                f"grade thresholds must descend: {en_number(low)} after {en_number(previous)}",
            )
        if low is not None:
            previous = low
    last = grades[-1] if grades else None
    if isinstance(last, Mapping) and last.get("min_percent") not in (0, 0.0, None):
        check.add(
            f"grades[{len(grades) - 1}].min_percent",
            "xếp loại thấp nhất phải bắt đầu từ 0 để mọi đơn vị đều được xếp loại",
            "the lowest grade must start at 0",
        )


def _check_adjustments(check: NodeChecker, node: Any, path: str) -> None:
    if not check.mapping(node, path, ("cap", "lines")):
        return
    check.number(node, "cap", path, positive=True)
    for i, line in enumerate(check.items(node, "lines", path)):
        where = f"{path}.lines[{i}]"
        if check.mapping(line, where, ("code", "name", "max")):
            check.code(line, where)
            check.text(line, "name", where)
            check.number(line, "max", where, positive=True)


# A level of the tree above the sub-criteria: the key of its children, how they are checked,
# and the words of the total check (children, node; Vietnamese then English).
_Level = tuple[str, Callable[..., float | None], tuple[str, str, str, str]]


def _check_parent(
    check: NodeChecker, node: Any, path: str, survey_max: list[float | None], level: _Level
) -> float | None:
    """An area or a criterion: code, name, stated max = the sum of its children's."""
    children, check_child, words = level
    if not check.mapping(node, path, ("code", "name", "max", children)):
        return None
    check.code(node, path)
    check.text(node, "name", path)
    stated = check.number(node, "max", path, positive=True)
    parts = [
        check_child(check, c, f"{path}.{children}[{j}]", survey_max)
        for j, c in enumerate(check.items(node, children, path))
    ]
    check.total(child_path(path, "max"), parts, stated, words)
    return stated


def _check_area(check: NodeChecker, area: Any, path: str, survey_max: list[float | None]) -> float | None:
    level = ("criteria", _check_criterion, ("các tiêu chí", "lĩnh vực", "criteria", "area"))
    return _check_parent(check, area, path, survey_max, level)


def _check_criterion(
    check: NodeChecker, node: Any, path: str, survey_max: list[float | None]
) -> float | None:
    words = ("các tiêu chí thành phần", "tiêu chí", "sub-criteria", "criterion")
    return _check_parent(check, node, path, survey_max, ("sub_criteria", _check_sub, words))


def _check_sub(check: NodeChecker, node: Any, path: str, survey_max: list[float | None]) -> float | None:
    if not check.mapping(node, path, ("code", "name", "max", "source"), ("rule", "guidance")):
        return None
    check.code(node, path)
    check.text(node, "name", path)
    if "guidance" in node:
        check.text(node, "guidance", path)
    max_points = check.number(node, "max", path, positive=True)
    source = node.get("source")
    check.choice(node, "source", path, SOURCES, ("nguồn điểm", "source"))
    if source == "survey":
        survey_max.append(max_points)
    if source == "auto" and "rule" not in node:
        check.add(
            child_path(path, "rule"), "tiêu chí tự động cần quy tắc tính điểm", "an auto source needs a rule"
        )
    if source in ("assessment", "survey") and "rule" in node:
        check.add(
            child_path(path, "rule"),
            f"chỉ tiêu chí nguồn auto mới có quy tắc (nguồn ở đây là {source})",
            "only auto sub-criteria have a rule",
        )
    if source == "auto" and "rule" in node:
        _check_rule(check, node["rule"], child_path(path, "rule"), max_points)
    return max_points


def _check_rule(check: NodeChecker, rule: Any, path: str, max_points: float | None) -> None:
    if not isinstance(rule, Mapping):
        check.add(path, "phải là một bảng khóa – giá trị", "must be a mapping")
        return
    kind = rule.get("kind")
    if kind == "threshold":
        ok = check.mapping(rule, path, ("kind", "metric", "steps"), ("otherwise", "no_data"))
    elif kind == "linear":
        ok = check.mapping(rule, path, ("kind", "metric", "zero_at", "full_at"), ("no_data",))
    else:
        check.add(
            child_path(path, "kind"),
            f"loại quy tắc không hợp lệ {kind!r}; chọn threshold hoặc linear",
            f"unknown rule kind {kind!r}",
        )
        return
    if not ok:
        return
    metric = rule.get("metric")
    if "metric" in rule and metric not in AUTO_METRICS:
        check.add(
            child_path(path, "metric"),
            f"chỉ số không có: {metric!r}; các chỉ số tính được: {', '.join(AUTO_METRICS)}",
            f"unknown metric {metric!r}",
        )
    if "no_data" in rule and rule["no_data"] not in NO_DATA_CHOICES:
        check.add(
            child_path(path, "no_data"),
            f"phải là {' hoặc '.join(NO_DATA_CHOICES)}, không phải {rule['no_data']!r}",
            "must be full or zero",
        )
    if kind == "linear":
        zero_at = check.number(rule, "zero_at", path, high=100)
        full_at = check.number(rule, "full_at", path, high=100)
        if zero_at is not None and zero_at == full_at:
            check.add(
                child_path(path, "full_at"), "full_at phải khác zero_at", "full_at must differ from zero_at"
            )
        return
    _check_steps(check, rule, path, max_points)


def _check_steps(check: NodeChecker, rule: Mapping[str, Any], path: str, max_points: float | None) -> None:
    comparison: str | None = None
    previous: tuple[float | None, float | None] = (None, None)  # bound, points
    for i, step in enumerate(check.items(rule, "steps", path)):
        where = f"{path}.steps[{i}]"
        if not check.mapping(step, where, ("points",), ("at_least", "at_most")):
            continue
        keys = [k for k in ("at_least", "at_most") if k in step]
        if len(keys) != 1:
            check.add(
                where, "mỗi bậc cần đúng một trong at_least, at_most", "each step needs at_least or at_most"
            )
            continue
        key = keys[0]
        if comparison is None:
            comparison = key
        elif key != comparison:
            check.add(
                child_path(where, key),
                f"không trộn at_least và at_most trong một quy tắc (các bậc trước dùng {comparison})",
                "do not mix at_least and at_most in one rule",
            )
            continue
        bound = check.number(step, key, where, high=100)
        points = check.number(step, "points", where, high=max_points)
        last_bound, last_points = previous
        if bound is not None and last_bound is not None:
            wrong = bound >= last_bound if key == "at_least" else bound <= last_bound
            if wrong:
                order_vi, order_en = ("giảm dần", "descend") if key == "at_least" else ("tăng dần", "ascend")
                check.add(
                    child_path(where, key),
                    f"các ngưỡng phải {order_vi}: {format_points(bound)} sau {format_points(last_bound)}",
                    f"thresholds must {order_en}: {en_number(bound)} after {en_number(last_bound)}",
                )
        if points is not None and last_points is not None and points > last_points:
            check.add(
                child_path(where, "points"),
                f"điểm không được tăng ở bậc sau: {format_points(points)} sau {format_points(last_points)}",
                f"points must not increase: {en_number(points)} after {en_number(last_points)}",
            )
        previous = (bound if bound is not None else last_bound, points if points is not None else last_points)
    otherwise = check.number(rule, "otherwise", path, high=max_points)
    if otherwise is not None and previous[1] is not None and otherwise > previous[1]:
        check.add(
            child_path(path, "otherwise"),
            f"điểm khi không đạt ngưỡng nào ({format_points(otherwise)}) lớn hơn bậc cuối "
            f"({format_points(previous[1])})",
            "otherwise exceeds the last step's points",
        )
