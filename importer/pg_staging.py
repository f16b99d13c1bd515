"""PostgreSQL: a file's accepted rows go through a temporary staging table, set-based.

Per file (one transaction):
1. `stage` COPies (binary) every accepted row, with its line number, into the temporary
   table `import_staging` (no WAL, no index), while the parse-ahead thread keeps reading.
2. `insert_new` inserts the rows of new codes into `dossiers` and their facts into
   the `dossier_facts` shadow, set-based (a few statements for the whole file), and
   flags the rows it cannot take: a code already stored (the updated_at rule decides)
   and every record of a code that occurs more than once in the file (their order
   decides). `inserted_facts` selects the facts of what it inserted, for
   dossier_stats.sql_contributions.
3. `slow_rows` gives the flagged rows back, in file order, to the row-by-row path
   (`importer.dossiers`), which applies the updated_at rule exactly as for SQLite.
The table is dropped at commit.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

from psycopg.errors import UniqueViolation
from sqlalchemy import Connection, Select, column, func, insert, not_, select, table, true, update
from sqlalchemy.exc import IntegrityError

from db.schema_stats import dossier_facts
from dossier_stats.index766.aggregates import insert_new_facts_from, shadow_select
from dossier_stats.index766.facts import FACT_FIELDS
from importer.bulk import COLUMNS, copy_numbered, copy_payload
from importer.parse_ahead import ParsedBatch

STAGING = "import_staging"
T = TypeVar("T")
_NAMES = ", ".join(COLUMNS)
staging = table(STAGING, column("line_no"), column("slow"), *(column(name) for name in COLUMNS))


def create_staging(conn: Connection) -> None:
    conn.exec_driver_sql(
        f"CREATE TEMP TABLE {STAGING} (line_no integer NOT NULL, slow boolean NOT NULL DEFAULT false, "
        "LIKE dossiers INCLUDING DEFAULTS) ON COMMIT DROP"
    )


def stage(conn: Connection, batch: ParsedBatch) -> None:
    """COPY a batch's accepted (line number, row) pairs into the staging table: the COPY
    stream the parse process formatted, or the rows."""
    if batch.payload is not None:
        copy_payload(conn, STAGING, batch.payload)
    else:
        copy_numbered(conn, STAGING, batch.accepted)


@dataclass(frozen=True)
class Inserted:
    count: int
    orphan_codes: list[str]  # inserted codes whose shadow row was already there (see below)


def insert_new(conn: Connection) -> Inserted:
    """Insert the staged rows of codes that are neither repeated in the file nor stored
    into dossiers and the shadow; flag the others (`slow`).

    A shadow row can outlive its dossier (deleted directly, not yet subtracted by
    `refresh --full`): for those codes it is left as it is and returned, for the caller
    to subtract and replace.

    Each table is first tried with a plain INSERT in a savepoint (the usual case: no
    code is stored yet), and only when the primary key refuses one row with the
    INSERT … ON CONFLICT form, which costs 2–5 µs more per row on PostgreSQL 15."""
    repeated_codes = select(staging.c.dossier_code).group_by(staging.c.dossier_code).having(func.count() > 1)
    conn.execute(update(staging).where(staging.c.dossier_code.in_(repeated_codes)).values(slow=true()))
    fresh = not_(staging.c.slow)
    plain = f"INSERT INTO dossiers ({_NAMES}) SELECT {_NAMES} FROM {STAGING} WHERE NOT slow"
    inserted = _unless_a_key_exists(conn, lambda: conn.exec_driver_sql(plain).rowcount)
    if inserted is None:
        inserted = _insert_skipping_stored(conn)
    if not inserted:
        return Inserted(0, [])
    shadow = insert(dossier_facts).from_select(
        list(FACT_FIELDS), select(*shadow_select(staging)).where(fresh)
    )
    if _unless_a_key_exists(conn, lambda: conn.execute(shadow)) is not None:
        return Inserted(inserted, [])
    return Inserted(inserted, insert_new_facts_from(conn, staging, fresh))


def inserted_facts() -> Select:
    """The facts (named as Facts' fields, normalised as in the shadow) of the rows
    `insert_new` inserted."""
    columns = (expr.label(name) for expr, name in zip(shadow_select(staging), FACT_FIELDS, strict=True))
    return select(*columns).where(not_(staging.c.slow))


def _unless_a_key_exists(conn: Connection, write: Callable[[], T]) -> T | None:
    """`write()` in a savepoint: its result, or None (and nothing written) when a primary
    key refused a row."""
    try:
        with conn.begin_nested():
            return write()
    except IntegrityError as exc:
        if isinstance(exc.orig, UniqueViolation):
            return None
        raise


def _insert_skipping_stored(conn: Connection) -> int:
    """Insert the codes not stored yet and flag the stored ones; returns how many were
    inserted. The primary key finds the stored codes while inserting (no separate probe
    per row); the rows it skipped are flagged in the same statement (a data-modifying
    WITH runs whether or not the main query reads it)."""
    return int(
        conn.exec_driver_sql(
            f"""
            WITH inserted AS (
                INSERT INTO dossiers ({_NAMES}) SELECT {_NAMES} FROM {STAGING} WHERE NOT slow
                ON CONFLICT (dossier_code) DO NOTHING RETURNING dossier_code
            ), stored AS (
                UPDATE {STAGING} s SET slow = true
                WHERE NOT s.slow
                  AND NOT EXISTS (SELECT 1 FROM inserted i WHERE i.dossier_code = s.dossier_code)
            )
            SELECT count(*) FROM inserted
            """
        ).scalar_one()
    )


def slow_rows(conn: Connection, batch_size: int) -> Iterator[list[tuple[int, dict[str, Any]]]]:
    """The flagged rows as (line number, row), in file order, in batches."""
    query = (
        select(staging.c.line_no, *(staging.c[n] for n in COLUMNS))
        .where(staging.c.slow)
        .order_by(staging.c.line_no)
    )
    result = conn.execute(query.execution_options(yield_per=batch_size))
    for partition in result.mappings().partitions():
        yield [(r["line_no"], {n: r[n] for n in COLUMNS}) for r in partition]
