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

revision = "ops_0001"
down_revision = "0001"
branch_labels = ("ops",)
depends_on = None


def upgrade() -> None:
    table = op.create_table(
        "deployment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("instance_id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deployment")),
    )
    op.bulk_insert(table, [{"id": 1, "instance_id": str(uuid.uuid4()), "created_at": now_local()}])


def downgrade() -> None:
    op.drop_table("deployment")
