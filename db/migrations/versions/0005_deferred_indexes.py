"""importer: a table remembering the dossiers indexes a bulk load dropped

Revision ID: 0005_deferred_indexes
Revises: 0004_stats_row_fks
Create Date: 2026-11-27 11:40:00

A large import drops the secondary indexes of `dossiers` and rebuilds them at its end
(importer.deferred_indexes). Their definitions are saved here in the transaction that
drops them, so that a load killed half-way leaves a record of what to rebuild, and the
next import rebuilds it.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from db.migrations.helpers import columns

revision = "0005_deferred_indexes"
down_revision = "0004_stats_row_fks"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "deferred_indexes",
        *columns(sa.String(length=120), "name", "table_name"),
        *columns(sa.Text(), "definition"),
        *columns(sa.DateTime(), "dropped_at"),
        sa.PrimaryKeyConstraint("name", name="pk_deferred_indexes"),
    )


def downgrade() -> None:
    op.drop_table("deferred_indexes")
