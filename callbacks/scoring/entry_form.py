"""The entry form's values → the workflow's items, and the workflow's problems → the rows
they belong to. Pure (no Dash, no database): what the entry callback does between reading
the form and calling scoring.entry.save_step.

Only rows whose typed values differ from the stored ones become items, so a save sends
what the person changed (a step's other rows are neither re-sent nor re-checked). Points
are read as people type them ("7,5", "7.5"); text that is not a number is reported on its
row and nothing is sent. Limits (maximum, negative, decimals), locks and the order of the
steps are checked by scoring.workflow, the one place that knows them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from layouts.scoring.entry_steps import STEP_FIELDS, FormValues, assessment_lines, source_lines
from scoring.entry import DirectPoints, EntryItem
from scoring.scorecard import Scorecard, ScorecardLine
from scoring.workflow import Appraisal, Explanation, SelfAssessment
from vi_format import parse_points

APPRAISAL_NAMES = {"appraisal1": "thẩm định lần 1", "final": "thẩm định lần 2"}
ROW_PROBLEM = re.compile(r"^(?:Tiêu chí|Dòng) ([^:\s]+): ")


def form_values(values: Sequence[Sequence[Any]] | None) -> dict[tuple[str, str], str]:
    """{(field, code): text} from what the browser read from the inputs ([field, code, text])."""
    out: dict[tuple[str, str], str] = {}
    for triple in values or []:
        if isinstance(triple, list | tuple) and len(triple) == 3:
            fld, code, text = triple
            out[(str(fld), str(code))] = "" if text is None else str(text)
    return out


@dataclass(frozen=True)
class StepItems:
    items: list[EntryItem] = field(default_factory=list)
    problems: dict[str, list[str]] = field(default_factory=dict)  # sub-criterion code -> messages


def _clean(text: str) -> str | None:
    return text.strip() or None


def _points(text: str, code: str, problems: dict[str, list[str]], row: str = "Tiêu chí") -> float | None:
    if not text.strip():
        return None
    try:
        return parse_points(text)
    except ValueError:
        problems.setdefault(code, []).append(
            f"{row} {code}: '{text.strip()[:20]}' không phải là số (ví dụ 7,5)."
        )
        return None


def _self_item(line: ScorecardLine, typed: FormValues, problems: dict[str, list[str]]) -> EntryItem | None:
    code = line.code
    raw = typed.get(("points", code), "")
    points = _points(raw, code, problems)
    evidence = _clean(typed.get(("evidence", code), ""))
    note = _clean(typed.get(("note", code), ""))
    if code in problems or (points, evidence, note) == (line.self_points, line.evidence, line.self_note):
        return None
    return SelfAssessment(code, points, evidence, note)


def _appraisal_item(
    line: ScorecardLine, typed: FormValues, step: str, problems: dict[str, list[str]]
) -> EntryItem | None:
    code = line.code
    stored = (
        (line.appraisal1_points, line.appraisal1_note)
        if step == "appraisal1"
        else (line.final_points, line.final_note)
    )
    raw = typed.get(("points", code), "")
    points = _points(raw, code, problems)
    note = _clean(typed.get(("note", code), ""))
    if code in problems or (points, note) == stored:
        return None
    if points is None:
        problems.setdefault(code, []).append(
            f"Tiêu chí {code}: cần nhập điểm {APPRAISAL_NAMES[step]} (không xóa được điểm đã thẩm định)."
        )
        return None
    return Appraisal(code, points, note)


def _explanation_item(line: ScorecardLine, typed: FormValues) -> EntryItem | None:
    if ("text", line.code) not in typed:
        return None
    text = _clean(typed[("text", line.code)])
    return None if text == line.explanation else Explanation(line.code, text or "")


def _direct_items(stored: dict[str, float | None], typed: FormValues, row: str) -> StepItems:
    problems: dict[str, list[str]] = {}
    items: list[EntryItem] = []
    for code, points in stored.items():
        if ("points", code) not in typed:
            continue
        new = _points(typed[("points", code)], code, problems, row)
        if code not in problems and new != points:
            items.append(DirectPoints(code, new))
    return StepItems(items, problems)


def step_items(card: Scorecard, step: str, typed: FormValues) -> StepItems:
    """The items of a step for the rows whose typed values changed, and the rows whose
    text could not be read."""
    if step not in STEP_FIELDS:
        raise ValueError(f"Bước không hợp lệ: {step!r}.")
    if step == "survey":
        return _direct_items({x.code: x.points for x in source_lines(card, "survey")}, typed, "Tiêu chí")
    if step == "adjustments":
        return _direct_items({a.code: a.points for a in card.adjustments}, typed, "Dòng")
    problems: dict[str, list[str]] = {}
    items: list[EntryItem] = []
    for line in assessment_lines(card):
        if not any((f, line.code) in typed for f in STEP_FIELDS[step]):
            continue  # the row has no inputs on this step
        if step == "self":
            item = _self_item(line, typed, problems)
        elif step == "explanation":
            item = _explanation_item(line, typed)
        else:
            item = _appraisal_item(line, typed, step, problems)
        if item is not None:
            items.append(item)
    return StepItems(items, problems)


def problems_by_row(problems: Sequence[str], codes: Sequence[str]) -> tuple[dict[str, list[str]], list[str]]:
    """The workflow's messages split into those about a row ("Tiêu chí 1.1.1: …", shown
    under that row) and the others (the unit, the step, the actor: shown above the table)."""
    known = set(codes)
    rows: dict[str, list[str]] = {}
    general: list[str] = []
    for problem in problems:
        match = ROW_PROBLEM.match(problem)
        if match and match.group(1) in known:
            rows.setdefault(match.group(1), []).append(problem)
        else:
            general.append(problem)
    return rows, general
