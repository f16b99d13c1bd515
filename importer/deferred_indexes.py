"""Bulk loads: the secondary indexes of `dossiers` are dropped for the load and rebuilt after.

Why. Each secondary index (the period reports', the overdue list's, `refresh`'s
`updated_at`) is maintained row by row: together they take the insert of a new dossier
from 3.7 to 7.2–8 µs (PostgreSQL 15, 100,000 new dossiers into 10 million, 2 cores).
Built once from the finished table they cost 14.0 s for 10 million rows. Measured on
10,000,000 demo dossiers into an empty database: 222.4 s with the indexes maintained,
183.2 s + 14.0 s with them dropped and rebuilt. So a load that brings at least as many
records as the table holds (the first load, the old system's history) is faster without
them; a daily import is not. The primary key stays: the import finds stored codes by it.

While they are away, what reads `dossiers` directly (Biểu số 06, the overdue list,
`cli.py refresh`) scans the table instead; the map, rankings and indices read the
aggregates and are not affected.

Nothing is lost when a load dies half-way: the definitions, as the database itself writes
them (PostgreSQL `pg_get_indexdef`, SQLite `sqlite_master.sql`), are saved in
`deferred_indexes` in the transaction that drops the indexes, and `restore` rebuilds from
there — at the end of the load, after a failure too, and (`restore_abandoned`) at the
start of the next import or `cli.py refresh` when a killed load left some behind. On
PostgreSQL a load holds an advisory lock from before the drop to after the rebuild, so
that those tell a load that died from one still running (which they leave alone), and two
deferred loads run one after the other.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, Engine, delete, insert, select, text

from db.schema import deferred_indexes, dossiers

# A load defers the indexes when it brings at least MIN_RECORDS records and at least as
# many as the table holds. Records are estimated from the files' size.
MIN_RECORDS = 200_000
BYTES_PER_RECORD = 300  # the demo export: 3.2 GB for 10,000,000 records (~335 B each)

# pg_advisory_lock key of a deferred load ("bando" in ASCII).
LOAD_LOCK = 0x62616E646F
_PG_SECONDARY = text(
    """
    SELECT c.relname, pg_get_indexdef(i.indexrelid)
    FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
    WHERE i.indrelid = CAST(:table AS regclass) AND NOT i.indisunique AND NOT i.indisprimary
    ORDER BY c.relname
    """
)
# Unique and primary-key indexes are never deferred; SQLite's own (autoindexes) have no sql.
_SQLITE_SECONDARY = text(
    """
    SELECT name, sql FROM sqlite_master
    WHERE type = 'index' AND tbl_name = :table AND sql IS NOT NULL
      AND upper(sql) NOT LIKE 'CREATE UNIQUE%'
    ORDER BY name
    """
)


@dataclass
class Deferral:
    """What a deferred load did to the indexes (for the import summary)."""

    names: list[str]
    rebuild_seconds: float = 0.0


def estimated_records(incoming_bytes: int) -> int:
    return incoming_bytes // BYTES_PER_RECORD


def should_defer(incoming_records: int, stored_rows: int) -> bool:
    """True for a load big enough, and big against the table, to be faster with the
    indexes rebuilt once at its end than maintained row by row."""
    return incoming_records >= MIN_RECORDS and incoming_records >= stored_rows


def stored_rows_up_to(conn: Connection, limit: int) -> int:
    """The number of stored dossiers, counted no further than `limit` (cost bounded by it)."""
    capped = select(dossiers.c.dossier_code).limit(limit).subquery()
    return int(conn.execute(select(text("count(*)")).select_from(capped)).scalar_one())


def secondary_indexes(conn: Connection, table: str = dossiers.name) -> dict[str, str]:
    """name -> the statement that creates it, for the table's non-unique indexes."""
    query = _PG_SECONDARY if conn.dialect.name == "postgresql" else _SQLITE_SECONDARY
    return {name: sql for name, sql in conn.execute(query, {"table": table})}


def drop(engine: Engine, now: datetime) -> list[str]:
    """Save the definitions and drop the secondary indexes of `dossiers`, in one
    transaction; returns their names."""
    with engine.begin() as conn:
        found = secondary_indexes(conn)
        for name, definition in found.items():
            conn.execute(
                insert(deferred_indexes).values(
                    name=name, table_name=dossiers.name, definition=definition, dropped_at=now
                )
            )
            conn.exec_driver_sql(f'DROP INDEX "{name}"')
    return list(found)


def restore(engine: Engine) -> list[str]:
    """Rebuild every index listed in `deferred_indexes` that does not exist, and empty the
    list (one transaction); returns the names rebuilt."""
    with engine.begin() as conn:
        rows = conn.execute(select(deferred_indexes).order_by(deferred_indexes.c.name)).all()
        if not rows:
            return []
        rebuilt = []
        existing = {table: secondary_indexes(conn, table) for table in {r.table_name for r in rows}}
        for row in rows:
            if row.name not in existing[row.table_name]:
                conn.exec_driver_sql(row.definition)
                rebuilt.append(row.name)
        conn.execute(delete(deferred_indexes).where(deferred_indexes.c.name.in_([r.name for r in rows])))
    return rebuilt


def restore_abandoned(engine: Engine) -> list[str]:
    """`restore`, unless a deferred load is running (PostgreSQL: its lock is held), in
    which case its own end rebuilds them; returns the names rebuilt."""
    if engine.dialect.name != "postgresql":
        return restore(engine)  # SQLite: one writer at a time, no load runs beside this
    with engine.connect() as session:
        if not _lock(session, wait=False):
            return []
        try:
            return restore(engine)
        finally:
            _unlock(session)


@contextmanager
def deferred(engine: Engine, now: datetime) -> Iterator[Deferral]:
    """Drop the secondary indexes for the block; rebuild them when it ends, however it ends."""
    with engine.connect() as session:
        postgresql = engine.dialect.name == "postgresql"
        if postgresql:
            _lock(session, wait=True)
        try:
            deferral = Deferral(drop(engine, now))
            try:
                yield deferral
            finally:
                started = time.perf_counter()
                restore(engine)
                deferral.rebuild_seconds = time.perf_counter() - started
        finally:
            if postgresql:
                _unlock(session)


def _lock(session: Connection, *, wait: bool) -> bool:
    """The load lock on this connection's session (kept across its transactions); False
    when another session holds it and `wait` is False."""
    if wait:
        session.execute(text("SELECT pg_advisory_lock(:key)"), {"key": LOAD_LOCK})
        got = True
    else:
        got = bool(session.execute(text("SELECT pg_try_advisory_lock(:key)"), {"key": LOAD_LOCK}).scalar())
    session.commit()
    return got


def _unlock(session: Connection) -> None:
    session.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": LOAD_LOCK})
    session.commit()
