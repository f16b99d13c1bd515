"""asof: the open dossiers in the overdue list's order (issue 12's load benchmark)

Revision ID: asof_0002
Revises: asof_0001
Create Date: 2026-12-05 04:00:00

The overdue list (dossier_stats/overdue.py) of a unit on a day E, most overdue first, was
read by fetching every overdue candidate's row from the table and sorting them: at
10,000,000 dossiers about a hundred thousand table pages per call (every open dossier's
row), 1–1.5 s alone and 20–30 s with a few of them at once under an import. Now its page
is picked from index entries only, then the few rows shown are read by primary key:

- ix_dossiers_open_deadline (coalesce(due_on, received_on), dossier_code) WHERE the
  dossier has no end (the predicate of ix_dossiers_open_due), with the columns of the
  deadline and of the filters in the leaves on PostgreSQL (due_on too: an expression's
  value is read index-only only when its columns are in the index): the open dossiers in
  the list's order, so the first page reads its first entries that pass the filters;
- ix_dossiers_received_finished carries dossier_code too (PostgreSQL; migration
  0002_reports_c of the reports branch, which makes that index): the dossiers that ended
  after E are found index-only, as the report already finds them.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "asof_0002"
down_revision = "asof_0001"
branch_labels = None
depends_on = None

OPEN_PREDICATE = "status NOT IN (7, 9, 10) OR finished_on IS NULL"


def upgrade() -> None:
    op.create_index(
        "ix_dossiers_open_deadline",
        "dossiers",
        [sa.text("coalesce(due_on, received_on)"), "dossier_code"],
        unique=False,
        postgresql_where=sa.text(OPEN_PREDICATE),
        sqlite_where=sa.text(OPEN_PREDICATE),
        postgresql_include=["due_on", "received_on", "status", "agency_id", "finished_on"],
    )


def downgrade() -> None:
    op.drop_index("ix_dossiers_open_deadline", table_name="dossiers")
