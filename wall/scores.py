"""Extra ranking columns from other parts of the product, shown when they exist: the 766
service index (dossier_stats.index766*) and the PAR index (scoring/). Until those services
are there, the ranking scene has no such columns (nothing is shown as zero)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any

from dossier_stats.periods import Period
from layouts.wall_panels import ScoreColumn

log = logging.getLogger(__name__)
Level = str  # "department" | "district" | "commune"


def score_columns_for(services: Any, period: Period) -> Callable[[Level], Sequence[ScoreColumn]]:
    """A function level -> the extra columns available for that level and period."""
    providers = [p for p in (_index766_columns, _par_columns) if p is not None]
    cache: dict[Level, list[ScoreColumn]] = {}

    def columns(level: Level) -> Sequence[ScoreColumn]:
        if level not in cache:
            found: list[ScoreColumn] = []
            for provider in providers:
                try:
                    column = provider(services, period, level)
                except Exception:  # another part's service failing must not take the wall down
                    log.exception("wall: score column failed")
                    column = None
                if column is not None:
                    found.append(column)
            cache[level] = found
        return cache[level]

    return columns


def _index766_columns(services: Any, period: Period, level: Level) -> ScoreColumn | None:
    return None


def _par_columns(services: Any, period: Period, level: Level) -> ScoreColumn | None:
    return None
