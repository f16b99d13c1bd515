"""The 766 table of a period as plain text rows (pure): what `cli.py index766` prints and
writes to CSV, with the rule set in force and, per unit, what has no data.

Every 766 export starts with `rule_lines(config)`: the rule set's name and version, then
its options. A unit's row says how many of the 100 points had data, which indicators are
"chưa có số liệu" (never shown as 0) and why it is not ranked (index766.score).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from dossier_stats.index766.config import GROUPS, NOTE_MISSING, Index766Config
from dossier_stats.index766.score import Index766Score, data_coverage, unranked_reason
from vi_format import format_number, format_points

KIND_LABELS = {"department": "Sở, ban, ngành", "district": "UBND cấp huyện", "commune": "UBND cấp xã"}
PROVINCE_LABEL = "Toàn tỉnh"


def rule_lines(config: Index766Config) -> list[str]:
    """The rule line(s) every 766 figure and export carries."""
    return [config.label, f"Tùy chọn: {config.options_text}"]


def missing_text(score: Index766Score | None) -> str:
    """The indicators without data, with their maxima ("" when none)."""
    if score is None:
        return ""
    return "; ".join(
        f"{i.label} ({format_points(i.max_points)} điểm)"
        for g in score.groups
        for i in g.indicators
        if i.missing
    )


@dataclass(frozen=True)
class TableLine:
    cells: list[str]
    missing: str  # the unit's indicators without data, "" when none


def header() -> list[str]:
    return [
        "hạng",
        "loại",
        "mã",
        "tên",
        *(f"{g.label} ({g.max_points:g})" for g in GROUPS),
        "tổng",
        "xếp loại",
        "điểm có số liệu",
        f"chỉ số {NOTE_MISSING}",
        "ghi chú xếp hạng",
    ]


def _line(rank: Any, kind: str, code: str, name: str, score: Index766Score | None) -> TableLine:
    groups = [format_number(score.group(g.key).points, 2) if score else "" for g in GROUPS]
    return TableLine(
        [
            str(rank or ""),
            kind,
            code,
            name,
            *groups,
            format_number(score.total, 2) if score else "",
            score.grade if score else "",
            data_coverage(score) if score else "",
            missing_text(score),
            unranked_reason(score) or "",
        ],
        missing_text(score),
    )


def table_lines(rows: Sequence[Any], province: Any | None) -> list[TableLine]:
    """One line per agency row (Index766Row), then the province (Index766Unit) when scored."""
    lines = [_line(r.rank, KIND_LABELS.get(r.kind, r.kind), r.code, r.name, r.score) for r in rows]
    if province is not None and province.score is not None:
        line = _line("", PROVINCE_LABEL, province.code, province.name, province.score)
        line.cells[-1] = ""  # the province is not ranked
        lines.append(line)
    return lines
