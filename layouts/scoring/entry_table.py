"""The entry table of a step as the browser draws it (layouts/scoring/tables.py): every
sub-criterion with the points so far and the step's inputs, typed values kept and
problems under their row; for the bonus and penalty lines, a table of their own."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from layouts.scoring.common import points_text
from layouts.scoring.entry_steps import STEP_FIELDS, STEP_LABELS, FormValues
from layouts.scoring.tables import Cell, cell, column, line_spec, row, table_payload
from scoring.scorecard import Scorecard, ScorecardLine

# The sub-criteria a step of the tree has inputs for (the others show where their points come from).
STEP_SOURCE = {"survey": "survey"}
FIELD_LABELS = {
    "points": "Điểm",
    "evidence": "Minh chứng (số, ngày văn bản…)",
    "note": "Ghi chú",
    "text": "Nội dung giải trình",
}
APPRAISAL_NOTE = "Ý kiến thẩm định"


def _text(value: str | None) -> str:
    return value or ""


def _number(value: float | None) -> str:
    return "" if value is None else points_text(value).replace(".", "")


def stored_values(line: ScorecardLine, step: str) -> dict[str, str]:
    """What the step's inputs of a row show before anything is typed (the stored values)."""
    if step == "self":
        return {
            "points": _number(line.self_points),
            "evidence": _text(line.evidence),
            "note": _text(line.self_note),
        }
    if step == "appraisal1":
        return {"points": _number(line.appraisal1_points), "note": _text(line.appraisal1_note)}
    if step == "explanation":
        return {"text": _text(line.explanation)}
    if step == "survey":
        return {"points": _number(line.points)}
    return {"points": _number(line.final_points), "note": _text(line.final_note)}


def _input(step: str, fld: str, code: str, value: str, placeholder: str = "") -> dict[str, Any]:
    label = APPRAISAL_NOTE if (fld == "note" and step != "self") else FIELD_LABELS[fld]
    row_kind = "dòng" if step == "adjustments" else "tiêu chí"
    return {
        "field": fld,
        "code": code,
        "value": value,
        "placeholder": placeholder or label,
        "kind": "textarea" if fld == "text" else "input",
        "className": f"entry-{fld}",
        "maxLength": 12 if fld == "points" else 2000,
        "label": f"{label} — {row_kind} {code}",
    }


def _placeholder(line: ScorecardLine, step: str) -> str:
    """A hint of the previous step's points in an empty points box."""
    if step == "appraisal1" and line.self_points is not None:
        return f"TĐG {points_text(line.self_points)}"
    if step == "final" and line.appraisal1_points is not None:
        return f"TĐ1 {points_text(line.appraisal1_points)}"
    return f"0–{points_text(line.max)}"


def _inputs_cell(line: ScorecardLine, step: str, typed: FormValues | None, errors: Sequence[str]) -> Cell:
    if line.source != STEP_SOURCE.get(step, "assessment"):
        return cell(line.source_label or "", class_name="entry-cell muted", errors=errors)
    if step == "explanation" and line.appraisal1_points is None:
        return cell(
            "Chưa thẩm định lần 1: chưa có gì để giải trình.", class_name="entry-cell muted", errors=errors
        )
    stored = stored_values(line, step)
    inputs = [
        _input(
            step,
            fld,
            line.code,
            typed.get((fld, line.code), stored[fld]) if typed is not None else stored[fld],
            _placeholder(line, step) if fld == "points" else "",
        )
        for fld in STEP_FIELDS[step]
    ]
    return cell(class_name=f"entry-cell entry-cell-{step}", inputs=inputs, errors=errors)


def _details(line: ScorecardLine) -> list[dict[str, str]]:
    pairs = (
        ("Minh chứng", line.evidence),
        ("Ghi chú", line.self_note),
        ("Ý kiến thẩm định lần 1", line.appraisal1_note),
        ("Giải trình", line.explanation),
        ("Ý kiến thẩm định lần 2", line.final_note),
    )
    return [line_spec(label, text) for label, text in pairs if text]


def _points_cells(line: ScorecardLine) -> list[Cell]:
    return [
        cell(points_text(line.max), class_name="num"),
        cell(points_text(line.self_points), class_name="num"),
        cell(points_text(line.appraisal1_points), class_name="num"),
        cell(points_text(line.final_points), class_name="num"),
    ]


def _sub_row(
    line: ScorecardLine,
    step: str,
    typed: FormValues | None,
    errors: Sequence[str],
    guidance: Mapping[str, str],
) -> dict[str, Any]:
    lines = [line_spec(None, guidance[line.code], "tree-guidance")] if line.code in guidance else []
    lines += _details(line)
    cells = [
        cell(line.code, class_name="code"),
        cell(line.name, class_name="name", lines=lines),
        *_points_cells(line),
        _inputs_cell(line, step, typed, errors),
    ]
    return row(cells, "tree-sub" + (" has-error" if errors else ""), line.code)


def _group_row(line: ScorecardLine, level: str) -> dict[str, Any]:
    cells = [
        cell(line.code, class_name="code"),
        cell(line.name, class_name="name"),
        *_points_cells(line),
        cell(),
    ]
    return row(cells, f"tree-{level}")


def entry_payload(
    card: Scorecard,
    step: str,
    *,
    typed: FormValues | None = None,
    row_errors: Mapping[str, Sequence[str]] | None = None,
    guidance: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """The entry table of a step as the browser draws it: every sub-criterion with the points
    so far and the step's inputs (typed values kept, problems under their row); for the
    bonus and penalty lines, those lines."""
    row_errors = row_errors or {}
    if step == "adjustments":
        return adjustments_payload(card, typed, row_errors)
    columns = [
        column("Mã", "code"),
        column("Tiêu chí thành phần"),
        column("Tối đa", "num"),
        column("Tự đánh giá", "num"),
        column("Thẩm định lần 1", "num"),
        column("Thẩm định lần 2", "num"),
        column(f"Nhập: {STEP_LABELS[step]}", "entry-head"),
    ]
    rows: list[dict[str, Any]] = []
    for area in card.areas:
        rows.append(_group_row(area, "area"))
        for criterion in area.children:
            rows.append(_group_row(criterion, "criterion"))
            rows += [
                _sub_row(sub, step, typed, row_errors.get(sub.code, ()), guidance or {})
                for sub in criterion.children
            ]
    return table_payload(columns, rows, "scoring-table entry-table", "Bộ chỉ số không có tiêu chí nào.")


KIND_LABELS = {"bonus": "Thưởng", "penalty": "Trừ"}


def adjustments_payload(
    card: Scorecard, typed: FormValues | None, row_errors: Mapping[str, Sequence[str]]
) -> dict[str, Any]:
    """The bonus and penalty lines with their maximum, stored points and a points input."""
    columns = [
        column("Mã", "code"),
        column("Nội dung"),
        column("Loại"),
        column("Tối đa", "num"),
        column("Đang tính", "num"),
        column("Nhập: điểm", "entry-head"),
    ]
    rows = []
    for line in card.adjustments:
        stored = _number(line.points)
        value = typed.get(("points", line.code), stored) if typed is not None else stored
        errors = row_errors.get(line.code, ())
        cells = [
            cell(line.code, class_name="code"),
            cell(line.name, class_name="name"),
            cell(KIND_LABELS[line.kind]),
            cell(points_text(line.max), class_name="num"),
            cell(points_text(line.points), class_name="num"),
            cell(
                class_name="entry-cell entry-cell-adjustments",
                inputs=[_input("adjustments", "points", line.code, value, f"0–{points_text(line.max)}")],
                errors=errors,
            ),
        ]
        rows.append(row(cells, "tree-sub" + (" has-error" if errors else ""), line.code))
    return table_payload(
        columns, rows, "scoring-table entry-table", "Bộ chỉ số năm này không có điểm thưởng, điểm trừ."
    )
