"""Shapes the migration scripts share: runs of columns of one type, the id, primary and
foreign keys named by the schema's convention, the unit and crosswalk columns several
tables repeat, the one-row counter tables, and the partial index of open dossiers.

A revision is a record of what it did: once a revision uses a helper, its meaning never
changes (add a new helper instead). `python -m tests.schema_dump DIR` writes the schema all
revisions build, on SQLite and PostgreSQL, to check a change here byte for byte.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

# Textually equal to dossier_stats.bieu06.query.OPEN_SQL: PostgreSQL matches a partial
# index by its text.
OPEN_PREDICATE = "status NOT IN (7, 9, 10) OR finished_on IS NULL"


def columns(type_: sa.types.TypeEngine, *names: str, nullable: bool = False) -> list[sa.Column]:
    """One column per name, all of `type_`, in the order given."""
    return [sa.Column(name, type_, nullable=nullable) for name in names]


def serial_id() -> sa.Column:
    """The `id` surrogate key (autoincrement)."""
    return sa.Column("id", sa.Integer(), autoincrement=True, nullable=False)


def primary_key(table: str, *names: str) -> sa.PrimaryKeyConstraint:
    return sa.PrimaryKeyConstraint(*names, name=op.f(f"pk_{table}"))


def foreign_key(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    """`table.column` references `target.id`."""
    return sa.ForeignKeyConstraint([column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}"))


def unit_columns() -> list[sa.Column]:
    """An administrative unit: code, name, level, parent, population."""
    return [
        *columns(sa.String(length=10), "code"),
        *columns(sa.String(length=200), "name"),
        *columns(sa.String(length=10), "level"),
        *columns(sa.String(length=10), "parent_code", nullable=True),
        *columns(sa.Integer(), "population", nullable=True),
    ]


def crosswalk_columns() -> list[sa.Column]:
    """A line of a commune crosswalk: the old commune, its district, the new unit, the link."""
    return [
        *columns(sa.String(length=10), "old_code"),
        *columns(sa.String(length=200), "old_name"),
        *columns(sa.String(length=10), "old_district_code"),
        *columns(sa.String(length=10), "new_code", "link_type", nullable=True),
    ]


def create_counter_table(table: str) -> None:
    """A one-row table of a version number bumped on every change (id, version, updated_at)."""
    op.create_table(
        table,
        *columns(sa.Integer(), "id", "version"),
        *columns(sa.DateTime(), "updated_at", nullable=True),
        primary_key(table, "id"),
    )


def create_open_index(batch_op: Any, name: str, column: str, include: list[str] | None = None) -> None:
    """An index of the dossiers that have not ended (OPEN_PREDICATE) by `column`; on
    PostgreSQL its leaves may carry the columns `include` names."""
    batch_op.create_index(
        name,
        [column],
        unique=False,
        postgresql_where=sa.text(OPEN_PREDICATE),
        sqlite_where=sa.text(OPEN_PREDICATE),
        **({"postgresql_include": include} if include is not None else {}),
    )


def drop_tables(*tables: str) -> None:
    for table in tables:
        op.drop_table(table)


# What the period reports read of a dossier besides its dates (db.schema.REPORT_COLUMNS as
# of revisions 0002_reports_b and _c, which carry them in the leaves of their indexes).
REPORT_COLUMNS = ["due_on", "status", "channel", "agency_id", "field_code", "field_name"]


def recreate_received_finished_index(include: list[str], also_drop: tuple[str, ...] = ()) -> None:
    """Drops ix_dossiers_received_finished (and the indexes `also_drop` names), then creates it
    again with the columns `include` names in its leaves (PostgreSQL only)."""
    with op.batch_alter_table("dossiers", schema=None) as batch_op:
        for name in (*also_drop, "ix_dossiers_received_finished"):
            batch_op.drop_index(name)
    with op.batch_alter_table("dossiers", schema=None) as batch_op:
        batch_op.create_index(
            "ix_dossiers_received_finished",
            ["received_on", "finished_on"],
            unique=False,
            postgresql_include=include,
        )
