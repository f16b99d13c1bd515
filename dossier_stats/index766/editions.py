"""The 766 index per unit of a map edition (issue 13): the same pooling as the map's
polygons (results.units_from), with the units and attribution of one edition
(agency_edition_units: the city's 94 communes, or Quảng Nam's districts and communes)."""

from __future__ import annotations

from sqlalchemy import Connection, select

from db.schema_editions import agency_edition_units, edition_units
from dossier_stats.index766.config import DEFAULT_CONFIG, Index766Config
from dossier_stats.index766.results import Index766Unit, snapshot, units_from
from dossier_stats.periods import Period


def index766_edition_units(
    conn: Connection,
    period: Period,
    edition: str,
    parent_code: str | None = None,
    config: Index766Config = DEFAULT_CONFIG,
) -> dict[str, Index766Unit]:
    """Per unit of the edition's first level (`parent_code` None) or per commune of one of its
    units; units with dossiers in the period only."""
    aeu = agency_edition_units.c
    rows = conn.execute(
        select(aeu.agency_id, aeu.top_code, aeu.leaf_code).where(
            aeu.edition == edition, aeu.attribution == "unit"
        )
    ).all()
    if parent_code is None:
        unit_of = {r.agency_id: r.top_code for r in rows}
    else:
        unit_of = {r.agency_id: r.leaf_code for r in rows if r.top_code == parent_code}
    u = edition_units.c
    names = {r.code: r.name for r in conn.execute(select(u.code, u.name).where(u.edition == edition))}
    level = "commune" if parent_code is not None else "district"
    return units_from(snapshot(conn, period, config), level, names, unit_of)
