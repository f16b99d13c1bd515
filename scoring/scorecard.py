"""A unit's scorecard (phiếu điểm): the tree of areas → criteria → sub-criteria with the
maximum, self-assessed, appraised and final points, evidence, points counted and lost,
provisional marks, and last year's points where the unit was scored then. Pure: built
from computed groups."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

from scoring.definition import SOURCES
from scoring.engine import AdjustmentScore, AreaScore, CriterionScore, SubScore, UnitScore
from scoring.numbers import round_points
from scoring.results import ComputedGroup

Level = Literal["area", "criterion", "sub"]

STAGE_LABELS = {
    "final": "Thẩm định lần 2 (chính thức)",
    "appraisal1": "Thẩm định lần 1 (tạm tính)",
    "self": "Tự đánh giá (tạm tính)",
    "none": "Chưa có điểm (tạm tính 0)",
    "auto": "Tính tự động từ dữ liệu hồ sơ",
    "survey": "Điều tra xã hội học",
    "survey_missing": "Chưa có kết quả điều tra (không tính, quy đổi về thang điểm đầy đủ)",
}


@dataclass(frozen=True)
class ScorecardLine:
    level: Level
    code: str
    name: str
    max: float
    points: float | None  # counted (None: survey result missing)
    lost: float | None  # max − points over what is counted
    provisional: bool
    self_points: float | None = None  # areas and criteria: sums over their sub-criteria that have one
    appraisal1_points: float | None = None
    final_points: float | None = None
    previous_points: float | None = None  # same code, previous year's version
    source: str | None = None  # sub-criteria: assessment | survey | auto
    source_label: str | None = None
    stage: str | None = None
    stage_label: str | None = None
    evidence: str | None = None
    self_note: str | None = None
    appraisal1_note: str | None = None
    explanation: str | None = None
    final_note: str | None = None
    auto_explanation: str | None = None
    children: tuple[ScorecardLine, ...] = ()


@dataclass(frozen=True)
class PreviousYear:
    year: int
    total: float
    percent: float
    grade: str
    rank: int
    rank_count: int


@dataclass(frozen=True)
class Scorecard:
    unit_code: str
    name: str
    group: str
    group_label: str
    year: int
    version_name: str
    map_code: str | None
    max_total: float
    criteria_points: float  # before rescaling, bonus and penalty
    counted_max: float
    survey_missing: bool
    bonus: float
    penalty: float
    adjustments: tuple[AdjustmentScore, ...]
    total: float
    percent: float
    grade: str
    rank: int
    rank_count: int
    provisional: bool
    self_locked: bool
    areas: tuple[ScorecardLine, ...]
    previous: PreviousYear | None
    percent_change: float | None  # percent − previous percent


def _sum(values: Iterable[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return round_points(sum(present)) if present else None


def _sub_line(sub: SubScore, previous: dict[str, float | None]) -> ScorecardLine:
    entry = sub.entry
    return ScorecardLine(
        level="sub",
        code=sub.code,
        name=sub.name,
        max=sub.max,
        points=sub.points,
        lost=sub.lost,
        provisional=sub.provisional,
        self_points=entry.self_points if entry else None,
        appraisal1_points=entry.appraisal1_points if entry else None,
        final_points=entry.final_points if entry else None,
        previous_points=previous.get(sub.code),
        source=sub.source,
        source_label=SOURCES[sub.source],
        stage=sub.stage,
        stage_label=STAGE_LABELS[sub.stage],
        evidence=entry.evidence if entry else None,
        self_note=entry.self_note if entry else None,
        appraisal1_note=entry.appraisal1_note if entry else None,
        explanation=entry.explanation if entry else None,
        final_note=entry.final_note if entry else None,
        auto_explanation=sub.auto.explanation if sub.auto else None,
    )


def _parent_line(
    level: Level,
    node: AreaScore | CriterionScore,
    children: Sequence[ScorecardLine],
    previous: dict[str, float | None],
) -> ScorecardLine:
    return ScorecardLine(
        level=level,
        code=node.code,
        name=node.name,
        max=node.max,
        points=node.points,
        lost=node.lost,
        provisional=any(c.provisional for c in children),
        self_points=_sum(c.self_points for c in children),
        appraisal1_points=_sum(c.appraisal1_points for c in children),
        final_points=_sum(c.final_points for c in children),
        previous_points=previous.get(node.code),
        children=tuple(children),
    )


def _lines(score: UnitScore, previous: dict[str, float | None]) -> tuple[ScorecardLine, ...]:
    areas = []
    for area in score.areas:
        criteria = [
            _parent_line("criterion", c, [_sub_line(s, previous) for s in c.sub_criteria], previous)
            for c in area.criteria
        ]
        areas.append(_parent_line("area", area, criteria, previous))
    return tuple(areas)


def _points_by_code(score: UnitScore) -> dict[str, float | None]:
    out: dict[str, float | None] = {}
    for area in score.areas:
        out[area.code] = area.points
        for criterion in area.criteria:
            out[criterion.code] = criterion.points
            for sub in criterion.sub_criteria:
                out[sub.code] = sub.points
    return out


def previous_score(unit: UnitScore, previous: ComputedGroup | None) -> UnitScore | None:
    """The unit's score in the previous year's version, when the same agency was scored then
    (a unit formed during this year — e.g. a commune of 2025-07-01 reusing an old code — has none)."""
    if previous is None:
        return None
    before = previous.scores.by_code().get(unit.code)
    if before is None or unit.since is None or unit.since > date(previous.version.year, 12, 31):
        return None
    return before


def build_scorecard(
    computed: ComputedGroup, unit_code: str, previous: ComputedGroup | None
) -> Scorecard | None:
    """The scorecard of one unit of a computed group (None when the group does not score it)."""
    score = computed.scores.by_code().get(unit_code)
    if score is None:
        return None
    definition = computed.version.definition
    before = previous_score(score, previous)
    summary = None
    if before is not None and previous is not None:
        summary = PreviousYear(
            year=previous.version.year,
            total=before.total,
            percent=before.percent,
            grade=before.grade,
            rank=previous.scores.ranks[before.code],
            rank_count=len(previous.scores.scores),
        )
    return Scorecard(
        unit_code=score.code,
        name=score.name,
        group=definition.group,
        group_label=definition.group_label,
        year=definition.year,
        version_name=computed.version.name,
        map_code=score.map_code,
        max_total=definition.max_total,
        criteria_points=score.criteria_points,
        counted_max=score.counted_max,
        survey_missing=score.survey_missing,
        bonus=score.bonus,
        penalty=score.penalty,
        adjustments=score.adjustments,
        total=score.total,
        percent=score.percent,
        grade=score.grade,
        rank=computed.scores.ranks[score.code],
        rank_count=len(computed.scores.scores),
        provisional=score.provisional,
        self_locked=score.self_locked,
        areas=_lines(score, _points_by_code(before) if before else {}),
        previous=summary,
        percent_change=None if summary is None else round_points(score.percent - summary.percent),
    )
