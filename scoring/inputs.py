"""Gathering the engine's inputs for one index version: a handful of statements whatever
the number of units (units, entries, survey, bonus/penalty, locks, dossier KPIs)."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import Connection, select

from db.schema_scoring import scoring_adjustments, scoring_entries, scoring_survey, scoring_units
from dossier_stats.agency_kpis import agency_kpis
from dossier_stats.kpis import Kpis
from dossier_stats.periods import Period
from scoring.engine import Entry, UnitInputs
from scoring.units import scope, scored_units
from scoring.versions import StoredVersion


def read_entries(conn: Connection, version_id: int) -> dict[str, dict[str, Entry]]:
    """{unit code: {sub-criterion code: Entry}} of the version."""
    e = scoring_entries.c
    query = select(
        e.unit_code,
        e.item_code,
        e.self_points,
        e.evidence,
        e.self_note,
        e.appraisal1_points,
        e.appraisal1_note,
        e.explanation,
        e.final_points,
        e.final_note,
    ).where(e.version_id == version_id)
    out: dict[str, dict[str, Entry]] = defaultdict(dict)
    for r in conn.execute(query):
        out[r.unit_code][r.item_code] = Entry(
            self_points=r.self_points,
            evidence=r.evidence,
            self_note=r.self_note,
            appraisal1_points=r.appraisal1_points,
            appraisal1_note=r.appraisal1_note,
            explanation=r.explanation,
            final_points=r.final_points,
            final_note=r.final_note,
        )
    return out


def _points_by_unit(
    conn: Connection, version_id: int, table: object, key: str
) -> dict[str, dict[str, float]]:
    t = table.c  # type: ignore[attr-defined]
    out: dict[str, dict[str, float]] = defaultdict(dict)
    for r in conn.execute(select(t.unit_code, t[key], t.points).where(t.version_id == version_id)):
        out[r.unit_code][r[1]] = r.points
    return out


def locked_units(conn: Connection, version_id: int) -> set[str]:
    u = scoring_units.c
    query = select(u.unit_code).where(u.version_id == version_id, u.self_locked_at.is_not(None))
    return set(conn.execute(query).scalars())


def year_kpis(conn: Connection, version: StoredVersion) -> dict[str, Kpis]:
    """Dossier KPIs of the version's year per agency code of its group (only when a
    sub-criterion is computed from them)."""
    if not any(s.source == "auto" for s in version.definition.sub_criteria()):
        return {}
    kind, valid_on = scope(version.group, version.year)
    return agency_kpis(conn, Period("year", version.year, 0), kind, valid_on=valid_on)


def gather_inputs(conn: Connection, version: StoredVersion) -> list[UnitInputs]:
    """Every scored unit of the version with what it has entered, its survey results,
    bonus/penalty lines and dossier KPIs."""
    entries = read_entries(conn, version.id)
    survey = _points_by_unit(conn, version.id, scoring_survey, "item_code")
    adjustments = _points_by_unit(conn, version.id, scoring_adjustments, "line_code")
    locked = locked_units(conn, version.id)
    kpis = year_kpis(conn, version)
    return [
        UnitInputs(
            code=u.code,
            name=u.name,
            map_code=u.map_code,
            entries=entries.get(u.code, {}),
            survey=survey.get(u.code, {}),
            adjustments=adjustments.get(u.code, {}),
            kpis=kpis.get(u.code),
            self_locked=u.code in locked,
            since=u.since,
        )
        for u in scored_units(conn, version.group, version.year)
    ]
