"""The PAR-index engine: pure functions from a definition and a unit's inputs to its score.

Rules (DOMAIN.md §4), in order:
1. Each sub-criterion counts its latest available points:
   - assessment: final (appraisal 2) where it exists, else appraisal 1, else the
     self-assessment; anything but final is *provisional*; nothing entered counts 0
     (provisional);
   - auto: its rule applied to the unit's dossier KPIs of the year (never provisional);
   - survey: the imported survey result; when missing, the sub-criterion is left out
     (neither points nor maximum).
2. Criteria points = Σ counted sub-criteria; the part actually scored has the maximum
   `counted_max` (max_total less the missing survey maxima).
3. When part of the survey is missing the criteria points are rescaled to the full
   maximum: points × max_total / counted_max (Hà Nội's practice).
4. Bonus = min(Σ bonus lines, bonus cap); penalty likewise; total = rescaled points
   + bonus − penalty, kept within 0..max_total.
5. Percentage = total / max_total × 100; grade = first grade whose min_percent it
   reaches; rank within the group by percentage, ties share a rank (1, 2, 2, 4).
Totals and percentages are rounded half up to two decimals; ranks and grades use the
rounded values, so what is published is what is ranked.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from dossier_stats.kpis import Kpis
from scoring.auto import AutoResult, evaluate
from scoring.definition import Area, Criterion, IndexDefinition, Node, SubCriterion
from scoring.numbers import round_points

Stage = Literal["final", "appraisal1", "self", "none", "auto", "survey", "survey_missing"]


@dataclass(frozen=True)
class Entry:
    """A unit's workflow values for one assessment sub-criterion."""

    self_points: float | None = None
    evidence: str | None = None
    self_note: str | None = None
    appraisal1_points: float | None = None
    appraisal1_note: str | None = None
    explanation: str | None = None
    final_points: float | None = None
    final_note: str | None = None


@dataclass(frozen=True)
class UnitInputs:
    code: str  # agency code
    name: str
    map_code: str | None = None  # polygon the unit colours (districts, communes)
    entries: Mapping[str, Entry] = field(default_factory=dict)
    survey: Mapping[str, float] = field(default_factory=dict)
    adjustments: Mapping[str, float] = field(default_factory=dict)  # bonus and penalty lines
    kpis: Kpis | None = None  # dossier KPIs of the year; None: no dossier data
    self_locked: bool = False
    since: date | None = None  # first day this agency code existed as scored (comparison)


@dataclass(frozen=True)
class SubScore(Node):
    source: str
    points: float | None  # counted points; None when not counted (survey missing)
    stage: Stage
    provisional: bool
    entry: Entry | None = None
    auto: AutoResult | None = None

    @property
    def lost(self) -> float | None:
        return None if self.points is None else round_points(self.max - self.points)


def _counted(subs: Sequence[SubScore]) -> tuple[float, float]:
    points = round_points(sum(s.points for s in subs if s.points is not None))
    counted_max = round_points(sum(s.max for s in subs if s.points is not None))
    return points, counted_max


class _Lost:
    """Points lost over what is counted (a criterion's or an area's)."""

    points: float
    counted_max: float

    @property
    def lost(self) -> float:
        return round_points(self.counted_max - self.points)


@dataclass(frozen=True)
class CriterionScore(Node, _Lost):
    sub_criteria: tuple[SubScore, ...]

    @property
    def points(self) -> float:
        return _counted(self.sub_criteria)[0]

    @property
    def counted_max(self) -> float:
        return _counted(self.sub_criteria)[1]


@dataclass(frozen=True)
class AreaScore(Node, _Lost):
    points: float
    counted_max: float
    criteria: tuple[CriterionScore, ...]


@dataclass(frozen=True)
class AdjustmentScore:
    code: str
    name: str
    kind: Literal["bonus", "penalty"]
    max: float
    points: float


@dataclass(frozen=True)
class UnitScore:
    code: str
    name: str
    map_code: str | None
    areas: tuple[AreaScore, ...]
    adjustments: tuple[AdjustmentScore, ...]
    criteria_points: float  # Σ counted sub-criteria, before rescaling
    counted_max: float
    survey_missing: bool
    bonus: float  # within the cap
    penalty: float  # within the cap
    total: float
    percent: float
    grade: str
    provisional: bool
    since: date | None = None
    self_locked: bool = False

    def area_points(self) -> dict[str, float]:
        return {a.code: a.points for a in self.areas}

    def sub_criteria(self) -> list[SubScore]:
        return [s for a in self.areas for c in a.criteria for s in c.sub_criteria]


def score_sub(sub: SubCriterion, inputs: UnitInputs) -> SubScore:
    """One sub-criterion's counted points for a unit (rule 1 of the module docstring)."""
    base = {"code": sub.code, "name": sub.name, "max": sub.max, "source": sub.source}
    if sub.source == "auto":
        assert sub.rule is not None
        result = evaluate(sub.rule, inputs.kpis, sub.max)
        return SubScore(**base, points=result.points, stage="auto", provisional=False, auto=result)
    if sub.source == "survey":
        value = inputs.survey.get(sub.code)
        if value is None:
            return SubScore(**base, points=None, stage="survey_missing", provisional=False)
        return SubScore(**base, points=value, stage="survey", provisional=False)
    entry = inputs.entries.get(sub.code)
    if entry is not None:
        for stage, value in (
            ("final", entry.final_points),
            ("appraisal1", entry.appraisal1_points),
            ("self", entry.self_points),
        ):
            if value is not None:
                return SubScore(**base, points=value, stage=stage, provisional=stage != "final", entry=entry)
    return SubScore(**base, points=0.0, stage="none", provisional=True, entry=entry)


def _criterion(criterion: Criterion, inputs: UnitInputs) -> CriterionScore:
    subs = tuple(score_sub(s, inputs) for s in criterion.sub_criteria)
    return CriterionScore(criterion.code, criterion.name, criterion.max, subs)


def _area(area: Area, inputs: UnitInputs) -> AreaScore:
    criteria = tuple(_criterion(c, inputs) for c in area.criteria)
    points, counted_max = _counted([s for c in criteria for s in c.sub_criteria])
    return AreaScore(area.code, area.name, area.max, points, counted_max, criteria)


def _adjustments(definition: IndexDefinition, inputs: UnitInputs) -> tuple[AdjustmentScore, ...]:
    return tuple(
        AdjustmentScore(line.code, line.name, kind, line.max, inputs.adjustments.get(line.code, 0.0))
        for kind, group in (("bonus", definition.bonus), ("penalty", definition.penalty))
        for line in group.lines
    )


def capped(lines: Sequence[AdjustmentScore], kind: str, cap: float) -> float:
    return round_points(min(cap, sum(a.points for a in lines if a.kind == kind)))


def score_unit(definition: IndexDefinition, inputs: UnitInputs) -> UnitScore:
    """The unit's score under the definition (rules 1–5 of the module docstring, rank aside)."""
    areas = tuple(_area(a, inputs) for a in definition.areas)
    criteria_points = round_points(sum(a.points for a in areas))
    counted_max = round_points(sum(a.counted_max for a in areas))
    survey_missing = counted_max < definition.max_total
    scaled = criteria_points * definition.max_total / counted_max if survey_missing else criteria_points
    adjustments = _adjustments(definition, inputs)
    bonus = capped(adjustments, "bonus", definition.bonus.cap)
    penalty = capped(adjustments, "penalty", definition.penalty.cap)
    total = round_points(min(definition.max_total, max(0.0, scaled + bonus - penalty)))
    percent = round_points(total / definition.max_total * 100)
    provisional = any(s.provisional for a in areas for c in a.criteria for s in c.sub_criteria)
    return UnitScore(
        code=inputs.code,
        name=inputs.name,
        map_code=inputs.map_code,
        areas=areas,
        adjustments=adjustments,
        criteria_points=criteria_points,
        counted_max=counted_max,
        survey_missing=survey_missing,
        bonus=bonus,
        penalty=penalty,
        total=total,
        percent=percent,
        grade=definition.grade_for(percent),
        provisional=provisional,
        since=inputs.since,
        self_locked=inputs.self_locked,
    )


def competition_ranks(values: Mapping[str, float]) -> dict[str, int]:
    """Rank by value, highest first; equal values share the rank and the next rank skips
    (1, 2, 2, 4)."""
    ranks: dict[str, int] = {}
    rank, previous = 0, None
    for position, (code, value) in enumerate(sorted(values.items(), key=lambda kv: (-kv[1], kv[0])), 1):
        if value != previous:
            rank, previous = position, value
        ranks[code] = rank
    return ranks


@dataclass(frozen=True)
class GroupScores:
    definition: IndexDefinition
    scores: tuple[UnitScore, ...]  # by rank, then code
    ranks: Mapping[str, int]

    def by_code(self) -> dict[str, UnitScore]:
        return {s.code: s for s in self.scores}


def score_group(definition: IndexDefinition, inputs: Sequence[UnitInputs]) -> GroupScores:
    """Every unit's score and its rank within the group."""
    scores = [score_unit(definition, unit) for unit in inputs]
    ranks = competition_ranks({s.code: s.percent for s in scores})
    scores.sort(key=lambda s: (ranks[s.code], s.code))
    return GroupScores(definition, tuple(scores), ranks)
