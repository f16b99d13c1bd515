"""importer: who runs an import (import_runs.owner), to tell a killed import from a live one

Revision ID: importer_0001
Revises: 0001
Create Date: 2026-11-28 09:00:00

An import that is killed leaves its import_runs row "running". The next import or
refresh marks such a row "interrupted" when the process that wrote it is gone: on
PostgreSQL the run's advisory lock tells (importer.runs.running); on SQLite the host
name and process id written here while the run is going.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "importer_0001"
down_revision = "0001"
branch_labels = ("importer",)
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("import_runs") as batch:
        batch.add_column(sa.Column("owner", sa.String(length=200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("import_runs") as batch:
        batch.drop_column("owner")
