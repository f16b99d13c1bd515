"""ops: the deployment's identity (one row, a random uuid) that shared caches are namespaced by

Revision ID: ops_0001
Revises: 0001
Create Date: 2026-11-27 21:00:00
"""

from __future__ import annotations

import uuid

import sqlalchemy as sa
from alembic import op

from clock import now_local
from db.migrations.helpers import columns, primary_key

revision = "ops_0001"
down_revision = "0001"
branch_labels = ("ops",)
depends_on = None


def upgrade() -> None:
    table = op.create_table(
        "deployment",
        *columns(sa.Integer(), "id"),
        *columns(sa.String(length=36), "instance_id"),
        *columns(sa.DateTime(), "created_at"),
        primary_key("deployment", "id"),
    )
    op.bulk_insert(table, [{"id": 1, "instance_id": str(uuid.uuid4()), "created_at": now_local()}])


def downgrade() -> None:
    op.drop_table("deployment")
