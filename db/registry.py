"""The agency registry: which agency a code means on a date, and which polygons it colours.

Codes are reused across the 2025 reform (old 20335 Phường Tân Thạnh until 2025-06-30,
new 20335 Phường Bàn Thạch from 2025-07-01), so an agency is (code, valid_from) and a
dossier finds its agency by code AND date (`AgencyIndex`).

Map attribution (`resolve_map_units`), per agency:
- department                              → no district, no commune (province only);
- district committee                      → its own unit, when that is a district polygon;
- current commune (its validity reaches past 2025-06-30 and its unit is a commune
  polygon)                                → itself and its parent district;
- old commune with a crosswalk successor  → the successor and the successor's district
  (even when the successor has the same code);
- old commune without successor           → its 2024 district, no commune (*unmapped*).
Only codes that exist at that level in admin_units are written, so a registry of
another province whose boundary folder has no district layer maps to communes only.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Connection, bindparam, select, update

from db.schema import admin_units, agencies, commune_crosswalk
from vi_format import format_date

# First day of the two-tier local government (national, not province-specific).
REFORM_DATE = date(2025, 7, 1)


def format_validity(valid_from: date, valid_to: date | None) -> str:
    end = format_date(valid_to) if valid_to else "nay"
    return f"{format_date(valid_from)}–{end}"


@dataclass(frozen=True)
class AgencyPeriod:
    agency_id: int
    valid_from: date
    valid_to: date | None

    def contains(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


class AgencyIndex:
    """In-memory index code → validity periods, loaded once per import."""

    def __init__(self, periods: Iterable[tuple[str, AgencyPeriod]]) -> None:
        by_code: dict[str, list[AgencyPeriod]] = defaultdict(list)
        for code, period in periods:
            by_code[code].append(period)
        self._periods = {code: sorted(ps, key=lambda p: p.valid_from) for code, ps in by_code.items()}
        self._starts = {code: [p.valid_from for p in ps] for code, ps in self._periods.items()}

    @classmethod
    def load(cls, conn: Connection) -> AgencyIndex:
        rows = conn.execute(
            select(agencies.c.id, agencies.c.code, agencies.c.valid_from, agencies.c.valid_to)
        ).all()
        return cls((r.code, AgencyPeriod(r.id, r.valid_from, r.valid_to)) for r in rows)

    def __len__(self) -> int:
        return sum(len(ps) for ps in self._periods.values())

    def knows(self, code: str) -> bool:
        return code in self._periods

    def periods(self, code: str) -> list[AgencyPeriod]:
        return list(self._periods.get(code, ()))

    def lookup(self, code: str, on: date) -> int | None:
        """Id of the agency with this code valid on `on`, else None."""
        starts = self._starts.get(code)
        if starts is None:
            return None
        i = bisect.bisect_right(starts, on) - 1
        if i < 0:
            return None
        period = self._periods[code][i]
        return period.agency_id if period.contains(on) else None

    def explain(self, code: str, on: date) -> str:
        """Why lookup(code, on) is None (or that it is not), in Vietnamese, for quarantine messages."""
        periods = self._periods.get(code)
        if not periods:
            return f"Mã cơ quan '{code}' không có trong danh mục cơ quan (agencies)."
        valid = ", ".join(format_validity(p.valid_from, p.valid_to) for p in periods)
        if self.lookup(code, on) is not None:
            return f"Cơ quan '{code}' có hiệu lực ngày {format_date(on)} (thời gian hiệu lực: {valid})."
        return (
            f"Cơ quan '{code}' không có hiệu lực ngày {format_date(on)}; "
            f"thời gian hiệu lực trong danh mục: {valid}."
        )


@dataclass(frozen=True)
class MapUnits:
    district_code: str | None
    commune_code: str | None


@dataclass(frozen=True)
class _UnitsView:
    districts: frozenset[str]
    commune_parent: dict[str, str | None]
    successors: dict[str, tuple[str | None, str]]  # old_code -> (new_code, old_district_code)


def _load_units_view(conn: Connection) -> _UnitsView:
    units = conn.execute(select(admin_units.c.code, admin_units.c.level, admin_units.c.parent_code)).all()
    districts = frozenset(u.code for u in units if u.level == "district")
    commune_parent = {u.code: u.parent_code for u in units if u.level == "commune"}
    links = conn.execute(
        select(
            commune_crosswalk.c.old_code,
            commune_crosswalk.c.new_code,
            commune_crosswalk.c.old_district_code,
            commune_crosswalk.c.link_type,
        )
    ).all()
    # An old commune split over several new ones: prefer a 'full' link, then the smallest code.
    ranked = sorted(
        links,
        key=lambda r: (r.old_code, r.new_code is None, r.link_type != "full", r.new_code or ""),
    )
    successors: dict[str, tuple[str | None, str]] = {}
    for r in ranked:
        successors.setdefault(r.old_code, (r.new_code, r.old_district_code))
    return _UnitsView(districts, commune_parent, successors)


def map_units_for(kind: str, unit_code: str, valid_to: date | None, view: _UnitsView) -> MapUnits:
    """Which district / commune polygons an agency's dossiers colour (see module docstring)."""

    def district(code: str | None) -> str | None:
        return code if code in view.districts else None

    if kind == "district":
        return MapUnits(district(unit_code), None)
    if kind != "commune":
        return MapUnits(None, None)
    is_current = valid_to is None or valid_to >= REFORM_DATE
    if is_current and unit_code in view.commune_parent:
        return MapUnits(district(view.commune_parent[unit_code]), unit_code)
    if unit_code in view.successors:
        new_code, old_district = view.successors[unit_code]
        if new_code is not None and new_code in view.commune_parent:
            return MapUnits(district(view.commune_parent[new_code]), new_code)
        return MapUnits(district(old_district), None)
    if unit_code in view.commune_parent:
        return MapUnits(district(view.commune_parent[unit_code]), unit_code)
    return MapUnits(None, None)


def resolve_map_units(conn: Connection) -> int:
    """Recompute agencies.map_district_code / map_commune_code; returns how many rows changed."""
    view = _load_units_view(conn)
    rows = conn.execute(
        select(
            agencies.c.id,
            agencies.c.kind,
            agencies.c.unit_code,
            agencies.c.valid_to,
            agencies.c.map_district_code,
            agencies.c.map_commune_code,
        )
    ).all()
    changes = []
    for r in rows:
        target = map_units_for(r.kind, r.unit_code, r.valid_to, view)
        if (r.map_district_code, r.map_commune_code) != (target.district_code, target.commune_code):
            changes.append({"b_id": r.id, "d": target.district_code, "c": target.commune_code})
    if changes:
        conn.execute(
            update(agencies)
            .where(agencies.c.id == bindparam("b_id"))
            .values(map_district_code=bindparam("d"), map_commune_code=bindparam("c")),
            changes,
        )
    return len(changes)


def unmapped_agencies(conn: Connection) -> list[tuple[str, str]]:
    """(code, name) of commune agencies that colour no commune polygon (old communes without successor)."""
    rows = conn.execute(
        select(agencies.c.code, agencies.c.name)
        .where(agencies.c.kind == "commune", agencies.c.map_commune_code.is_(None))
        .order_by(agencies.c.code)
    ).all()
    return [(r.code, r.name) for r in rows]
