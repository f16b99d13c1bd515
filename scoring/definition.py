"""An index definition (bộ chỉ số) as plain frozen data: areas → criteria → sub-criteria.

Built only from a mapping that `scoring.validate.problems` accepted (`from_mapping`);
`scoring.loader` reads files and raises `DefinitionError` otherwise. Rates in rules are
written in percent (98 means 98%); the metrics they read are 0..1.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Literal

GroupKey = Literal["departments", "districts", "communes"]
GROUPS: dict[str, str] = {
    "departments": "Sở, ban, ngành",
    "districts": "UBND cấp huyện",
    "communes": "UBND cấp xã",
}
# The agency kind (agencies.kind) each group scores.
GROUP_KIND: dict[str, str] = {"departments": "department", "districts": "district", "communes": "commune"}

Source = Literal["assessment", "survey", "auto"]
SOURCES: dict[str, str] = {
    "assessment": "Tự đánh giá, thẩm định",
    "survey": "Điều tra xã hội học",
    "auto": "Tự động từ dữ liệu hồ sơ",
}
NO_DATA_CHOICES = ("full", "zero")


@dataclass(frozen=True)
class ThresholdStep:
    bound: float  # percent
    points: float


@dataclass(frozen=True)
class ThresholdRule:
    """First step the metric reaches gives its points (≥ bound for at_least, ≤ for at_most)."""

    metric: str
    comparison: Literal["at_least", "at_most"]
    steps: tuple[ThresholdStep, ...]
    otherwise: float
    no_data: Literal["full", "zero"]
    kind: Literal["threshold"] = "threshold"


@dataclass(frozen=True)
class LinearRule:
    """0 points at zero_at %, full points at full_at %, straight line between, clamped."""

    metric: str
    zero_at: float
    full_at: float
    no_data: Literal["full", "zero"]
    kind: Literal["linear"] = "linear"


Rule = ThresholdRule | LinearRule


@dataclass(frozen=True)
class Node:
    """What every node of an index has: its code, name and maximum points."""

    code: str
    name: str
    max: float


@dataclass(frozen=True)
class SubCriterion(Node):
    source: Source
    rule: Rule | None = None
    guidance: str | None = None


@dataclass(frozen=True)
class Criterion(Node):
    sub_criteria: tuple[SubCriterion, ...]


@dataclass(frozen=True)
class Area(Node):
    criteria: tuple[Criterion, ...]

    def sub_criteria(self) -> Iterator[SubCriterion]:
        for criterion in self.criteria:
            yield from criterion.sub_criteria


@dataclass(frozen=True)
class AdjustmentLine(Node):
    """A bonus or penalty line."""


@dataclass(frozen=True)
class Adjustments:
    """Bonus (điểm thưởng) or penalty (điểm trừ) lines; their sum counts up to `cap`."""

    cap: float
    lines: tuple[AdjustmentLine, ...]


@dataclass(frozen=True)
class Grade:
    name: str
    min_percent: float


@dataclass(frozen=True)
class IndexDefinition:
    name: str
    description: str | None
    year: int
    group: GroupKey
    max_total: float
    survey_share: float
    grades: tuple[Grade, ...]  # highest threshold first, the last at 0
    bonus: Adjustments
    penalty: Adjustments
    areas: tuple[Area, ...]
    decision: str | None = None

    @property
    def group_label(self) -> str:
        return GROUPS[self.group]

    def sub_criteria(self) -> Iterator[SubCriterion]:
        for area in self.areas:
            yield from area.sub_criteria()

    def sub_criterion(self, code: str) -> SubCriterion | None:
        return next((s for s in self.sub_criteria() if s.code == code), None)

    def adjustment_line(self, code: str) -> tuple[str, AdjustmentLine] | None:
        """("bonus" | "penalty", line) for a line code, else None."""
        for kind, adjustments in (("bonus", self.bonus), ("penalty", self.penalty)):
            for line in adjustments.lines:
                if line.code == code:
                    return kind, line
        return None

    def grade_for(self, percent: float) -> str:
        for grade in self.grades:
            if percent >= grade.min_percent:
                return grade.name
        return self.grades[-1].name


def _rule(raw: Mapping[str, Any]) -> Rule:
    no_data = raw.get("no_data", "full")
    if raw["kind"] == "linear":
        return LinearRule(
            metric=raw["metric"],
            zero_at=float(raw["zero_at"]),
            full_at=float(raw["full_at"]),
            no_data=no_data,
        )
    steps = raw["steps"]
    comparison = "at_least" if "at_least" in steps[0] else "at_most"
    return ThresholdRule(
        metric=raw["metric"],
        comparison=comparison,
        steps=tuple(ThresholdStep(float(s[comparison]), float(s["points"])) for s in steps),
        otherwise=float(raw.get("otherwise", 0)),
        no_data=no_data,
    )


def _adjustments(raw: Mapping[str, Any] | None) -> Adjustments:
    if not raw:
        return Adjustments(cap=0.0, lines=())
    lines = tuple(AdjustmentLine(str(x["code"]), x["name"], float(x["max"])) for x in raw["lines"])
    return Adjustments(cap=float(raw["cap"]), lines=lines)


def from_mapping(raw: Mapping[str, Any]) -> IndexDefinition:
    """The definition of a mapping that passed `scoring.validate.problems` (not re-checked here)."""
    areas = tuple(
        Area(
            code=a["code"],
            name=a["name"],
            max=float(a["max"]),
            criteria=tuple(
                Criterion(
                    code=c["code"],
                    name=c["name"],
                    max=float(c["max"]),
                    sub_criteria=tuple(
                        SubCriterion(
                            code=s["code"],
                            name=s["name"],
                            max=float(s["max"]),
                            source=s["source"],
                            rule=_rule(s["rule"]) if "rule" in s else None,
                            guidance=s.get("guidance"),
                        )
                        for s in c["sub_criteria"]
                    ),
                )
                for c in a["criteria"]
            ),
        )
        for a in raw["areas"]
    )
    return IndexDefinition(
        name=raw["name"],
        description=raw.get("description"),
        year=int(raw["year"]),
        group=raw["group"],
        max_total=float(raw["max_total"]),
        survey_share=float(raw["survey_share"]),
        grades=tuple(Grade(g["name"], float(g["min_percent"])) for g in raw["grades"]),
        bonus=_adjustments(raw.get("bonus")),
        penalty=_adjustments(raw.get("penalty")),
        areas=areas,
        decision=raw.get("decision"),
    )
