"""The PAR index per map edition (issue 13): which scored units belong to an edition.

Decision. A PAR year is shown by default in the edition valid on the year's last day (31/12:
2025 and later in "Thành phố Đà Nẵng (từ 01/7/2025)", earlier years in Quảng Nam's), like
any period of the map (geodata.editions.edition_on); the other edition can be asked for. A
version's group (scoring.units) is scored as the province decided; an edition shows the
units of the group whose agency belongs to it, ranked among themselves:

- departments: the code has a version valid in the year whose unit_code is the edition's
  province (or city) code (the city's departments from 01/7/2025, unit_code 48; Quảng Nam's,
  49) — so the city's 2025 ranking lists no department abolished in March 2025;
- districts and communes: the code has a version valid in the year placed on a unit of the
  edition (agency_edition_units, attribution "unit": the district committees in Quảng Nam's
  edition only, the city having no district level; the communes in both).

The yearly annex (scoring.export) and the scorecards keep the whole group and its ranks.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import replace
from datetime import date

from sqlalchemy import Connection, and_, or_, select

from db.schema import agencies
from db.schema_editions import agency_edition_units, map_editions
from dossier_stats.editions import editions
from geodata.editions import edition_on
from scoring.definition import GROUP_KIND
from scoring.engine import competition_ranks
from scoring.results import GroupResults


def year_edition(conn: Connection, year: int) -> str | None:
    """The id of the edition valid on the year's last day (None: no edition stored)."""
    found = editions(conn)
    return edition_on(found, date(year, 12, 31)).id if found else None


def edition_members(conn: Connection, year: int, group: str, edition: str) -> frozenset[str]:
    """Agency codes of the group that belong to the edition in that year (module docstring)."""
    a = agencies.c
    valid = and_(
        a.kind == GROUP_KIND[group],
        a.valid_from <= date(year, 12, 31),
        or_(a.valid_to.is_(None), a.valid_to >= date(year, 1, 1)),
    )
    if group == "departments":
        province = select(map_editions.c.province_code).where(map_editions.c.id == edition).scalar_subquery()
        query = select(a.code).where(valid, a.unit_code == province)
    else:
        aeu = agency_edition_units.c
        placed = and_(aeu.agency_id == a.id, aeu.edition == edition, aeu.attribution == "unit")
        query = select(a.code).select_from(agencies.join(agency_edition_units, placed)).where(valid)
    return frozenset(conn.execute(query.distinct()).scalars())


def edition_table(table: GroupResults, members: Collection[str]) -> GroupResults:
    """The group's results restricted to the edition's units, ranked among themselves (ties
    share a rank: 1, 2, 2, 4), by rank then code."""
    rows = [r for r in table.rows if r.unit_code in members]
    ranks = competition_ranks({r.unit_code: r.percent for r in rows})
    ranked = sorted((replace(r, rank=ranks[r.unit_code]) for r in rows), key=lambda r: (r.rank, r.unit_code))
    return replace(table, rows=tuple(ranked))
