"""Results tables: a version's scores as plain rows (what the ranking, map and export show)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection

from scoring.definition import Node
from scoring.engine import GroupScores, score_group
from scoring.inputs import gather_inputs
from scoring.versions import StoredVersion


@dataclass(frozen=True)
class AreaHeader(Node):
    """An area's column of the results table."""


@dataclass(frozen=True)
class ResultRow:
    unit_code: str  # agency code
    name: str
    group: str  # departments | districts | communes
    group_label: str  # Vietnamese
    map_code: str | None  # polygon code (districts, communes), None for departments
    area_points: dict[str, float]  # area code -> points, in the definition's order
    bonus: float
    penalty: float
    total: float
    percent: float
    grade: str
    rank: int
    provisional: bool  # some points are not final yet (tạm tính)
    survey_missing: bool  # rescaled to the full maximum


@dataclass(frozen=True)
class GroupResults:
    year: int
    group: str
    group_label: str
    version_id: int
    version_name: str
    max_total: float
    areas: tuple[AreaHeader, ...]
    rows: tuple[ResultRow, ...]  # by rank, then unit code


@dataclass(frozen=True)
class ComputedGroup:
    """A version with its scores: everything results, scorecards and maps are built from."""

    version: StoredVersion
    scores: GroupScores


def compute_group(conn: Connection, version: StoredVersion) -> ComputedGroup:
    return ComputedGroup(version, score_group(version.definition, gather_inputs(conn, version)))


def group_results(computed: ComputedGroup) -> GroupResults:
    version, scores = computed.version, computed.scores
    definition = version.definition
    rows = tuple(
        ResultRow(
            unit_code=s.code,
            name=s.name,
            group=definition.group,
            group_label=definition.group_label,
            map_code=s.map_code,
            area_points=s.area_points(),
            bonus=s.bonus,
            penalty=s.penalty,
            total=s.total,
            percent=s.percent,
            grade=s.grade,
            rank=scores.ranks[s.code],
            provisional=s.provisional,
            survey_missing=s.survey_missing,
        )
        for s in scores.scores
    )
    return GroupResults(
        year=version.year,
        group=definition.group,
        group_label=definition.group_label,
        version_id=version.id,
        version_name=version.name,
        max_total=definition.max_total,
        areas=tuple(AreaHeader(a.code, a.name, a.max) for a in definition.areas),
        rows=rows,
    )
