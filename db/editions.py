"""Editions in the database: their units and crosswalks, and where each agency counts in each.

`replace_editions` writes the units and crosswalk of every edition of the editions file
(geodata/editions.py) as a whole; `resolve_edition_units` then derives, per edition and
agency, one row of `agency_edition_units` (db/schema_editions.py). Per agency:
- department                                   → `department` (the province/city level);
- district committee, edition with districts   → `unit` (its district), or `unmapped` when
                                                 the district is not one of the edition;
- district committee, edition without them     → `former_district` (reported on a line of
                                                 its own, "Hồ sơ của UBND cấp huyện …");
- commune valid on or after the edition's `units_from` whose code is a commune of the
  edition                                      → that commune;
- otherwise an old commune: its crosswalk successor in the edition (even when the
  successor reuses its code, never by code alone), else, with districts, its 2024
  district (no commune), else `unmapped`.
A commune placed in an edition with districts carries its parent district as `top_code`
and itself as `leaf_code`; without districts it is the `top_code`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Connection, delete, insert, select

from db.schema import agencies
from db.schema_editions import agency_edition_units, edition_crosswalk, edition_units, map_editions
from geodata.editions import Edition

DEPARTMENT, UNIT, FORMER_DISTRICT, UNMAPPED = "department", "unit", "former_district", "unmapped"


def replace_editions(conn: Connection, editions: Iterable[Edition]) -> int:
    """Replace every edition's units and crosswalk; returns the number of units written."""
    conn.execute(delete(edition_units))
    conn.execute(delete(edition_crosswalk))
    conn.execute(delete(map_editions))
    written = 0
    for edition in editions:
        conn.execute(
            insert(map_editions).values(
                id=edition.id,
                name=edition.name,
                unit_name=edition.unit_name,
                province_code=edition.province_code,
                levels=",".join(edition.levels),
                valid_from=edition.valid_from,
                valid_to=edition.valid_to,
                units_from=edition.units_from,
            )
        )
        units = edition.units()
        conn.execute(
            insert(edition_units),
            [
                {
                    "edition": edition.id,
                    "code": u.code,
                    "name": u.name,
                    "level": u.level,
                    "parent_code": u.parent_code,
                    "population": u.population,
                }
                for u in units
            ],
        )
        links = edition.crosswalk_links()
        if links:
            conn.execute(
                insert(edition_crosswalk),
                [
                    {
                        "edition": edition.id,
                        "old_code": c.old_code,
                        "old_name": c.old_name,
                        "old_district_code": c.old_district_code,
                        "new_code": c.new_code,
                        "link_type": c.link_type,
                    }
                    for c in links
                ],
            )
        written += len(units)
    return written


@dataclass(frozen=True)
class EditionView:
    edition: str
    units_from: date
    districts: frozenset[str]
    commune_parent: dict[str, str | None]
    successors: dict[str, tuple[str | None, str]]  # old_code -> (new_code, old_district_code)

    @property
    def has_districts(self) -> bool:
        return bool(self.districts)


def edition_views(conn: Connection) -> list[EditionView]:
    """One view per stored edition."""
    units_from = {
        r.id: r.units_from for r in conn.execute(select(map_editions.c.id, map_editions.c.units_from))
    }
    rows = conn.execute(
        select(
            edition_units.c.edition, edition_units.c.code, edition_units.c.level, edition_units.c.parent_code
        )
    ).all()
    links = conn.execute(
        select(
            edition_crosswalk.c.edition,
            edition_crosswalk.c.old_code,
            edition_crosswalk.c.new_code,
            edition_crosswalk.c.old_district_code,
            edition_crosswalk.c.link_type,
        )
    ).all()
    # An old commune split over several new ones: prefer a 'full' link, then the smallest code.
    ranked = sorted(
        links, key=lambda r: (r.old_code, r.new_code is None, r.link_type != "full", r.new_code or "")
    )
    views = []
    for edition in sorted({r.edition for r in rows}):
        successors: dict[str, tuple[str | None, str]] = {}
        for r in ranked:
            if r.edition == edition:
                successors.setdefault(r.old_code, (r.new_code, r.old_district_code))
        mine = [r for r in rows if r.edition == edition]
        views.append(
            EditionView(
                edition=edition,
                units_from=units_from.get(edition, date.min),
                districts=frozenset(r.code for r in mine if r.level == "district"),
                commune_parent={r.code: r.parent_code for r in mine if r.level == "commune"},
                successors=successors,
            )
        )
    return views


def _commune_of(unit_code: str, valid_to: date | None, view: EditionView) -> str | None:
    current = valid_to is None or valid_to >= view.units_from
    if current and unit_code in view.commune_parent:
        return unit_code
    if unit_code in view.successors:
        new_code = view.successors[unit_code][0]
        return new_code if new_code in view.commune_parent else None
    return None


def attribution_for(
    kind: str, unit_code: str, valid_to: date | None, view: EditionView
) -> tuple[str, str | None, str | None]:
    """(attribution, top_code, leaf_code) of one agency in one edition (module docstring)."""
    if kind == "department":
        return DEPARTMENT, None, None
    if kind == "district":
        if not view.has_districts:
            return FORMER_DISTRICT, None, None
        return (UNIT, unit_code, None) if unit_code in view.districts else (UNMAPPED, None, None)
    commune = _commune_of(unit_code, valid_to, view)
    if commune is not None:
        if view.has_districts:
            return UNIT, view.commune_parent[commune], commune
        return UNIT, commune, None
    if view.has_districts and unit_code in view.successors:
        old_district = view.successors[unit_code][1]
        if old_district in view.districts:
            return UNIT, old_district, None
    return UNMAPPED, None, None


def resolve_edition_units(conn: Connection) -> int:
    """Recompute agency_edition_units for every agency and stored edition; returns rows written."""
    views = edition_views(conn)
    rows = conn.execute(
        select(agencies.c.id, agencies.c.kind, agencies.c.unit_code, agencies.c.valid_to)
    ).all()
    out = []
    for view in views:
        for r in rows:
            attribution, top, leaf = attribution_for(r.kind, r.unit_code, r.valid_to, view)
            out.append(
                {
                    "edition": view.edition,
                    "agency_id": r.id,
                    "attribution": attribution,
                    "top_code": top,
                    "leaf_code": leaf,
                }
            )
    conn.execute(delete(agency_edition_units))
    if out:
        conn.execute(insert(agency_edition_units), out)
    return len(out)


def edition_codes(conn: Connection) -> tuple[set[str], set[str]]:
    """(province codes, every unit code) over all stored editions."""
    rows = conn.execute(select(edition_units.c.code, edition_units.c.level)).all()
    return {r.code for r in rows if r.level == "province"}, {r.code for r in rows}


def editions_loaded(conn: Connection) -> bool:
    return conn.execute(select(edition_units.c.code).limit(1)).first() is not None
