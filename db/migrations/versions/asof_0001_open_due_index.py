"""asof: an index of the open dossiers by deadline (as-of counts, early warning)

Revision ID: asof_0001
Revises: 0001
Create Date: 2026-12-05 07:00:00

ix_dossiers_open_due (due_on) WHERE the dossier has no end (status not 7, 9, 10, or no
finished_on): the open dossiers due in a range of days. The as-of rule reads those due in
the rest of the running month (dossier_stats/asof.py), the early warning those due in the
next working days (dossier_stats/warnings.py): a few thousand index entries instead of
every open dossier. The predicate is textually equal to dossier_stats.bieu06.query.OPEN_SQL
(PostgreSQL matches a partial index by its text); on PostgreSQL the leaves carry the
columns those queries read (index-only scans).
"""

from __future__ import annotations

from alembic import op

from db.migrations.helpers import create_open_index

revision = "asof_0001"
down_revision = "0001"
branch_labels = ("asof",)
depends_on = None

INCLUDE = ["received_on", "status", "channel", "agency_id", "finished_on"]


def upgrade() -> None:
    with op.batch_alter_table("dossiers", schema=None) as batch_op:
        create_open_index(batch_op, "ix_dossiers_open_due", "due_on", INCLUDE)


def downgrade() -> None:
    with op.batch_alter_table("dossiers", schema=None) as batch_op:
        batch_op.drop_index("ix_dossiers_open_due")
