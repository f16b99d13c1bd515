"""The 766 service index per agency, per map unit and for the province, for a period.

Read from the incrementally maintained tables (never from the raw dossiers):
`agency_month_766` (one grouped query over at most agencies × months rows) and
`agency_procedure_month` (one grouped query over the period's months and the payment
integration window), plus the imported indicators of the period. Formulas:
index766.score; counting rule: index766.facts; choices: index766.config.

Public API (all take an open Connection and a periods.Period):
- `index766_for_agencies(conn, period) -> list[Index766Row]`: every agency valid on some
  day of the period (departments by code, all versions together, as kpis.department_kpis;
  district committees and communes per registry version, since codes are reused),
  with its counts, score (None without any dossier handled), rank among its kind
  (department / district / commune; ties 1, 2, 2, 4);
- `index766_province(conn, period) -> Index766Unit`: every agency pooled;
- `index766_units(conn, period, level) -> dict[str, Index766Unit]`: per district or
  commune polygon (agencies.map_district_code / map_commune_code, as the map's KPIs),
  only units with dossiers — what the map's "Chỉ số 766" metrics read.
Pooled units add up counts (procedure shares count agency–procedure pairs) and take,
for each imported indicator, the unit's own value (the province code for the province)
or else the mean over its scored members, a member without a value counting as it
counts for the member. Imported values belong to agency identities (index766.imported).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Literal

from sqlalchemy import ColumnElement, Connection, and_, case, func, or_, select

from db.schema import admin_units, agencies
from db.schema_stats import MONTH_766_COUNTS, agency_month_766, agency_procedure_month
from dossier_stats.index766.config import DEFAULT_CONFIG, Index766Config
from dossier_stats.index766.imported import AgencyInfo, identity_key, imported_for_period, pooled_imported
from dossier_stats.index766.raw import add_months, raw_agency_counts
from dossier_stats.index766.ruleset import active_config
from dossier_stats.index766.score import (
    ImportedValue,
    Index766Counts,
    Index766Score,
    competition_ranks,
    score,
    unranked_reason,
)
from dossier_stats.periods import Period
from dossier_stats.successions import successors_in_period

KINDS = ("department", "district", "commune")
UnitLevel = Literal["district", "commune"]


@dataclass(frozen=True)
class Index766Row:
    key: str  # department: its code; district/commune: "code@valid_from" (codes are reused)
    code: str
    name: str
    kind: str  # department | district | commune
    district_code: str | None  # polygons its dossiers colour (None for departments)
    commune_code: str | None
    counts: Index766Counts
    score: Index766Score | None  # None: no dossier handled in the period (not ranked)
    rank: int | None = None  # among the comparable agencies of its kind
    ranked: int = 0  # how many agencies of its kind are ranked

    @property
    def total(self) -> float | None:
        return None if self.score is None else self.score.total

    @property
    def unranked_reason(self) -> str | None:
        """Why it is listed apart (no dossier, imported indicators missing), None when ranked."""
        return unranked_reason(self.score)


@dataclass(frozen=True)
class Index766Unit:
    code: str
    name: str
    counts: Index766Counts
    score: Index766Score | None

    @property
    def unranked_reason(self) -> str | None:
        return unranked_reason(self.score)


# ---------------------------------------------------------------- reading the tables


def _sum(expr: ColumnElement[int], when: ColumnElement[bool] | None = None) -> ColumnElement[int]:
    value = expr if when is None else case((when, expr), else_=0)
    return func.coalesce(func.sum(value), 0)


def _count(when: ColumnElement[bool]) -> ColumnElement[int]:
    return func.coalesce(func.sum(case((when, 1), else_=0)), 0)


def _monthly_counts(conn: Connection, period: Period) -> dict[int, dict[str, int]]:
    m = agency_month_766.c
    now = m.month >= period.first_month
    query = (
        select(
            m.agency_id,
            (_sum(m.ended_ok, now) + _sum(m.d_pending_ok)).label("good"),
            (_sum(m.ended_ok + m.ended_late, now) + _sum(m.d_pending_ok + m.d_pending_late)).label("handled"),
            *(_sum(m[c], now).label(c) for c in MONTH_766_COUNTS),
        )
        .where(m.month <= period.last_month)
        .group_by(m.agency_id)
    )
    return {
        r.agency_id: {k: int(v) for k, v in r._mapping.items() if k != "agency_id"}
        for r in conn.execute(query)
    }


def _procedure_counts(conn: Connection, period: Period, config: Index766Config) -> dict[int, dict[str, int]]:
    p = agency_procedure_month.c
    window_first = add_months(period.last_month, 1 - max(1, config.integration_window_months))
    now = p.month >= period.first_month
    per_procedure = (
        select(
            p.agency_id,
            p.procedure_code,
            _sum(p.received, now).label("r"),
            _sum(p.received_online, now).label("ro"),
            _sum(p.online_offered, now).label("oo"),
            _sum(p.fee_received, now).label("fr"),
            _sum(p.paid_online, now).label("po"),
            _sum(p.paid_online, p.month >= window_first).label("pw"),
        )
        .where(p.month >= min(period.first_month, window_first), p.month <= period.last_month)
        .group_by(p.agency_id, p.procedure_code)
        .subquery()
    )
    q = per_procedure.c
    query = select(
        q.agency_id,
        _count(q.r > 0).label("procedures"),
        _count(and_(q.r > 0, q.oo > 0)).label("procedures_online"),
        _count(and_(q.oo > 0, q.ro > 0)).label("procedures_online_used"),
        _count(q.fr > 0).label("fee_procedures"),
        _count(and_(q.fr > 0, q.pw > 0)).label("fee_procedures_integrated"),
        _count(and_(q.fr > 0, q.po > 0)).label("fee_procedures_used"),
    ).group_by(q.agency_id)
    return {
        r.agency_id: {k: int(v) for k, v in r._mapping.items() if k != "agency_id"}
        for r in conn.execute(query)
    }


def agency_counts(
    conn: Connection, period: Period, config: Index766Config = DEFAULT_CONFIG
) -> dict[int, Index766Counts]:
    """Index766Counts per agency id (agencies with any row in the tables). A rule set
    counting what the tables do not hold is counted by the direct scan (index766.raw)."""
    if not config.counted_by_tables:
        return raw_agency_counts(conn, period, config)
    monthly = _monthly_counts(conn, period)
    procedures = _procedure_counts(conn, period, config)
    return {
        agency_id: Index766Counts(**monthly.get(agency_id, {}), **procedures.get(agency_id, {}))
        for agency_id in monthly.keys() | procedures.keys()
    }


def _agencies(conn: Connection, period: Period, with_ids: Iterable[int]) -> list[AgencyInfo]:
    a = agencies.c
    valid = and_(a.valid_from <= period.end, or_(a.valid_to.is_(None), a.valid_to >= period.start))
    ids = sorted(set(with_ids))
    condition = or_(valid, a.id.in_(ids)) if ids else valid
    query = select(
        a.id, a.code, a.name, a.kind, a.valid_from, a.valid_to, a.map_district_code, a.map_commune_code
    ).where(condition)
    return [AgencyInfo(**r._mapping) for r in conn.execute(query.order_by(a.code, a.valid_from))]


# ---------------------------------------------------------------- rows, units, province


@dataclass(frozen=True)
class Snapshot:
    """Everything the 766 views of one period need, read in three queries."""

    period: Period
    agencies: tuple[AgencyInfo, ...]
    counts: Mapping[int, Index766Counts]
    imported: Mapping[str, Mapping[str, ImportedValue]]
    config: Index766Config
    # departments merged before the period -> the one continuing them (successions_in_period)
    successors: Mapping[str, str] = field(default_factory=dict)


def snapshot(conn: Connection, period: Period, config: Index766Config | None = None) -> Snapshot:
    """The period's counts, agencies and imported values under `config` (default: the rule
    set in force, index766.ruleset.active_config)."""
    config = config or active_config()
    counts = agency_counts(conn, period, config)
    infos = _agencies(conn, period, counts.keys())
    imported = imported_for_period(conn, period, infos)
    return Snapshot(period, tuple(infos), counts, imported, config, successors_in_period(conn, period))


def _pool(items: Iterable[Index766Counts]) -> Index766Counts:
    total = Index766Counts()
    for c in items:
        total = total + c
    return total


def _scored(counts: Index766Counts, imported: Mapping[str, ImportedValue], config: Index766Config):  # noqa: ANN202
    return score(counts, imported, config) if counts.has_dossiers else None


def rows_from(snap: Snapshot) -> list[Index766Row]:
    """One row per agency identity valid in the period, holding the dossiers of every
    version of that identity: a department that continues under its code (Quảng Nam's
    department into the city's on 2025-07-01) counts its earlier version's dossiers carried
    over into the period, each dossier once, and so does one that a department merged into
    before the period (Sở Kế hoạch và Đầu tư into Sở Tài chính on 2025-03-01). Agencies
    that ended before it with no version or successor valid in it (a district committee
    after 2025-07-01) are not listed even if dossiers of theirs are still pending; those
    count in the province and the map units only."""
    groups: dict[str, list[AgencyInfo]] = defaultdict(list)
    for a in snap.agencies:
        key = identity_key(a)
        groups[snap.successors.get(key, key) if a.kind == "department" else key].append(a)
    rows = []
    for key, members in groups.items():
        current = [a for a in members if a.valid_in(snap.period) and identity_key(a) == key]
        if not current:
            continue
        latest = max(current, key=lambda a: a.valid_from)
        counts = _pool(snap.counts.get(a.id, Index766Counts()) for a in members)
        imported = snap.imported.get(key, {})
        rows.append(
            Index766Row(
                key=key,
                code=latest.code,
                name=latest.name,
                kind=latest.kind,
                district_code=latest.map_district_code,
                commune_code=latest.map_commune_code,
                counts=counts,
                score=_scored(counts, imported, snap.config),
            )
        )
    return _ranked(rows, snap.config)


def _ranked(rows: list[Index766Row], config: Index766Config) -> list[Index766Row]:
    out: list[Index766Row] = []
    kinds = [*KINDS, *sorted({r.kind for r in rows} - set(KINDS))]
    for kind in kinds:
        same = [r for r in rows if r.kind == kind]
        comparable = [r.total if r.unranked_reason is None else None for r in same]
        ranks = competition_ranks(comparable, config.rank_decimals)
        ranked = sum(1 for x in ranks if x is not None)
        with_rank = [replace(r, rank=k, ranked=ranked) for r, k in zip(same, ranks, strict=True)]
        with_rank.sort(key=lambda r: (r.rank is None, r.rank or 0, r.code))
        out += with_rank
    return out


def _scored_members(snap: Snapshot, members: Iterable[AgencyInfo]) -> list[str]:
    """Identity keys of the members that are scored themselves: valid in the period, with
    dossiers (an agency that ended before the period still adds its dossiers, not a score)."""
    by_key: dict[str, list[AgencyInfo]] = defaultdict(list)
    for a in members:
        by_key[identity_key(a)].append(a)
    return sorted(
        key
        for key, group in by_key.items()
        if any(a.valid_in(snap.period) for a in group)
        and _pool(snap.counts.get(a.id, Index766Counts()) for a in group).has_dossiers
    )


def province_from(snap: Snapshot, code: str, name: str) -> Index766Unit:
    counts = _pool(snap.counts.values())
    members = _scored_members(snap, snap.agencies)
    imported = pooled_imported(snap.imported.get(code), [snap.imported.get(k, {}) for k in members])
    return Index766Unit(code, name, counts, _scored(counts, imported, snap.config))


def units_from(
    snap: Snapshot,
    level: UnitLevel,
    names: Mapping[str, str],
    unit_of: Mapping[int, str | None] | None = None,
) -> dict[str, Index766Unit]:
    """The index per polygon of a level; `unit_of` (agency id → unit code) replaces the
    map attribution by an edition's (dossier_stats/index766/editions.py)."""
    members: dict[str, list[AgencyInfo]] = defaultdict(list)
    for a in snap.agencies:
        if unit_of is not None:
            unit = unit_of.get(a.id)
        else:
            unit = a.map_district_code if level == "district" else a.map_commune_code
        if unit is not None and a.id in snap.counts:
            members[unit].append(a)
    out = {}
    for unit, agencies_ in sorted(members.items()):
        counts = _pool(snap.counts[a.id] for a in agencies_)
        if not counts.has_dossiers:
            continue
        keys = _scored_members(snap, agencies_)
        imported = pooled_imported(None, [snap.imported.get(k, {}) for k in keys])
        out[unit] = Index766Unit(unit, names.get(unit, unit), counts, _scored(counts, imported, snap.config))
    return out


def _unit_names(conn: Connection, level: str) -> dict[str, str]:
    rows = conn.execute(select(admin_units.c.code, admin_units.c.name).where(admin_units.c.level == level))
    return {r.code: r.name for r in rows}


def index766_for_agencies(
    conn: Connection, period: Period, config: Index766Config | None = None
) -> list[Index766Row]:
    """Every agency valid in the period, ranked within its kind (best first, unranked last)."""
    return rows_from(snapshot(conn, period, config))


def index766_province(
    conn: Connection,
    period: Period,
    config: Index766Config | None = None,
    province_code: str | None = None,
) -> Index766Unit:
    """Every agency pooled; named after the province unit (`province_code`, else the first
    province loaded). Imported values under the province code are the province's own."""
    code, name = province_identity(conn, province_code)
    return province_from(snapshot(conn, period, config), code, name)


def province_identity(conn: Connection, province_code: str | None = None) -> tuple[str, str]:
    provinces = _unit_names(conn, "province")
    if province_code is not None:
        return province_code, provinces.get(province_code, province_code)
    return next(iter(sorted(provinces.items())), ("", "Toàn tỉnh"))


def index766_units(
    conn: Connection, period: Period, level: UnitLevel, config: Index766Config | None = None
) -> dict[str, Index766Unit]:
    """Per district or commune polygon code, units with dossiers in the period only."""
    return units_from(snapshot(conn, period, config), level, _unit_names(conn, level))
