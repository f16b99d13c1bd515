"""Incremental maintenance of agency_month_stats, and its full recomputation.

The importer calls `apply_changes` in the same transaction that writes the dossiers:
the old version of each changed dossier is subtracted and the new one added, so the
monthly table is always the sum of `rules.monthly_contributions` over all dossiers.
`rebuild` recomputes it from scratch (used after bulk loads and to check the
incremental path in tests).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from sqlalchemy import Connection, delete, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from db.schema import agency_month_stats, dossiers
from dossier_stats.rules import DossierFacts, monthly_contributions

STAT_COLUMNS = (
    "received_online",
    "received_direct",
    "received_postal",
    "resolved_early",
    "resolved_on_time",
    "resolved_late",
    "withdrawn",
    "d_pending_within",
    "d_pending_overdue",
    "d_pending_paused",
)

Deltas = dict[tuple[int, int], dict[str, int]]


def deltas_for(old: Iterable[DossierFacts], new: Iterable[DossierFacts]) -> Deltas:
    """Sum of the new contributions minus the old ones, per (agency_id, month)."""
    out: Deltas = defaultdict(lambda: dict.fromkeys(STAT_COLUMNS, 0))
    for sign, facts in ((-1, old), (1, new)):
        for d in facts:
            for month, column, delta in monthly_contributions(d):
                out[(d.agency_id, month)][column] += sign * delta
    return {k: v for k, v in out.items() if any(v.values())}


def apply_deltas(conn: Connection, deltas: Deltas) -> None:
    """Add the deltas into agency_month_stats (insert missing rows, add to existing)."""
    if not deltas:
        return
    rows = [{"agency_id": a, "month": m, **cols} for (a, m), cols in deltas.items()]
    insert = pg_insert if conn.dialect.name == "postgresql" else sqlite_insert
    stmt = insert(agency_month_stats)
    stmt = stmt.on_conflict_do_update(
        index_elements=["agency_id", "month"],
        set_={c: getattr(agency_month_stats.c, c) + getattr(stmt.excluded, c) for c in STAT_COLUMNS},
    )
    conn.execute(stmt, rows)


def apply_changes(conn: Connection, old: Iterable[DossierFacts], new: Iterable[DossierFacts]) -> None:
    apply_deltas(conn, deltas_for(old, new))


FACT_COLUMNS = (
    dossiers.c.agency_id,
    dossiers.c.status,
    dossiers.c.channel,
    dossiers.c.received_on,
    dossiers.c.due_on,
    dossiers.c.finished_on,
)


def facts_from_row(row: object) -> DossierFacts:
    return DossierFacts(
        agency_id=row.agency_id,  # type: ignore[attr-defined]
        status=row.status,  # type: ignore[attr-defined]
        channel=row.channel,  # type: ignore[attr-defined]
        received_on=row.received_on,  # type: ignore[attr-defined]
        due_on=row.due_on,  # type: ignore[attr-defined]
        finished_on=row.finished_on,  # type: ignore[attr-defined]
    )


def rebuild(conn: Connection, batch_size: int = 50_000) -> None:
    """Recompute agency_month_stats from every dossier (streams the table)."""
    conn.execute(delete(agency_month_stats))
    # Options on the statement, not the connection: Connection.execution_options() changes
    # the connection in place, and the inserts below must not run on a server-side cursor.
    result = conn.execute(select(*FACT_COLUMNS).execution_options(yield_per=batch_size))
    for partition in result.partitions():
        apply_deltas(conn, deltas_for((), (facts_from_row(r) for r in partition)))
