"""Extra ranking columns from other parts of the product, shown when they exist: the 766
service index (dossier_stats.index766.results) and the PAR index (the ScoringService, `services.scoring`).
Without one of them — not installed, no table yet, no scores for the year — the ranking scene
simply has no such column (nothing is shown as zero), and a failure there never stops the wall.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from dossier_stats.index766.results import index766_for_agencies, index766_units
from dossier_stats.index766.ruleset import active_config
from dossier_stats.periods import Period
from vi_format import format_number

log = logging.getLogger(__name__)
Level = str  # "department" | "district" | "commune"
PAR_GROUPS = {"department": "departments", "district": "districts", "commune": "communes"}


@dataclass(frozen=True)
class ScoreColumn:
    """An extra ranking column (766 total, PAR index) shown when its service exists."""

    header: str
    values: Mapping[str, str]  # unit code -> text
    note: str = ""  # shown under the table: what produced the values (766: the rule set)


Provider = Callable[[Any, Period, Level], ScoreColumn | None]


INCOMPLETE_MARK = "*"


def index766_column(services: Any, period: Period, level: Level) -> ScoreColumn | None:
    """The 766 total (0–100) per department code or per district / commune polygon; a total
    with imported indicators missing is marked "*" (not comparable, not ranked), and the
    note names the rule set that produced the totals."""
    config = active_config()
    with services.stats.engine.connect() as conn:
        if level == "department":
            scored: list[tuple[str, Any]] = [
                (r.code, r) for r in index766_for_agencies(conn, period, config) if r.kind == "department"
            ]
        else:
            scored = list(index766_units(conn, period, level, config).items())
    values = {
        code: format_number(u.score.total, 1) + (INCOMPLETE_MARK if u.unranked_reason else "")
        for code, u in scored
        if u.score is not None
    }
    if not values:
        return None
    note = f"766: {config.label}"
    if any(v.endswith(INCOMPLETE_MARK) for v in values.values()):
        note += f"; {INCOMPLETE_MARK} chưa có đủ số liệu nhập, không xếp hạng"
    return ScoreColumn("766", values, note)


def par_column(
    services: Any, period: Period, level: Level, keep: Callable[[Any], bool] | None = None
) -> ScoreColumn | None:
    """The PAR index (%) of the latest year up to the period's year that has results; with
    `keep`, only the rows it keeps (an anonymous wall: final results only)."""
    scoring = getattr(services, "scoring", None)
    if scoring is None:
        return None
    group = PAR_GROUPS[level]
    for year in sorted((y for y in scoring.years() if y <= period.year), reverse=True):
        rows = [r for r in scoring.results(year, group) if keep is None or keep(r)]
        if not rows:
            continue
        values = {
            (r.unit_code if level == "department" else r.map_code): format_number(r.percent, 1) for r in rows
        }
        values.pop(None, None)
        if values:
            return ScoreColumn(f"CCHC {year}", values)
    return None


PROVIDERS: tuple[Provider, ...] = (index766_column, par_column)


def score_columns_for(
    services: Any, period: Period, providers: Sequence[Provider] = PROVIDERS
) -> Callable[[Level], Sequence[ScoreColumn]]:
    """A function level -> the extra columns available for that level and period (each
    provider asked once per level)."""
    cache: dict[Level, list[ScoreColumn]] = {}

    def columns(level: Level) -> Sequence[ScoreColumn]:
        if level not in cache:
            found: list[ScoreColumn] = []
            for provider in providers:
                try:
                    column = provider(services, period, level)
                except Exception:  # another part's service failing must not take the wall down
                    log.exception("wall: %s column failed", provider.__name__)
                    column = None
                if column is not None:
                    found.append(column)
            cache[level] = found
        return cache[level]

    return columns
