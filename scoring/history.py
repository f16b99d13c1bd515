"""The change history of scoring (scoring_history): one row per changed field.

Every write of the scoring part goes through `record`, which also bumps the scoring
change counter and appends one row to the audit trail (who, from where, old -> new of
every field), so "something changed", "it is in the history" and "it is in the audit
trail" cannot diverge.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, insert, select

from accounts import audit
from accounts.audit import AuditAction
from accounts.permissions import Actor
from db.schema_scoring import scoring_history
from scoring import state

LOCK_FIELD = "self_locked"


@dataclass(frozen=True)
class Change:
    unit_code: str | None
    item_code: str | None  # sub-criterion or bonus/penalty line; None for the unit (lock)
    field: str
    old_value: Any
    new_value: Any


@dataclass(frozen=True)
class HistoryRow:
    unit_code: str | None
    item_code: str | None
    field: str
    old_value: str | None
    new_value: str | None
    changed_by: str
    changed_at: datetime


def as_text(value: Any) -> str | None:
    """How a value is kept in the history: None stays NULL, floats in full (7.5), text as is."""
    if value is None:
        return None
    if isinstance(value, float):
        return repr(value)
    return str(value)


def record(conn: Connection, version_id: int, changes: list[Change], actor: Actor, when: datetime) -> None:
    """Write the history rows of `changes`, their audit row, and bump the scoring change
    counter (nothing when empty)."""
    if not changes:
        return
    conn.execute(
        insert(scoring_history),
        [
            {
                "version_id": version_id,
                "unit_code": c.unit_code,
                "item_code": c.item_code,
                "field": c.field,
                "old_value": as_text(c.old_value),
                "new_value": as_text(c.new_value),
                "changed_by": actor.name,
                "changed_at": when,
            }
            for c in changes
        ],
    )
    audit.record(
        conn, _audit_action(changes), actor, _target(version_id, changes), _detail(changes), when=when
    )
    state.bump(conn, when)


def _audit_action(changes: list[Change]) -> AuditAction:
    if all(c.field == LOCK_FIELD for c in changes):
        return AuditAction.LOCK if changes[-1].new_value == "true" else AuditAction.UNLOCK
    return AuditAction.SCORE_WRITE


def _target(version_id: int, changes: list[Change]) -> str:
    units = sorted({c.unit_code for c in changes if c.unit_code})
    return f"đơn vị {', '.join(units) or '—'} (bộ chỉ số #{version_id})"


def _detail(changes: list[Change]) -> str:
    def shown(value: Any) -> str:
        text = as_text(value)
        return "—" if text is None else text

    return "; ".join(
        f"{c.item_code + ' ' if c.item_code else ''}{c.field}: {shown(c.old_value)} → {shown(c.new_value)}"
        for c in changes
    )


def history(
    conn: Connection, version_id: int, unit_code: str | None = None, item_code: str | None = None
) -> list[HistoryRow]:
    """Every recorded change of the version (of one unit, of one item), oldest first."""
    h = scoring_history.c
    query = select(scoring_history).where(h.version_id == version_id).order_by(h.id)
    if unit_code is not None:
        query = query.where(h.unit_code == unit_code)
    if item_code is not None:
        query = query.where(h.item_code == item_code)
    return [
        HistoryRow(r.unit_code, r.item_code, r.field, r.old_value, r.new_value, r.changed_by, r.changed_at)
        for r in conn.execute(query)
    ]
