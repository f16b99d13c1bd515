"""The steps of the entry page: their names and help texts, the inputs each has, the step a
unit is at, how far it got, and what each step lets one do (pure, from a Scorecard)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from scoring.scorecard import Scorecard, ScorecardLine

FormValues = Mapping[tuple[str, str], str]  # (field, sub-criterion code) -> text typed
STEP_LABELS = {
    "self": "Tự đánh giá",
    "appraisal1": "Thẩm định lần 1",
    "explanation": "Giải trình",
    "final": "Thẩm định lần 2",
    "survey": "Điều tra xã hội học",
    "adjustments": "Điểm thưởng, điểm trừ",
}
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


# The stored columns a step's rows show, as scoring.entry.STEP_COLUMNS names them.
LINE_COLUMNS = {
    "self": ("self_points", "evidence", "self_note"),
    "appraisal1": ("appraisal1_points", "appraisal1_note"),
    "explanation": ("explanation",),
    "final": ("final_points", "final_note"),
}
Seen = dict[str, dict[str, float | str | None]]


def seen_values(card: Scorecard, step: str) -> Seen:
    """What the form of `step` shows per row ({code: {column: value}}): sent back with a
    save, so a row someone else saved in the meantime is not overwritten (scoring.entry)."""
    if step == "survey":
        return {line.code: {"points": line.points} for line in source_lines(card, "survey")}
    if step == "adjustments":  # a line without points is shown as 0 and stored as no row
        return {a.code: {"points": a.points or None} for a in card.adjustments}
    columns = LINE_COLUMNS.get(step, ())
    return {line.code: {c: getattr(line, c) for c in columns} for line in assessment_lines(card)}
