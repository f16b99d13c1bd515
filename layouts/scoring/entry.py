"""The entry page (/scoring/entry?unit=CODE&year=YYYY): entering and reviewing points.

One workflow step at a time (self-assessment with evidence and note → lock → appraisal 1
→ the unit's explanation → appraisal 2), chosen with a selector that opens on the unit's
current step. Each assessment sub-criterion is a row with the points of every step so far,
the evidence and notes, and the inputs of the step shown; the problems the workflow found
with a row are written under its inputs. Sub-criteria computed from dossier data are
shown without inputs. Two more choices of the selector enter points that are not part of
the workflow (scoring.survey_adjustments): the survey results (điều tra xã hội học) on
the survey sub-criteria of the same tree, and the bonus and penalty lines (điểm thưởng,
điểm trừ) in a table of their own. Who acts is typed at the top ("Người thực hiện")
until access control arrives; every permission check stays in scoring/permissions.py.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from dash import dcc, html

from layouts.scoring.common import (
    ENTRY_PATH,
    Shell,
    UnitOption,
    control,
    controls_bar,
    messages_box,
    page_shell,
    points_text,
    scorecard_href,
    unit_dropdown,
    year_dropdown,
)
from layouts.scoring.ids import ScoringIds, action_id
from layouts.scoring.tables import Cell, cell, column, js_table, line_spec, row, table_payload
from scoring.entry import STEPS
from scoring.scorecard import Scorecard, ScorecardLine

STEP_LABELS = {
    "self": "Tự đánh giá",
    "appraisal1": "Thẩm định lần 1",
    "explanation": "Giải trình",
    "final": "Thẩm định lần 2",
    "survey": "Điều tra xã hội học",
    "adjustments": "Điểm thưởng, điểm trừ",
}
# The sub-criteria a step of the tree has inputs for (the others show where their points come from).
STEP_SOURCE = {"survey": "survey"}
STEP_HELP = {
    "self": "Đơn vị nhập điểm tự đánh giá, minh chứng và ghi chú cho từng tiêu chí thành phần; khi đã đủ "
    "điểm thì khóa bản tự đánh giá để gửi thẩm định.",
    "appraisal1": "Tổ thẩm định chấm lần 1 sau khi đơn vị đã khóa bản tự đánh giá; ghi ý kiến khi trừ điểm.",
    "explanation": "Đơn vị giải trình những tiêu chí đã thẩm định lần 1 (trước khi thẩm định lần 2).",
    "final": "Tổ thẩm định chấm lần 2 (điểm chính thức), sau thẩm định lần 1 của tiêu chí đó.",
    "survey": "Nhập kết quả điều tra xã hội học của đơn vị cho từng tiêu chí điều tra; để trống = chưa có "
    "kết quả (tiêu chí chưa có kết quả không được tính, tổng điểm được quy đổi về thang điểm đầy đủ).",
    "adjustments": "Nhập điểm thưởng, điểm trừ theo từng dòng của bộ chỉ số; mỗi dòng không quá điểm tối đa "
    "của dòng, tổng điểm thưởng và tổng điểm trừ được giới hạn theo bộ chỉ số khi tính điểm.",
}
# The inputs of each step, in the order they appear in a row.
STEP_FIELDS: dict[str, tuple[str, ...]] = {
    "self": ("points", "evidence", "note"),
    "appraisal1": ("points", "note"),
    "explanation": ("text",),
    "final": ("points", "note"),
    "survey": ("points",),
    "adjustments": ("points",),
}
FIELD_LABELS = {
    "points": "Điểm",
    "evidence": "Minh chứng (số, ngày văn bản…)",
    "note": "Ghi chú",
    "text": "Nội dung giải trình",
}
APPRAISAL_NOTE = "Ý kiến thẩm định"
ACTOR_LABEL = "Người thực hiện"

FormValues = Mapping[tuple[str, str], str]  # (field, sub-criterion code) -> text typed


def assessment_lines(card: Scorecard) -> Iterator[ScorecardLine]:
    return source_lines(card, "assessment")


def source_lines(card: Scorecard, source: str) -> Iterator[ScorecardLine]:
    for area in card.areas:
        for criterion in area.children:
            yield from (s for s in criterion.children if s.source == source)


def current_step(card: Scorecard) -> str:
    """The step the unit is at: self-assessment until locked; then appraisal 1 until every
    assessment sub-criterion has it; then the explanation until some appraisal 2 exists;
    then appraisal 2."""
    if not card.self_locked:
        return "self"
    lines = list(assessment_lines(card))
    if any(x.appraisal1_points is None for x in lines):
        return "appraisal1"
    if all(x.final_points is None for x in lines):
        return "explanation"
    return "final"


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


@dataclass(frozen=True)
class StepCounts:
    total: int
    self_points: int
    appraisal1: int
    final: int


def step_counts(card: Scorecard) -> StepCounts:
    lines = list(assessment_lines(card))
    return StepCounts(
        total=len(lines),
        self_points=sum(1 for x in lines if x.self_points is not None),
        appraisal1=sum(1 for x in lines if x.appraisal1_points is not None),
        final=sum(1 for x in lines if x.final_points is not None),
    )


def step_actions(card: Scorecard, step: str) -> list[tuple[str, str]]:
    """(action, button label) available on a step."""
    what = "kết quả điều tra xã hội học" if step == "survey" else STEP_LABELS[step].lower()
    actions = [("save", f"Lưu {what}")]
    if step == "self" and not card.self_locked:
        actions.append(("lock", "Lưu và khóa tự đánh giá"))
    if step in ("self", "appraisal1") and card.self_locked:
        actions.append(("unlock", "Mở khóa (trả lại đơn vị sửa)"))
    return actions


# -- components -----------------------------------------------------------------------------


def entry_page() -> html.Div:
    """The page frame: the actor field stays (and is remembered by the browser) while the
    content changes with the URL."""
    actor = html.Div(
        control(
            ACTOR_LABEL,
            dcc.Input(
                id=ScoringIds.ENTRY_ACTOR,
                type="text",
                placeholder="Họ tên, đơn vị của người nhập hoặc thẩm định",
                maxLength=200,
                persistence=True,
                persistence_type="local",
                debounce=False,
                className="scoring-input entry-actor",
            ),
            "entry-actor-control",
        ),
        className="controls scoring-actor-bar",
    )
    submit = dcc.Store(id=ScoringIds.ENTRY_SUBMIT)
    return page_shell(
        Shell(ENTRY_PATH, ScoringIds.ENTRY_URL, ScoringIds.ENTRY_CONTENT, extra=(actor, submit))
    )


def entry_skeleton() -> html.Div:
    """Every id the page's callbacks use, without data."""
    return html.Div(
        [
            entry_page(),
            year_dropdown(ScoringIds.ENTRY_YEAR, [], None),
            unit_dropdown(ScoringIds.ENTRY_UNIT, [UnitOption("", "", "")], None),
            html.Div(id=ScoringIds.ENTRY_FORM),
            dcc.RadioItems(id=ScoringIds.ENTRY_STEP, options=[]),
            html.Button(id=action_id("save")),
            *js_table(ScoringIds.ENTRY_TABLE, ScoringIds.ENTRY_TABLE_DATA, None),
        ]
    )


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


def status_panel(card: Scorecard) -> html.Div:
    counts = step_counts(card)
    lock = "đã khóa" if card.self_locked else "chưa khóa (đơn vị còn sửa được)"
    return html.Div(
        [
            html.H2(card.name, className="scoring-title"),
            html.P(
                f"Năm {card.year} — {card.group_label} — mã {card.unit_code}. Bản tự đánh giá: {lock}.",
                className="scoring-subtitle",
                id="entry-lock-status",
            ),
            html.P(
                f"Tiêu chí nhập qua tự đánh giá, thẩm định: {counts.total}; đã tự đánh giá "
                f"{counts.self_points}, đã thẩm định lần 1 {counts.appraisal1}, "
                f"đã thẩm định lần 2 {counts.final}.",
                className="scoring-subtitle",
            ),
            html.P(
                f"Điểm thưởng đang tính {points_text(card.bonus)}, điểm trừ {points_text(card.penalty)}"
                + ("; còn tiêu chí điều tra xã hội học chưa có kết quả." if card.survey_missing else "."),
                className="scoring-subtitle",
            ),
            html.Div(
                dcc.Link("Xem phiếu điểm →", href=scorecard_href(card.unit_code, card.year)),
                className="scoring-links",
            ),
        ],
        className="scoring-heading",
    )


def _notice(notice: Sequence[str], ok: bool) -> html.Div | None:
    if not notice:
        return None
    return html.Div(
        [html.P(m) for m in notice],
        className="entry-notice " + ("ok" if ok else "problem"),
        role="status" if ok else "alert",
    )


def action_bar(card: Scorecard, step: str) -> html.Div:
    return html.Div(
        [
            html.Button(
                label,
                id=action_id(action),
                n_clicks=0,
                className="scoring-button" + (" primary" if action == "save" else ""),
            )
            for action, label in step_actions(card, step)
        ],
        className="entry-actions",
    )


def entry_form(
    card: Scorecard,
    step: str,
    *,
    typed: FormValues | None = None,
    row_errors: Mapping[str, Sequence[str]] | None = None,
    notice: Sequence[str] = (),
    ok: bool = False,
    guidance: Mapping[str, str] | None = None,
) -> list[Any]:
    """The form of one unit and step: status, step selector, notice, rows, actions."""
    return [
        status_panel(card),
        control(
            "Bước",
            dcc.RadioItems(
                id=ScoringIds.ENTRY_STEP,
                options=[{"label": STEP_LABELS[s], "value": s} for s in STEPS],
                value=step,
                inline=True,
                className="segmented",
            ),
            "entry-step",
        ),
        html.P(STEP_HELP[step], className="card-caption entry-help"),
        _notice(notice, ok),
        html.Section(
            js_table(
                ScoringIds.ENTRY_TABLE,
                ScoringIds.ENTRY_TABLE_DATA,
                entry_payload(card, step, typed=typed, row_errors=row_errors, guidance=guidance),
            ),
            className="card entry-card",
        ),
        action_bar(card, step),
    ]


def entry_view(
    card: Scorecard,
    *,
    controls: Sequence[Any],
    messages: Sequence[str],
    guidance: Mapping[str, str] | None = None,
) -> list[Any]:
    """The content of the entry page: controls, messages, and the form of the unit's
    current step (the container the step and action callback refills)."""
    return [
        controls_bar(controls),
        messages_box(messages) if messages else None,
        html.Div(
            entry_form(card, current_step(card), guidance=guidance),
            id=ScoringIds.ENTRY_FORM,
            className="scoring-body entry-form",
        ),
    ]
