"""Which agencies a version scores: agencies by code, per unit group and year.

- departments: agencies of kind department valid at some time in the year;
- districts:   district committees valid at some time in the year (2025: 17, Nông Sơn
               having merged into Quế Sơn on 2025-01-01);
- communes:    commune committees valid on the last day of the year (2025: the 78
               communes formed on 2025-07-01).
A code's name is that of its latest version in the scope; `since` is the earliest
valid_from of its versions in the scope (a unit formed during the year has no
previous-year score to compare with); `map_code` is the agency's unit_code for
districts and communes (the polygon it colours), None for departments.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, Connection, and_, or_, select

from db.schema import agencies
from dossier_stats.kpis import _valid_in
from dossier_stats.periods import Period
from scoring.definition import GROUP_KIND


@dataclass(frozen=True)
class ScoredUnit:
    code: str
    name: str
    map_code: str | None
    since: date


def _valid_on(day: date) -> ColumnElement[bool]:
    return and_(agencies.c.valid_from <= day, or_(agencies.c.valid_to.is_(None), agencies.c.valid_to >= day))


def scope(group: str, year: int) -> tuple[str, date | None]:
    """(agency kind, the day the agency must be valid on, or None for 'any day of the year')."""
    return GROUP_KIND[group], (date(year, 12, 31) if group == "communes" else None)


def scored_units(conn: Connection, group: str, year: int) -> list[ScoredUnit]:
    """The units a (year, group) version scores, by code."""
    kind, valid_on = scope(group, year)
    where = [agencies.c.kind == kind, _valid_in(Period("year", year, 0))]
    if valid_on is not None:
        where.append(_valid_on(valid_on))
    rows = conn.execute(
        select(agencies.c.code, agencies.c.name, agencies.c.unit_code, agencies.c.valid_from)
        .where(*where)
        .order_by(agencies.c.code, agencies.c.valid_from)
    ).all()
    units: dict[str, ScoredUnit] = {}
    for r in rows:  # latest version last: its name and unit code win, the first valid_from stays
        first = units.get(r.code)
        units[r.code] = ScoredUnit(
            code=r.code,
            name=r.name,
            map_code=None if group == "departments" else r.unit_code,
            since=first.since if first else r.valid_from,
        )
    return list(units.values())
