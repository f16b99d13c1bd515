"""Map units of the two indexes, from plain data: the 766 service index and the PAR index.

- 766 (dossier_stats.index766): per polygon an `Index766Unit` (code, name, counts, score or
  None without dossiers); per department an `Index766Row` (the same plus its rank). The
  value is the total or one group's points; the hover lists the total, the grade and the
  six groups, so every 766 metric shares it.
- PAR (scoring/): a group's results of a year (`GroupResults`: areas with their maxima,
  rows by rank); a polygon's row is found by its `map_code`, a department's by its code.
  The value is the total (published rank shown as given) or one area's points; a unit
  without a row is "Chưa có điểm". The hover lists total, percentage, grade, rank among the
  group and the areas, so every PAR metric shares it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, Protocol

from dossier_stats.index766.config import NOTE_MISSING
from dossier_stats.index766.ruleset import active_config
from dossier_stats.index766.score import competition_ranks, data_coverage, unranked_reason
from layouts.home.map_metrics import NO_SCORE_TEXT, MapMetric, MapUnit
from vi_format import format_int, format_number

INDEX766_TOTAL = "index766"
INDEX766_PREFIX = "index766_"
PAR_TOTAL = "par"
PAR_AREA_PREFIX = "par_area_"
INDEX766_DECIMALS = 1  # as the national portal publishes (80,1)
PAR_DECIMALS = 2  # as provincial decisions publish (91,44%)
PROVISIONAL = "tạm tính"
AREA_NAME_CHARS = 48


class Named(Protocol):
    code: str
    name: str


@dataclass(frozen=True)
class UnitName:
    code: str
    name: str


def points(value: float | None, decimals: int) -> str:
    return format_number(value, decimals)


def _short(text: str, limit: int = AREA_NAME_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# ---------------------------------------------------------------- metrics


INDEX766_COLUMNS = ("Xếp loại", "Ghi chú")


def index766_metrics(groups: Sequence[Any], rule_label: str | None = None) -> list[MapMetric]:
    """The 766 total (100 points) and each group (key, label, max_points), each carrying the
    rule set that produces it (default: the one in force) and ranking only comparables."""
    note = rule_label or active_config().label

    def metric(key: str, label: str, top: float) -> MapMetric:
        return MapMetric(
            key,
            label,
            "index766",
            "points",
            max_value=top,
            columns=INDEX766_COLUMNS,
            rule_note=note,
            ranks_from_units=True,
        )

    total = metric(INDEX766_TOTAL, "Chỉ số 766 (tổng điểm)", 100.0)
    return [total] + [
        metric(INDEX766_PREFIX + g.key, f"Chỉ số 766: {g.label}", float(g.max_points)) for g in groups
    ]


def par_metrics(
    years: Sequence[int], areas: Sequence[tuple[str, str]], max_total: float | None
) -> list[MapMetric]:
    """The PAR total and each area (code, name), for the years that have an index version."""
    if not years:
        return []

    def metric(key: str, label: str, max_value: float | None = None, source_ranks: bool = False) -> MapMetric:
        return MapMetric(
            key,
            label,
            "par",
            "points",
            max_value=max_value,
            years=tuple(years),
            no_data_text=NO_SCORE_TEXT,
            columns=("Xếp loại",),
            source_ranks=source_ranks,
            decimals=PAR_DECIMALS,
        )

    total = metric(PAR_TOTAL, "Chỉ số CCHC (tổng điểm)", max_total, source_ranks=True)
    return [total] + [metric(PAR_AREA_PREFIX + code, f"Chỉ số CCHC: {code}. {name}") for code, name in areas]


def index766_group_of(metric: MapMetric) -> str | None:
    """The 766 group a metric shows (None: the total)."""
    return metric.key.removeprefix(INDEX766_PREFIX) if metric.key.startswith(INDEX766_PREFIX) else None


def par_area_of(metric: MapMetric) -> str | None:
    """The PAR area a metric shows (None: the total)."""
    return metric.key.removeprefix(PAR_AREA_PREFIX) if metric.key.startswith(PAR_AREA_PREFIX) else None


# ---------------------------------------------------------------- 766


class Index766ScoreLike(Protocol):
    groups: Sequence[Any]  # GroupScore: key, label, max_points, points
    total: float
    grade: str


def index766_value(score: Index766ScoreLike | None, group: str | None) -> float | None:
    if score is None:
        return None
    if group is None:
        return float(score.total)
    found = next((g for g in score.groups if g.key == group), None)
    return None if found is None else float(found.points)


def group_missing_text(group: Any) -> str:
    """ " · chưa có số liệu: 2 chỉ số" for a group with imported indicators without data."""
    missing = [i for i in group.indicators if i.missing]
    return f" · {NOTE_MISSING}: {len(missing)} chỉ số" if missing else ""


def index766_hover(name: str, score: Any | None, handled: int, no_data: str) -> str:
    if score is None:
        return f"<b>{name}</b><br>{no_data}"
    lines = [
        f"<b>{name}</b>",
        f"Chỉ số 766: <b>{points(score.total, INDEX766_DECIMALS)}</b>/100 · {score.grade}",
        *(
            f"{g.label}: {points(g.points, INDEX766_DECIMALS)}/{points(g.max_points, 0)}"
            + group_missing_text(g)
            for g in score.groups
        ),
        data_coverage(score),
        f"Hồ sơ tính chỉ số: {format_int(handled)}",
    ]
    return "<br>".join(lines)


def index766_unit(unit: Named, scored: Any | None, metric: MapMetric, rank: int | None = None) -> MapUnit:
    """A unit with its 766 result (`scored`: score and counts, None without dossiers); its
    cells: grade, and why it is listed apart when it is not ranked."""
    score = None if scored is None else scored.score
    handled = 0 if scored is None else scored.counts.handled
    return MapUnit(
        unit.code,
        unit.name,
        index766_value(score, index766_group_of(metric)),
        index766_hover(unit.name, score, handled, metric.no_data_text),
        ("—" if score is None else score.grade, unranked_reason(score) or ""),
        rank,
    )


def _ranked_766(pairs: Sequence[tuple[Named, Any | None]], metric: MapMetric) -> list[MapUnit]:
    """Units ranked by the metric's value among comparables only (a score, no imported
    indicator missing); the others get no rank and are listed apart with the reason."""
    units = [index766_unit(u, s, metric) for u, s in pairs]
    comparable = [
        u.value if s is not None and unranked_reason(s.score) is None else None
        for u, (_, s) in zip(units, pairs, strict=True)
    ]
    ranks = competition_ranks(comparable, metric.decimals)
    return [replace(u, rank=r) for u, r in zip(units, ranks, strict=True)]


def index766_map_units(units: Sequence[Named], scored: Mapping[str, Any], metric: MapMetric) -> list[MapUnit]:
    """Every polygon of the level, with its 766 result when it had dossiers."""
    return _ranked_766([(u, scored.get(u.code)) for u in units], metric)


def index766_department_units(rows: Sequence[Any], metric: MapMetric) -> list[MapUnit]:
    """Departments from the per-agency 766 rows (kind "department")."""
    return _ranked_766([(r, r) for r in rows if r.kind == "department"], metric)


# ---------------------------------------------------------------- PAR


class ResultRowLike(Protocol):
    unit_code: str
    name: str
    map_code: str | None
    area_points: Mapping[str, float]
    total: float
    percent: float
    grade: str
    rank: int
    provisional: bool


def par_grade_text(row: ResultRowLike) -> str:
    return f"{row.grade} ({PROVISIONAL})" if row.provisional else row.grade


def par_hover(name: str, row: ResultRowLike | None, table: Any | None, year: int) -> str:
    if row is None or table is None:
        return f"<b>{name}</b><br>Chỉ số CCHC năm {year}: {NO_SCORE_TEXT}"
    size = len(table.rows)
    lines = [
        f"<b>{name}</b>",
        f"Chỉ số CCHC năm {year}: <b>{points(row.total, PAR_DECIMALS)}</b>"
        f"/{points(table.max_total, 0)} ({points(row.percent, PAR_DECIMALS)}%) · {row.grade}",
        f"Hạng {row.rank}/{size} {table.group_label}" + (f" · {PROVISIONAL}" if row.provisional else ""),
        *(
            f"{_short(f'{a.code}. {a.name}')}: {points(row.area_points.get(a.code), PAR_DECIMALS)}"
            f"/{points(a.max, 0)}"
            for a in table.areas
        ),
    ]
    return "<br>".join(lines)


def par_value(row: ResultRowLike | None, area: str | None) -> float | None:
    if row is None:
        return None
    if area is None:
        return float(row.total)
    value = row.area_points.get(area)
    return None if value is None else float(value)


def par_unit(
    unit: Named, row: ResultRowLike | None, table: Any | None, metric: MapMetric, year: int
) -> MapUnit:
    return MapUnit(
        unit.code,
        unit.name,
        par_value(row, par_area_of(metric)),
        par_hover(unit.name, row, table, year),
        ("—" if row is None else par_grade_text(row),),
        None if row is None else row.rank,
    )


def par_map_units(
    units: Sequence[Named], rows: Mapping[str, ResultRowLike], table: Any | None, metric: MapMetric, year: int
) -> list[MapUnit]:
    """Every polygon of the level with its row (by map code) of the year's group results."""
    return [par_unit(u, rows.get(u.code), table, metric, year) for u in units]


def par_department_units(table: Any | None, metric: MapMetric, year: int) -> list[MapUnit]:
    """The departments of the year's results (empty when the year has no departments version)."""
    if table is None:
        return []
    return [par_unit(UnitName(r.unit_code, r.name), r, table, metric, year) for r in table.rows]
