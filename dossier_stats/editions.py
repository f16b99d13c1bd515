"""Dossier KPIs per unit of a map edition (issue 13): the same dossiers in every edition.

An edition (geodata/data/editions.toml, stored by db/editions.py) is a dated hierarchy:
"Tỉnh Quảng Nam (2020 – 30/6/2025)" has districts, "Thành phố Đà Nẵng (từ 01/7/2025)"
has none. Each agency has one row per edition in agency_edition_units saying where its
dossiers count (a unit, the department level, the abolished district level, or unmapped),
so each dossier counts exactly once in every edition:

    Σ units of the top level + departments + former district committees + unmapped
        = the total of every agency (`kpis.province_kpis`).

Every function is grouped SQL over the same `KpiSource` as kpis.py (the monthly table, the
as-of corrections or the raw scan), joined to agency_edition_units for one edition.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, Connection, and_, select

from db.schema import agencies, agency_month_stats
from db.schema_editions import agency_edition_units, edition_units, map_editions
from dossier_stats.kpis import Kpis, KpiSource, SourceFn, UnitKpis, kpis_from_row, monthly_source
from dossier_stats.periods import Period
from dossier_stats.units import UnitInfo
from geodata.editions import EditionLevels, edition_on

ATTRIBUTIONS = ("unit", "department", "former_district", "unmapped")


@dataclass(frozen=True)
class EditionInfo(EditionLevels):
    id: str
    name: str  # "Thành phố Đà Nẵng (từ 01/7/2025)"
    unit_name: str  # "Thành phố Đà Nẵng"
    province_code: str
    levels: tuple[str, ...]
    valid_from: date
    valid_to: date | None


def editions(conn: Connection) -> list[EditionInfo]:
    """Every stored edition, oldest first."""
    rows = conn.execute(select(map_editions).order_by(map_editions.c.valid_from)).all()
    return [
        EditionInfo(
            id=r.id,
            name=r.name,
            unit_name=r.unit_name,
            province_code=r.province_code,
            levels=tuple(r.levels.split(",")),
            valid_from=r.valid_from,
            valid_to=r.valid_to,
        )
        for r in rows
    ]


def edition_for_period(conn: Connection, period: Period) -> EditionInfo | None:
    """The edition valid on the period's last day (None when no edition is stored)."""
    found = editions(conn)
    return edition_on(found, period.end) if found else None


def _joined(source: KpiSource, edition: str) -> KpiSource:
    aeu = agency_edition_units
    on = and_(aeu.c.agency_id == agencies.c.id, aeu.c.edition == edition)
    return KpiSource(from_=source.from_.join(aeu, on), where=source.where, sums=source.sums)


def _grouped(
    conn: Connection, source: KpiSource, key: ColumnElement[str], where: Sequence[ColumnElement[bool]]
) -> dict[str, Kpis]:
    query = (
        select(key.label("key"), *source.sums)
        .select_from(source.from_)
        .where(*source.where, *where)
        .group_by(key)
    )
    return {r.key: kpis_from_row(r) for r in conn.execute(query)}


def edition_units_of(conn: Connection, edition: str, parent_code: str | None = None) -> list[tuple[str, str]]:
    """(code, name) of the edition's units under `parent_code` (None: under the province), by code."""
    u = edition_units.c
    if parent_code is None:
        province = select(u.code).where(u.edition == edition, u.level == "province").scalar_subquery()
        parent_match = u.parent_code == province
    else:
        parent_match = u.parent_code == parent_code
    query = select(u.code, u.name).where(u.edition == edition, u.level != "province", parent_match)
    return [(r.code, r.name) for r in conn.execute(query.order_by(u.code))]


def edition_level_kpis(
    conn: Connection,
    period: Period,
    edition: str,
    parent_code: str | None = None,
    *,
    source: SourceFn = monthly_source,
) -> list[UnitKpis]:
    """Every unit of the edition's first level under the province (`parent_code` None: the
    18 districts of Quảng Nam, or the 94 communes of Đà Nẵng), or the communes of one
    district, each with the dossiers attributed to it in this edition; zeros when none."""
    aeu = agency_edition_units.c
    src = _joined(source(period), edition)
    if parent_code is None:
        stats = _grouped(conn, src, aeu.top_code, [aeu.attribution == "unit"])
    else:
        stats = _grouped(conn, src, aeu.leaf_code, [aeu.top_code == parent_code, aeu.leaf_code.is_not(None)])
    return [
        UnitKpis(code=code, name=name, kpis=stats.get(code, Kpis()))
        for code, name in edition_units_of(conn, edition, parent_code)
    ]


def edition_breakdown(
    conn: Connection, period: Period, edition: str, *, source: SourceFn = monthly_source
) -> dict[str, Kpis]:
    """The period's KPIs per attribution of the edition (ATTRIBUTIONS; zeros when none):
    their sum is the total of every agency."""
    aeu = agency_edition_units.c
    found = _grouped(conn, _joined(source(period), edition), aeu.attribution, [])
    return {name: found.get(name, Kpis()) for name in ATTRIBUTIONS}


def unplaced_in_unit(
    conn: Connection, period: Period, edition: str, parent_code: str, *, source: SourceFn = monthly_source
) -> Kpis:
    """Dossiers counted in a district of the edition but in none of its communes (its
    committee, and old communes without successor)."""
    aeu = agency_edition_units.c
    src = _joined(source(period), edition)
    query = (
        select(*src.sums)
        .select_from(src.from_)
        .where(*src.where, aeu.attribution == "unit", aeu.top_code == parent_code, aeu.leaf_code.is_(None))
    )
    return kpis_from_row(conn.execute(query).one())


def kpi_total(rows: Sequence[UnitKpis] | Sequence[Kpis]) -> Kpis:
    """Sum of KPIs (UnitKpis or Kpis)."""
    total = Kpis()
    for row in rows:
        total = total + (row.kpis if isinstance(row, UnitKpis) else row)
    return total


@dataclass(frozen=True)
class EditionCoverage:
    """Which units of an edition's first level have data: an agency of the registry placed
    in them with at least one dossier counted up to the period's last month. The others
    are drawn "chưa có dữ liệu" and left out of rankings."""

    with_data: frozenset[str]
    total: int

    @property
    def note(self) -> str:
        """ "Số liệu của 78/94 đơn vị (16 đơn vị chưa có dữ liệu …)"."""
        missing = self.total - len(self.with_data)
        text = f"Số liệu của {len(self.with_data)}/{self.total} đơn vị"
        if missing:
            text += (
                f" ({missing} đơn vị chưa có dữ liệu: chưa có cơ quan trong danh mục hoặc chưa có hồ sơ;"
                " không xếp hạng)"
            )
        return text

    def has_data(self, code: str) -> bool:
        return code in self.with_data


def edition_coverage(conn: Connection, period: Period, edition: str) -> EditionCoverage:
    """The units of the edition's first level that have data up to the period's end."""
    aeu = agency_edition_units.c
    s = agency_month_stats.c
    has_dossiers = (
        select(s.agency_id).where(s.agency_id == aeu.agency_id, s.month <= period.last_month).exists()
    )
    covered = (
        select(aeu.top_code).where(aeu.edition == edition, aeu.attribution == "unit", has_dossiers).distinct()
    )
    units = {code for code, _name in edition_units_of(conn, edition)}
    found = {code for code in conn.execute(covered).scalars() if code in units}
    return EditionCoverage(frozenset(found), len(units))


def with_data_only(rows: Sequence[UnitKpis], coverage: EditionCoverage) -> list[UnitKpis]:
    """The rows of units that have data (what rankings list)."""
    return [r for r in rows if coverage.has_data(r.code)]


def edition_unit(conn: Connection, edition: str, code: str) -> UnitInfo | None:
    """The unit of the edition with that code (province, district or commune), or None."""
    u = edition_units.c
    row = conn.execute(
        select(u.code, u.name, u.level, u.parent_code).where(u.edition == edition, u.code == code)
    ).one_or_none()
    return None if row is None else UnitInfo(row.code, row.name, row.level, row.parent_code)
