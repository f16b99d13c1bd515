"""What a report covers (a `ReportUnit`: the province, a district, a commune, a department
or another agency) and how a code the user gives is resolved to one. Shared by Biểu 06,
the trends, the overdue list and the channels."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from sqlalchemy import ColumnElement, Connection, Select, select

from db.schema import admin_units, agencies

UnitKind = Literal["province", "district", "commune", "department", "agency"]


class UnknownUnit(LookupError):
    """No district, commune or agency has the given code (Vietnamese message)."""


@dataclass(frozen=True)
class ReportUnit:
    """What a report covers: the whole province (code None), a district (its committee and
    every commune attributed to it), a current commune (with the old communes it
    succeeds), a department (all versions of its code) or any other agency code."""

    code: str | None
    name: str
    kind: UnitKind
    # a department's predecessors whose dossiers count with it (trends follow the chain
    # of successions, dossier_stats/successions.py); empty: the code alone
    predecessors: tuple[str, ...] = ()

    def agency_conditions(self) -> list[ColumnElement[bool]]:
        """Conditions on `agencies` that select the unit's agencies (none: every agency)."""
        a = agencies.c
        if self.kind == "district":
            return [a.map_district_code == self.code]
        if self.kind == "commune":
            return [a.map_commune_code == self.code]
        if self.kind == "department":
            if self.predecessors:
                return [a.kind == "department", a.code.in_((self.code, *self.predecessors))]
            return [a.kind == "department", a.code == self.code]
        if self.kind == "agency":
            return [a.code == self.code]
        return []

    def agency_ids(self) -> Select | None:
        """Subquery of the unit's agency ids, or None for the whole province."""
        conditions = self.agency_conditions()
        return select(agencies.c.id).where(*conditions) if conditions else None


def province_unit(conn: Connection, province_code: str | None = None) -> ReportUnit:
    query = select(admin_units.c.code, admin_units.c.name).where(admin_units.c.level == "province")
    if province_code is not None:
        query = query.where(admin_units.c.code == province_code)
    rows = conn.execute(query.order_by(admin_units.c.code)).all()
    if len(rows) == 1:
        return ReportUnit(None, rows[0].name, "province")
    return ReportUnit(None, "Toàn tỉnh", "province")


def resolve_unit(conn: Connection, code: str | None, province_code: str | None = None) -> ReportUnit:
    """The unit a code names: None or the province code → the province; a district or
    commune of admin_units; else an agency code (a department, or another agency such
    as an old commune). UnknownUnit when nothing has that code."""
    text_code = (code or "").strip()
    if not text_code:
        return province_unit(conn, province_code)
    unit = conn.execute(
        select(admin_units.c.name, admin_units.c.level).where(admin_units.c.code == text_code)
    ).one_or_none()
    if unit is not None and unit.level == "province":
        return province_unit(conn, text_code)
    if unit is not None and unit.level in ("district", "commune"):
        return ReportUnit(text_code, unit.name, unit.level)
    agency = conn.execute(
        select(agencies.c.name, agencies.c.kind)
        .where(agencies.c.code == text_code)
        .order_by(agencies.c.valid_from.desc())
        .limit(1)
    ).one_or_none()
    if agency is not None:
        kind: UnitKind = "department" if agency.kind == "department" else "agency"
        return ReportUnit(text_code, agency.name, kind)
    raise UnknownUnit(
        f"Không tìm thấy đơn vị có mã '{text_code}': không phải mã tỉnh, huyện, xã "
        "hay mã cơ quan (sở, ban, ngành) nào trong cơ sở dữ liệu."
    )
