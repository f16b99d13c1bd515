"""Bulk reads and writes of dossier rows: a few statements per batch, never one per row.

PostgreSQL (the fast path, no per-row parameter processing): the stored versions of
a batch come from one `= ANY(array)` query; new dossiers are COPied (binary format)
straight into `dossiers`; changed ones are COPied into a temporary staging table and
applied with one `UPDATE … FROM`. Other backends (SQLite): one `IN` query, one
executemany INSERT and one executemany UPDATE through SQLAlchemy Core.
"""

from __future__ import annotations

import io
from collections.abc import Collection, Iterable, Sequence
from operator import itemgetter
from typing import Any

import psycopg
from psycopg.copy import Copy, FileWriter
from sqlalchemy import (
    ARRAY,
    Boolean,
    Connection,
    Date,
    DateTime,
    Float,
    Integer,
    SmallInteger,
    String,
    Text,
    any_,
    bindparam,
    column,
    insert,
    literal,
    select,
    table,
    update,
)
from sqlalchemy.types import TypeEngine

from db.schema import dossiers

STAGING_TABLE = "import_dossiers_staging"
COLUMNS = tuple(c.name for c in dossiers.c)
_staging = table(STAGING_TABLE, *(column(name) for name in COLUMNS))
_values_of = itemgetter(*COLUMNS)

# PostgreSQL type of each SQLAlchemy type used by `dossiers`, for binary COPY (most specific first).
_PG_TYPES: tuple[tuple[type[TypeEngine], str], ...] = (
    (SmallInteger, "int2"),
    (Integer, "int4"),
    (Float, "float8"),
    (Boolean, "bool"),
    (DateTime, "timestamp"),
    (Date, "date"),
    (Text, "text"),
    (String, "varchar"),
)


def _pg_type(sql_type: TypeEngine) -> str:
    return next(name for cls, name in _PG_TYPES if isinstance(sql_type, cls))


_COPY_TYPES = [_pg_type(c.type) for c in dossiers.c]
_NUMBERED_COPY = f"COPY {{target}} (line_no, {', '.join(COLUMNS)}) FROM STDIN (FORMAT BINARY)"


def stored_versions(
    conn: Connection, codes: Collection[str], columns: Sequence[str]
) -> dict[str, dict[str, Any]]:
    """dossier_code → {updated_at, *columns} of the stored dossiers among `codes`."""
    if not codes:
        return {}
    selected = [dossiers.c.dossier_code, dossiers.c.updated_at, *(dossiers.c[c] for c in columns)]
    if conn.dialect.name == "postgresql":
        condition = dossiers.c.dossier_code == any_(literal(list(codes), ARRAY(String)))
    else:
        condition = dossiers.c.dossier_code.in_(list(codes))
    return {r.dossier_code: dict(r._mapping) for r in conn.execute(select(*selected).where(condition))}


def write_dossiers(conn: Connection, new: list[dict[str, Any]], changed: list[dict[str, Any]]) -> None:
    """Insert `new` dossiers and replace the stored versions of `changed` ones (by dossier_code)."""
    if conn.dialect.name == "postgresql":
        _pg_write(conn, new, changed)
        return
    if new:
        conn.execute(insert(dossiers), new)
    if changed:
        stmt = (
            update(dossiers)
            .where(dossiers.c.dossier_code == bindparam("b_dossier_code"))
            .values({name: bindparam(f"b_{name}") for name in COLUMNS if name != "dossier_code"})
        )
        conn.execute(stmt, [{f"b_{k}": v for k, v in row.items()} for row in changed])


def _copy_rows(conn: Connection, target: str, rows: list[dict[str, Any]]) -> None:
    cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        with cursor.copy(f"COPY {target} ({', '.join(COLUMNS)}) FROM STDIN (FORMAT BINARY)") as copy:
            copy.set_types(_COPY_TYPES)
            for row in rows:
                copy.write_row(_values_of(row))
    finally:
        cursor.close()


def _write_numbered(copy: Copy, rows: Iterable[tuple[int, dict[str, Any]]]) -> None:
    copy.set_types(["int4", *_COPY_TYPES])
    write = copy.write_row
    for line_no, row in rows:
        write((line_no, *_values_of(row)))


def copy_numbered(conn: Connection, target: str, rows: Iterable[tuple[int, dict[str, Any]]]) -> None:
    """Binary COPY of (line number, row) pairs into `target`, a table with the columns
    (line_no, *COLUMNS), streamed: the server reads while this process formats."""
    cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        with cursor.copy(_NUMBERED_COPY.format(target=target)) as copy:
            _write_numbered(copy, rows)
    finally:
        cursor.close()


def numbered_payload(cursor: psycopg.Cursor[Any], rows: Iterable[tuple[int, dict[str, Any]]]) -> bytes:
    """The same COPY stream as `copy_numbered` sends, formatted without sending it
    (psycopg's FileWriter): the parse process (importer.parse_process) formats, the
    importer sends it with `copy_payload`. `cursor` only lends its type adapters; nothing
    is sent to its server."""
    buffer = io.BytesIO()
    with Copy(cursor, binary=True, writer=FileWriter(buffer)) as copy:
        _write_numbered(copy, rows)
    return buffer.getvalue()


def copy_payload(conn: Connection, target: str, payload: bytes) -> None:
    """Send a `numbered_payload` into `target`, a table with the columns (line_no, *COLUMNS)."""
    cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        with cursor.copy(_NUMBERED_COPY.format(target=target)) as copy:
            copy.write(payload)
    finally:
        cursor.close()


def _pg_write(conn: Connection, new: list[dict[str, Any]], changed: list[dict[str, Any]]) -> None:
    if new:
        _copy_rows(conn, dossiers.name, new)
    if not changed:
        return
    # LIKE copies the column types; ON COMMIT DROP: the table lives for this transaction only.
    conn.exec_driver_sql(
        f"CREATE TEMP TABLE IF NOT EXISTS {STAGING_TABLE} (LIKE dossiers INCLUDING DEFAULTS) ON COMMIT DROP"
    )
    conn.exec_driver_sql(f"TRUNCATE {STAGING_TABLE}")
    _copy_rows(conn, STAGING_TABLE, changed)
    conn.execute(
        update(dossiers)
        .where(dossiers.c.dossier_code == _staging.c.dossier_code)
        .values({name: _staging.c[name] for name in COLUMNS if name != "dossier_code"})
    )
