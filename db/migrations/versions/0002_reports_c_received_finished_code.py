"""reports: ix_dossiers_received_finished carries dossier_code (PostgreSQL)

Revision ID: 0002_reports_c
Revises: 0002_reports_b
Create Date: 2026-12-05 04:00:00

The overdue list (dossier_stats/overdue.py) on a past day E reads the dossiers that ended
after E through this index, as Biểu 06 does; with dossier_code in the leaves it picks its
page from the index entries alone and reads only the rows it shows (with
ix_dossiers_open_deadline of migration asof_0002 for the open dossiers). SQLite has no
INCLUDE: there the index stays as it was.
"""

from __future__ import annotations

from alembic import op

from db.migrations.helpers import REPORT_COLUMNS, recreate_received_finished_index

revision = "0002_reports_c"
down_revision = "0002_reports_b"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    recreate_received_finished_index([*REPORT_COLUMNS, "dossier_code"])


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    recreate_received_finished_index(REPORT_COLUMNS)
