"""Administrative units with a polygon (province, former districts, current communes):
lookups for URL validation and breadcrumbs."""

from __future__ import annotations

from sqlalchemy import Connection, select

from db.schema import admin_units
from geodata.records import UnitInfo

_COLUMNS = (admin_units.c.code, admin_units.c.name, admin_units.c.level, admin_units.c.parent_code)


def _info(row: object) -> UnitInfo:
    return UnitInfo(code=row.code, name=row.name, level=row.level, parent_code=row.parent_code)  # type: ignore[attr-defined]


def all_units(conn: Connection) -> list[UnitInfo]:
    """Every unit, by code."""
    return [_info(r) for r in conn.execute(select(*_COLUMNS).order_by(admin_units.c.code))]


def get_unit(conn: Connection, code: str) -> UnitInfo | None:
    """The unit with that code, or None when there is none."""
    row = conn.execute(select(*_COLUMNS).where(admin_units.c.code == code)).one_or_none()
    return None if row is None else _info(row)


def province(conn: Connection, code: str | None = None) -> UnitInfo:
    """The province unit: the one with `code` when given, else the only province loaded.

    LookupError (Vietnamese message) when it is missing or ambiguous."""
    query = select(*_COLUMNS).where(admin_units.c.level == "province")
    if code is not None:
        query = query.where(admin_units.c.code == code)
    rows = conn.execute(query.order_by(admin_units.c.code)).all()
    if len(rows) == 1:
        return _info(rows[0])
    wanted = f"mã {code}" if code is not None else "cấp tỉnh"
    if not rows:
        raise LookupError(f"Chưa có đơn vị hành chính {wanted} trong cơ sở dữ liệu (chưa nạp ranh giới?).")
    codes = ", ".join(r.code for r in rows)
    raise LookupError(f"Có nhiều đơn vị cấp tỉnh ({codes}); cần chỉ rõ mã tỉnh (PROVINCE_CODE).")
