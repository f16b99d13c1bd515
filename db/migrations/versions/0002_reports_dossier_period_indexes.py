"""reports: indexes for period reports over the dossiers table (Biểu số 06, overdue list)

Revision ID: 0002_reports
Revises: 0001
Create Date: 2026-11-27 07:10:00

A report for a period [from, to] reads the dossiers received in it plus those received
earlier and still open on its first day:
- ix_dossiers_received_finished (received_on, finished_on): the dossiers received in the
  period (a range of received_on), and the earlier ones that ended on or after its
  first day (received_on < from AND finished_on >= from, both checked in the index);
- ix_dossiers_open_received (received_on) WHERE the dossier has no end (status not 7, 9,
  10, or no finished_on): the small set of dossiers that never ended, paused ones
  included. The predicate must stay textually equal to dossier_stats.bieu06.query.OPEN_SQL
  so that PostgreSQL can use the partial index.
"""

from __future__ import annotations

from alembic import op

from db.migrations.helpers import create_open_index

revision = "0002_reports"
down_revision = "0001"
branch_labels = ("reports",)
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("dossiers", schema=None) as batch_op:
        batch_op.create_index("ix_dossiers_received_finished", ["received_on", "finished_on"], unique=False)
        create_open_index(batch_op, "ix_dossiers_open_received", "received_on")


def downgrade() -> None:
    with op.batch_alter_table("dossiers", schema=None) as batch_op:
        batch_op.drop_index("ix_dossiers_open_received")
        batch_op.drop_index("ix_dossiers_received_finished")
