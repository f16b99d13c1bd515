"""The scoring change counter (scoring_state.version) and the cache key built on it.

Every write of the scoring part (a definition loaded, a workflow step, survey results,
bonus/penalty) bumps the counter in the same transaction. Together with the dossier
data version (data_state.version, bumped by every import) it tells readers whether
anything a score depends on has changed.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, insert, select, update

from clock import now_local
from db.schema import data_state
from db.schema_scoring import scoring_state

STATE_ID = 1


def scoring_version(conn: Connection) -> int:
    value = conn.execute(select(scoring_state.c.version).where(scoring_state.c.id == STATE_ID)).scalar()
    return int(value or 0)


def bump(conn: Connection, when: datetime | None = None) -> None:
    """Add one to the counter (creating its row on first use)."""
    when = when or now_local()
    result = conn.execute(
        update(scoring_state)
        .where(scoring_state.c.id == STATE_ID)
        .values(version=scoring_state.c.version + 1, updated_at=when)
    )
    if result.rowcount == 0:
        conn.execute(insert(scoring_state).values(id=STATE_ID, version=1, updated_at=when))


def change_key(conn: Connection) -> tuple[int, int]:
    """(dossier data version, scoring version) in one statement: equal keys, equal scores."""
    data = select(data_state.c.version).order_by(data_state.c.id).limit(1).scalar_subquery()
    scoring = select(scoring_state.c.version).where(scoring_state.c.id == STATE_ID).scalar_subquery()
    row = conn.execute(select(data.label("data"), scoring.label("scoring"))).one()
    return int(row.data or 0), int(row.scoring or 0)
