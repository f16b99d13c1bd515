"""Incremental maintenance of the 766 tables and of the dossier facts shadow.

`dossier_stats.aggregates.apply_dossier_changes` is the one path that updates every
aggregate (agency_month_stats, agency_month_766, agency_procedure_month) and the
shadow `dossier_facts` in the caller's transaction; this module holds the 766 part:
deltas (new contributions minus old), their bulk upsert, and the shadow's reads and
writes (a few statements per batch: `= ANY(array)` reads, the shadow copied from the
dossiers rows in SQL, deltas upserted through a COPY-filled staging table on PostgreSQL).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Hashable, Iterable, Mapping, Sequence
from typing import Any, TypeVar

from sqlalchemy import (
    ARRAY,
    ColumnElement,
    Connection,
    FromClause,
    String,
    Table,
    any_,
    case,
    delete,
    exists,
    false,
    func,
    insert,
    literal,
    select,
    true,
    update,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from db.schema import dossiers
from db.schema_stats import (
    MONTH_766_COLUMNS,
    PROCEDURE_MONTH_COLUMNS,
    agency_month_766,
    agency_procedure_month,
    dossier_facts,
    refresh_state,
)
from dossier_stats.index766.facts import (
    FACT_FIELDS,
    ONLINE_LEVELS,
    UNSATISFIED,
    Facts,
    accumulate,
    facts_from_shadow,
)

STATE_ID = 1  # the single refresh_state row
MonthDeltas = dict[tuple[int, int], dict[str, int]]  # (agency_id, month) -> column -> delta
ProcedureDeltas = dict[tuple[int, str, int], dict[str, int]]  # (agency_id, procedure, month)
FAST_PATH_ROWS = 500  # PostgreSQL: from this many rows on, COPY into a staging table


def new_month_deltas() -> MonthDeltas:
    return defaultdict(lambda: dict.fromkeys(MONTH_766_COLUMNS, 0))


def new_procedure_deltas() -> ProcedureDeltas:
    return defaultdict(lambda: dict.fromkeys(PROCEDURE_MONTH_COLUMNS, 0))


def add_766_deltas(
    months: MonthDeltas, procedures: ProcedureDeltas, old: Iterable[Facts], new: Iterable[Facts]
) -> None:
    """Accumulate new contributions minus old ones into the two delta mappings (from
    new_month_deltas / new_procedure_deltas)."""
    for f in old:
        accumulate(f, -1, months, procedures)
    for f in new:
        accumulate(f, 1, months, procedures)


K = TypeVar("K", bound=Hashable)


def nonzero(deltas: Mapping[K, dict[str, int]]) -> dict[K, dict[str, int]]:
    """The entries with some non-zero delta."""
    return {k: v for k, v in deltas.items() if any(v.values())}


def add_rows(
    conn: Connection, table: Table, keys: Sequence[str], columns: Sequence[str], rows: list[dict[str, Any]]
) -> None:
    """Upsert rows into an aggregate table, adding the value columns to the stored ones.

    PostgreSQL with many rows: COPY into a temporary staging table (dropped at commit)
    and one INSERT … SELECT … ON CONFLICT; otherwise one executemany upsert."""
    if not rows:
        return
    if conn.dialect.name == "postgresql" and len(rows) >= FAST_PATH_ROWS:
        _pg_add_rows(conn, table, keys, columns, rows)
        return
    insert_ = pg_insert if conn.dialect.name == "postgresql" else sqlite_insert
    stmt = insert_(table)
    stmt = stmt.on_conflict_do_update(
        index_elements=list(keys),
        set_={c: table.c[c] + stmt.excluded[c] for c in columns},
    )
    conn.execute(stmt, rows)


def _pg_add_rows(
    conn: Connection, table: Table, keys: Sequence[str], columns: Sequence[str], rows: list[dict[str, Any]]
) -> None:
    staging = f"staging_{table.name}"
    names = [*keys, *columns]
    conn.exec_driver_sql(
        f"CREATE TEMP TABLE IF NOT EXISTS {staging} (LIKE {table.name} INCLUDING DEFAULTS) ON COMMIT DROP"
    )
    conn.exec_driver_sql(f"TRUNCATE {staging}")
    cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        with cursor.copy(f"COPY {staging} ({', '.join(names)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row([row[n] for n in names])
    finally:
        cursor.close()
    updates = ", ".join(f"{c} = {table.name}.{c} + EXCLUDED.{c}" for c in columns)
    conn.exec_driver_sql(
        f"INSERT INTO {table.name} ({', '.join(names)}) SELECT {', '.join(names)} FROM {staging} "
        f"ON CONFLICT ({', '.join(keys)}) DO UPDATE SET {updates}"
    )


def apply_766_deltas(conn: Connection, months: MonthDeltas, procedures: ProcedureDeltas) -> None:
    add_rows(
        conn,
        agency_month_766,
        ("agency_id", "month"),
        MONTH_766_COLUMNS,
        [{"agency_id": a, "month": m, **cols} for (a, m), cols in nonzero(months).items()],
    )
    add_rows(
        conn,
        agency_procedure_month,
        ("agency_id", "procedure_code", "month"),
        PROCEDURE_MONTH_COLUMNS,
        [
            {"agency_id": a, "procedure_code": p, "month": m, **cols}
            for (a, p, m), cols in nonzero(procedures).items()
        ],
    )


def lock_aggregates(conn: Connection) -> None:
    """Serialise aggregate maintenance (import, refresh, rebuild): a no-op update of the
    refresh_state row as the FIRST statement of the transaction (PostgreSQL: a row lock
    held to commit; SQLite: the write lock taken before anything is read, so no stale
    snapshot). Creates the row when missing (bootstrapped when there are no dossiers)."""
    result = conn.execute(
        update(refresh_state)
        .where(refresh_state.c.id == STATE_ID)
        .values(last_changed=refresh_state.c.last_changed)
    )
    if result.rowcount == 0:
        has_dossiers = conn.execute(select(exists().where(dossiers.c.dossier_code.is_not(None)))).scalar()
        conn.execute(insert(refresh_state).values(id=STATE_ID, bootstrapped=not has_dossiers, last_changed=0))


def mark_bootstrapped(conn: Connection) -> None:
    """The 766 tables and the shadow hold every stored dossier (after a rebuild)."""
    conn.execute(update(refresh_state).where(refresh_state.c.id == STATE_ID).values(bootstrapped=True))


# ---------------------------------------------------------------- the shadow


def _code_filter(column: ColumnElement[str], codes: Collection[str], conn: Connection) -> ColumnElement[bool]:
    if conn.dialect.name == "postgresql":
        return column == any_(literal(list(codes), ARRAY(String)))
    return column.in_(list(codes))


def load_facts(conn: Connection, codes: Collection[str]) -> dict[str, Facts]:
    """The shadow facts of those dossiers that have one (as last aggregated)."""
    if not codes:
        return {}
    query = select(dossier_facts).where(_code_filter(dossier_facts.c.dossier_code, codes, conn))
    return {r["dossier_code"]: facts_from_shadow(r) for r in conn.execute(query).mappings()}


def shadow_select(source: FromClause = dossiers) -> list[ColumnElement[Any]]:
    """dossiers columns -> dossier_facts columns, normalised exactly as facts_from_dossier
    (`source`: the dossiers table, or a table with the same column names)."""
    d = source.c

    def flag(condition: ColumnElement[bool]) -> ColumnElement[bool]:
        return case((condition, true()), else_=false())

    return [
        d.dossier_code,
        d.agency_id,
        d.procedure_code,
        d.status,
        d.channel,
        d.received_on,
        d.due_on,
        d.finished_on,
        func.coalesce(d.supplement_count, 0),
        func.coalesce(d.supplement_days, 0.0),
        flag(d.online_level.in_(sorted(ONLINE_LEVELS))),
        *(
            flag(d[name].is_(True))
            for name in ("has_fee", "paid_online", "e_result", "digitized", "reused_data")
        ),
        flag(d.rating == UNSATISFIED),
    ]


def write_facts(conn: Connection, removed: Collection[str], added: Collection[str]) -> None:
    """Delete the shadow rows of `removed` codes, then write the `added` dossiers' facts as
    they are now in the dossiers table (INSERT … SELECT, replacing an existing shadow row:
    nothing travels back from Python). The caller has aggregated exactly those rows'
    facts (facts_from_dossier of the same values)."""
    added_set = set(added)
    gone = [c for c in removed if c not in added_set]
    if gone:
        conn.execute(delete(dossier_facts).where(_code_filter(dossier_facts.c.dossier_code, gone, conn)))
    if not added:
        return
    source = select(*shadow_select()).where(_code_filter(dossiers.c.dossier_code, added, conn))
    insert_ = pg_insert if conn.dialect.name == "postgresql" else sqlite_insert
    stmt = insert_(dossier_facts).from_select(list(FACT_FIELDS), source)
    stmt = stmt.on_conflict_do_update(
        index_elements=["dossier_code"],
        set_={name: stmt.excluded[name] for name in FACT_FIELDS if name != "dossier_code"},
    )
    conn.execute(stmt)


def insert_new_facts_from(conn: Connection, source: FromClause, where: ColumnElement[bool]) -> list[str]:
    """PostgreSQL: write the shadow rows of the `source` rows matching `where` where none
    exists; returns the codes that already had one (a dossier deleted directly and not
    yet subtracted by `refresh --full`), which were left as they are for the caller to
    subtract and replace (`write_facts`)."""
    written = (
        pg_insert(dossier_facts)
        .from_select(list(FACT_FIELDS), select(*shadow_select(source)).where(where))
        .on_conflict_do_nothing(index_elements=["dossier_code"])
        .returning(dossier_facts.c.dossier_code)
        .cte("written")
    )
    code = source.c.dossier_code
    query = select(code).where(where, ~exists().where(written.c.dossier_code == code))
    return list(conn.execute(query).scalars())


def copy_all_facts(conn: Connection) -> None:
    """Fill the (empty) shadow from every dossier, in one statement (rebuild)."""
    conn.execute(insert(dossier_facts).from_select(list(FACT_FIELDS), select(*shadow_select())))


def clear_766(conn: Connection) -> None:
    """Empty the 766 tables and the shadow (before a rebuild)."""
    for table in (agency_month_766, agency_procedure_month, dossier_facts):
        conn.execute(delete(table))
