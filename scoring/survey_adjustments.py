"""Points entered directly, outside the four-step workflow: survey results (điều tra xã hội
học) per survey sub-criterion, and bonus / penalty lines (điểm thưởng, điểm trừ).

Same conventions as scoring.workflow: caller's connection, permission check, every
problem reported before anything is written, history of every changed field, scoring
change counter bumped. A value of None removes the stored one.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Table, delete, insert, select, update

from accounts.permissions import Action, Actor, authorize
from clock import now_local
from db.schema_scoring import scoring_adjustments, scoring_survey
from scoring.history import Change, record
from scoring.versions import StoredVersion
from scoring.workflow import WorkflowError, points_problem, require_unit


@dataclass(frozen=True)
class _Value:
    points: float | None
    max_points: float
    field: str  # history field name
    extra: dict[str, Any]


def _clean(note: str | None) -> str | None:
    return note.strip() or None if isinstance(note, str) else None


def _write(
    conn: Connection,
    table: Table,
    key_column: str,
    version: StoredVersion,
    unit_code: str,
    values: Mapping[str, _Value],
    note: str | None,
    actor: Actor,
    when: datetime,
) -> int:
    t = table.c
    existing = {
        r._mapping[key_column]: r
        for r in conn.execute(select(table).where(t.version_id == version.id, t.unit_code == unit_code))
    }
    changes: list[Change] = []
    for code, value in values.items():
        row = existing.get(code)
        old_points, old_note = (None, None) if row is None else (row.points, row.note)
        new_note = None if value.points is None else note
        if (old_points, old_note) == (value.points, new_note):
            continue
        key = (t.version_id == version.id, t.unit_code == unit_code, t[key_column] == code)
        stamp = {"points": value.points, "note": new_note, "updated_by": actor.name, "updated_at": when}
        if value.points is None:
            conn.execute(delete(table).where(*key))
        elif row is None:
            conn.execute(
                insert(table).values(
                    version_id=version.id,
                    unit_code=unit_code,
                    max_points=value.max_points,
                    **{key_column: code},
                    **value.extra,
                    **stamp,
                )
            )
        else:
            conn.execute(update(table).where(*key).values(**stamp))
        if old_points != value.points:
            changes.append(Change(unit_code, code, value.field, old_points, value.points))
        if old_note != new_note:
            changes.append(Change(unit_code, code, "note", old_note, new_note))
    record(conn, version.id, changes, actor, when)
    return len({c.item_code for c in changes})


# What a value of one kind is: its StoredVersion lookup -> _Value, or a problem (text).
_ValueOf = Callable[[StoredVersion, str, float | None], _Value | str]


def _set(
    conn: Connection,
    version: StoredVersion,
    unit_code: str,
    points_by_code: Mapping[str, float | None],
    actor: Actor,
    note: str | None,
    when: datetime | None,
    kind: tuple[Action, Table, str, _ValueOf],
) -> int:
    """What both setters share: `kind` = (permission, table, its key column, value_of);
    every code's value or problem, all problems raised together, else the values written."""
    action, table, key_column, value_of = kind
    authorize(actor, action, unit_code)
    require_unit(conn, version, unit_code)
    problems: list[str] = []
    values: dict[str, _Value] = {}
    for code, points in points_by_code.items():
        value = value_of(version, code, points)
        if isinstance(value, str):
            problems.append(value)
        elif value is not None:
            values[code] = value
    if problems:
        raise WorkflowError([p for p in problems if p])
    return _write(
        conn, table, key_column, version, unit_code, values, _clean(note), actor, when or now_local()
    )


def _survey_value(version: StoredVersion, code: str, points: float | None) -> _Value | str:
    sub = version.definition.sub_criterion(code)
    if sub is None or sub.source != "survey":
        return f"Tiêu chí {code}: không phải tiêu chí điều tra xã hội học của bộ chỉ số năm {version.year}."
    problem = None if points is None else points_problem(sub, code, points)
    if problem:
        return problem
    return _Value(None if points is None else float(points), sub.max, "survey_points", {})


def _adjustment_value(version: StoredVersion, code: str, points: float | None) -> _Value | str:
    found = version.definition.adjustment_line(code)
    if found is None:
        return f"Dòng {code}: không có trong điểm thưởng, điểm trừ của bộ chỉ số năm {version.year}."
    kind, line = found
    problem = None if points is None else points_problem(None, code, points, line.max)
    if problem:
        return problem.replace("Tiêu chí", "Dòng", 1)
    return _Value(None if points is None else float(points), line.max, f"{kind}_points", {"kind": kind})


def set_survey_results(
    conn: Connection,
    version: StoredVersion,
    unit_code: str,
    results: Mapping[str, float | None],
    actor: Actor,
    note: str | None = None,
    when: datetime | None = None,
) -> int:
    """Survey points per survey sub-criterion ({code: points or None}); returns items changed."""
    kind = (Action.SURVEY, scoring_survey, "item_code", _survey_value)
    return _set(conn, version, unit_code, results, actor, note, when, kind)


def set_adjustments(
    conn: Connection,
    version: StoredVersion,
    unit_code: str,
    points_by_line: Mapping[str, float | None],
    actor: Actor,
    note: str | None = None,
    when: datetime | None = None,
) -> int:
    """Bonus and penalty points per line ({line code: points or None}). A line is held to its
    own maximum here; the caps on the bonus and penalty totals apply in the engine."""
    kind = (Action.ADJUST, scoring_adjustments, "line_code", _adjustment_value)
    return _set(conn, version, unit_code, points_by_line, actor, note, when, kind)
