"""Administrative units and the old → 2025 commune crosswalk, written from geodata records.

Both tables are replaced as a whole (delete, then one bulk insert) in the caller's
transaction. Agencies' map attribution depends on them: call
`db.registry.resolve_map_units` afterwards.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Table, delete, insert, select

from db.schema import admin_units, commune_crosswalk
from geodata.records import CrosswalkRecord, UnitRecord


def _replace(conn: Connection, table: Table, records: Sequence[Any], columns: tuple[str, ...]) -> int:
    """Replace every row of `table` by `records` (their attributes `columns`); returns the number written."""
    conn.execute(delete(table))
    if records:
        conn.execute(insert(table), [{c: getattr(r, c) for c in columns} for r in records])
    return len(records)


def replace_units(conn: Connection, records: Sequence[UnitRecord]) -> int:
    """Replace every row of admin_units by `records`; returns the number written."""
    return _replace(conn, admin_units, records, ("code", "name", "level", "parent_code", "population"))


def replace_crosswalk(conn: Connection, records: Sequence[CrosswalkRecord]) -> int:
    """Replace every row of commune_crosswalk by `records`; returns the number written."""
    columns = ("old_code", "old_name", "old_district_code", "new_code", "link_type")
    return _replace(conn, commune_crosswalk, records, columns)


def province_code(conn: Connection) -> str | None:
    """Code of the (single) unit of level province, or None when units are not loaded."""
    codes = conn.execute(select(admin_units.c.code).where(admin_units.c.level == "province")).scalars().all()
    return codes[0] if len(codes) == 1 else None


def units_loaded(conn: Connection) -> bool:
    return conn.execute(select(admin_units.c.code).limit(1)).first() is not None
