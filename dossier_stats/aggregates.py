"""Incremental maintenance of agency_month_stats (and, through the same path, of the 766
tables and the dossier facts shadow), and their full recomputation.

The importer and `cli.py refresh` call `apply_dossier_changes` in the same transaction
that writes the dossiers: the old facts of each changed dossier (as last aggregated,
read from the `dossier_facts` shadow) are subtracted and the new ones added, so every
aggregate table is always the sum of the contributions of all dossiers
(`rules.monthly_contributions`, `index766.facts.month_contributions` and
`procedure_contributions`), and the shadow holds exactly the facts that were added.
`apply_changes` updates agency_month_stats alone (for callers that only have the
provincial facts). `rebuild` recomputes everything from scratch (used after bulk loads
and to check the incremental path in tests).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Protocol

from sqlalchemy import Connection, delete, select

from db.schema import agency_month_stats, dossiers
from dossier_stats.index766.aggregates import (
    add_766_deltas,
    add_rows,
    apply_766_deltas,
    clear_766,
    copy_all_facts,
    lock_aggregates,
    mark_bootstrapped,
    new_month_deltas,
    new_procedure_deltas,
    nonzero,
    write_facts,
)
from dossier_stats.index766.facts import DOSSIER_SOURCE_COLUMNS, Facts, facts_from_dossier
from dossier_stats.rules import DossierFacts, HasFacts, monthly_contributions

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


class HasAgencyFacts(HasFacts, Protocol):
    @property
    def agency_id(self) -> int: ...


def _new_deltas() -> Deltas:
    return defaultdict(lambda: dict.fromkeys(STAT_COLUMNS, 0))


def _add_deltas(out: Deltas, old: Iterable[HasAgencyFacts], new: Iterable[HasAgencyFacts]) -> None:
    for sign, facts in ((-1, old), (1, new)):
        for d in facts:
            for month, column, delta in monthly_contributions(d):
                out[(d.agency_id, month)][column] += sign * delta


def deltas_for(old: Iterable[DossierFacts], new: Iterable[DossierFacts]) -> Deltas:
    """Sum of the new contributions minus the old ones, per (agency_id, month)."""
    out = _new_deltas()
    _add_deltas(out, old, new)
    return nonzero(out)


def apply_deltas(conn: Connection, deltas: Deltas) -> None:
    """Add the deltas into agency_month_stats (insert missing rows, add to existing)."""
    rows = [{"agency_id": a, "month": m, **cols} for (a, m), cols in nonzero(deltas).items()]
    add_rows(conn, agency_month_stats, ("agency_id", "month"), STAT_COLUMNS, rows)


def apply_changes(conn: Connection, old: Iterable[DossierFacts], new: Iterable[DossierFacts]) -> None:
    """agency_month_stats only; the importer and refresh use `apply_dossier_changes`."""
    apply_deltas(conn, deltas_for(old, new))


class AggregateBuffer:
    """Deltas of every aggregate table, accumulated in memory and written by `flush`.

    A transaction that changes many dossiers (an import file, a refresh, a rebuild)
    adds each batch here and flushes once before committing: the aggregate tables get
    one bulk upsert each per transaction instead of one per batch. Memory is bounded by
    the number of (agency, procedure, month) keys touched, not by the number of dossiers."""

    def __init__(self) -> None:
        self.stats = _new_deltas()
        self.months = new_month_deltas()
        self.procedures = new_procedure_deltas()

    def add(self, old: Sequence[Facts], new: Sequence[Facts]) -> None:
        _add_deltas(self.stats, old, new)  # a Facts carries the provincial facts too
        add_766_deltas(self.months, self.procedures, old, new)

    def flush(self, conn: Connection) -> None:
        apply_deltas(conn, self.stats)
        apply_766_deltas(conn, self.months, self.procedures)
        self.stats, self.months, self.procedures = _new_deltas(), new_month_deltas(), new_procedure_deltas()


def apply_dossier_changes(
    conn: Connection,
    old: Sequence[Facts],
    new: Sequence[Facts],
    buffer: AggregateBuffer | None = None,
) -> None:
    """Move every aggregate from the `old` facts to the `new` ones, and the shadow with them.

    `old`: the shadow facts of the dossiers that change or disappear; `new`: the facts of
    the dossiers as they are now in the dossiers table (inserted or changed), which the
    shadow copies. A dossier in both is replaced. With a `buffer`, the aggregate deltas
    wait there for its flush (the shadow is written now, so later batches of the
    transaction read it)."""
    target = AggregateBuffer() if buffer is None else buffer
    target.add(old, new)
    if buffer is None:
        target.flush(conn)
    write_facts(conn, [f.dossier_code for f in old], [f.dossier_code for f in new])


FACT_COLUMNS = (
    dossiers.c.agency_id,
    dossiers.c.status,
    dossiers.c.channel,
    dossiers.c.received_on,
    dossiers.c.due_on,
    dossiers.c.finished_on,
)


def facts_from_row(row: object) -> DossierFacts:
    """The facts of a row that has the columns of FACT_COLUMNS (by their names)."""
    return DossierFacts(**{c.name: getattr(row, c.name) for c in FACT_COLUMNS})


def rebuild(conn: Connection, batch_size: int = 50_000) -> None:
    """Recompute agency_month_stats, the 766 tables and the shadow from every dossier
    (streams the table). Takes the aggregate lock first, like the importer and refresh."""
    lock_aggregates(conn)
    conn.execute(delete(agency_month_stats))
    clear_766(conn)
    columns = [dossiers.c[name] for name in DOSSIER_SOURCE_COLUMNS]
    # Options on the statement, not the connection: Connection.execution_options() changes
    # the connection in place, and the inserts below must not run on a server-side cursor.
    result = conn.execute(select(*columns).execution_options(yield_per=batch_size))
    buffer = AggregateBuffer()
    for partition in result.partitions():
        buffer.add((), [facts_from_dossier(r._mapping) for r in partition])
    buffer.flush(conn)
    copy_all_facts(conn)
    mark_bootstrapped(conn)
