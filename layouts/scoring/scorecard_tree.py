"""The scorecard's tree — areas → criteria → sub-criteria with maximum, self-assessed,
appraisal 1, appraisal 2 (final) and counted points, points lost against the maximum and
the evidence and notes of each step — as rows written the Vietnamese way and as the table
the browser draws (layouts/scoring/tables.py)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from layouts.scoring.common import PROVISIONAL, points_text
from layouts.scoring.tables import Cell, badge_spec, cell, column, line_spec, row, table_payload
from scoring.scorecard import Scorecard, ScorecardLine

LEVEL_CLASS = {"area": "tree-area", "criterion": "tree-criterion", "sub": "tree-sub"}


@dataclass(frozen=True)
class TreeRow:
    """One line of the scorecard tree, every number already written the Vietnamese way."""

    level: str  # area | criterion | sub
    code: str
    name: str
    max: str
    self_points: str
    appraisal1: str
    final: str
    points: str  # counted
    lost: str
    previous: str
    provisional: bool
    stage: str | None  # sub-criteria: where the counted points come from
    details: tuple[tuple[str, str], ...]  # (label, text): evidence, notes, explanation, rule


def _lost_text(lost: float | None) -> str:
    return "—" if lost is None else points_text(lost)


def _details(line: ScorecardLine) -> tuple[tuple[str, str], ...]:
    pairs = (
        ("Minh chứng", line.evidence),
        ("Ghi chú tự đánh giá", line.self_note),
        ("Ý kiến thẩm định lần 1", line.appraisal1_note),
        ("Giải trình", line.explanation),
        ("Ý kiến thẩm định lần 2", line.final_note),
        ("Cách tính", line.auto_explanation),
    )
    return tuple((label, text) for label, text in pairs if text)


def _counted(line: ScorecardLine) -> bool:
    """Whether any of the line's sub-criteria counts (a survey without results does not)."""
    if line.level == "sub":
        return line.points is not None
    return any(_counted(child) for child in line.children)


def _row(line: ScorecardLine) -> TreeRow:
    counted = _counted(line)
    return TreeRow(
        level=line.level,
        code=line.code,
        name=line.name,
        max=points_text(line.max),
        self_points=points_text(line.self_points),
        appraisal1=points_text(line.appraisal1_points),
        final=points_text(line.final_points),
        points=points_text(line.points) if counted else "—",
        lost=_lost_text(line.lost) if counted else "—",
        previous=points_text(line.previous_points),
        provisional=line.provisional,
        stage=line.stage_label,
        details=_details(line),
    )


def item_names(card: Scorecard) -> dict[str, str]:
    """code -> name of every line of the tree and every bonus/penalty line (for the history)."""
    names = {line.code: line.name for line in walk_lines(card.areas)}
    return names | {a.code: a.name for a in card.adjustments}


def walk_lines(lines: Sequence[ScorecardLine]) -> Iterator[ScorecardLine]:
    """Every line, depth first."""
    for line in lines:
        yield line
        yield from walk_lines(line.children)


def scorecard_rows(card: Scorecard) -> list[TreeRow]:
    """Every line of the tree, depth first: area, its criteria, each with its sub-criteria."""
    return [_row(line) for line in walk_lines(card.areas)]


TREE_COLUMNS = (
    ("Mã", "code"),
    ("Lĩnh vực, tiêu chí, tiêu chí thành phần", "name"),
    ("Tối đa", "num"),
    ("Tự đánh giá", "num"),
    ("Thẩm định lần 1", "num"),
    ("Thẩm định lần 2", "num"),
    ("Điểm tính", "num"),
    ("Mất điểm", "num"),
)


PROVISIONAL_BADGE = badge_spec(PROVISIONAL, "provisional", "Chưa có điểm thẩm định lần 2")


def _name_cell(row: TreeRow) -> Cell:
    lines = [line_spec(None, row.stage, "tree-stage")] if row.level == "sub" and row.stage else []
    lines += [line_spec(label, text) for label, text in row.details]
    return cell(row.name, class_name="name", lines=lines)


def tree_payload(rows: Sequence[TreeRow], previous_year: int | None) -> dict[str, Any]:
    """The scorecard tree as the browser draws it (layouts/scoring/tables.py)."""
    columns = [column(label, cls) for label, cls in TREE_COLUMNS]
    if previous_year:
        columns.append(column(f"Năm {previous_year}", "num"))
    out = []
    for r in rows:
        lost_class = "num lost" + (" has-lost" if r.lost not in ("0", "—") else "")
        cells = [
            cell(r.code, class_name="code"),
            _name_cell(r),
            cell(r.max, class_name="num"),
            cell(r.self_points, class_name="num"),
            cell(r.appraisal1, class_name="num"),
            cell(r.final, class_name="num"),
            cell(r.points, class_name="num points", badges=[PROVISIONAL_BADGE] if r.provisional else []),
            cell(r.lost, class_name=lost_class),
        ]
        if previous_year:
            cells.append(cell(r.previous, class_name="num"))
        level_class = LEVEL_CLASS[r.level] + (" provisional" if r.provisional else "")
        out.append(row(cells, level_class, r.code))
    return table_payload(columns, out, "scoring-table scorecard-tree", "Bộ chỉ số không có tiêu chí nào.")
