"""Editions of the map and agencies over time (issue 13), on db.schema.metadata.

- `map_editions`: the editions themselves (name, top unit, levels, validity, `units_from`).
- `edition_units`: the units of every edition of geodata/data/editions.toml (the
  province or city, its districts when it has them, its communes), keyed by (edition, code):
  the same commune code is a unit of several editions, with another parent in each.
- `edition_crosswalk`: each edition's old commune → commune-of-the-edition links.
- `agency_edition_units`: where every agency's dossiers count in every edition, derived
  from the registry, the units and the crosswalk (db/editions.py): `attribution` is
  `department` (the province/city level), `unit` (`top_code` = a unit of the edition's
  first level under the province; `leaf_code` = its commune when the edition has
  districts), `former_district` (a district committee in an edition without districts) or
  `unmapped` (an old commune without a successor in the edition). One row per agency and
  edition, so every dossier counts exactly once in every edition.
- `agency_successions`: predecessor agency code → successor code from a date (the 2025
  department mergers, the province merger), read from importer/data/agency_successions.csv.
"""

from __future__ import annotations

from sqlalchemy import Column, Date, Integer, PrimaryKeyConstraint, String, Table, Text

from db.schema import crosswalk_columns, metadata, unit_columns, validity_columns

EDITION_ID = 40  # length of map_editions.id ("quang-nam-2020")


def edition_column() -> Column:
    """The edition (map_editions.id) a row belongs to."""
    return Column("edition", String(EDITION_ID), nullable=False)


map_editions = Table(
    "map_editions",
    metadata,
    Column("id", String(EDITION_ID), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("unit_name", String(200), nullable=False),
    Column("province_code", String(10), nullable=False),
    Column("levels", String(60), nullable=False),  # "province,district,commune" | "province,commune"
    *validity_columns(),
    Column("units_from", Date, nullable=False),
)

edition_units = Table(
    "edition_units",
    metadata,
    edition_column(),
    Column("code", String(10), nullable=False),
    *unit_columns(),
    PrimaryKeyConstraint("edition", "code"),
)

edition_crosswalk = Table(
    "edition_crosswalk",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    edition_column(),
    *crosswalk_columns(),
)

agency_edition_units = Table(
    "agency_edition_units",
    metadata,
    edition_column(),
    Column("agency_id", Integer, nullable=False),
    Column("attribution", String(16), nullable=False),  # department | unit | former_district | unmapped
    Column("top_code", String(10), nullable=True),
    Column("leaf_code", String(10), nullable=True),
    PrimaryKeyConstraint("edition", "agency_id"),
)

agency_successions = Table(
    "agency_successions",
    metadata,
    Column("predecessor_code", String(20), nullable=False),
    Column("successor_code", String(20), nullable=False),
    Column("from_date", Date, nullable=False),
    Column("part", String(10), nullable=False),  # full | partial (part of the tasks)
    Column("note", Text, nullable=True),
    PrimaryKeyConstraint("predecessor_code", "successor_code", "from_date"),
)
