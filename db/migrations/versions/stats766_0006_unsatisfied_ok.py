"""stats766: the 766 tables under rule set 766-dự-án 2026.1 (issue 16)

Revision ID: stats766_0006
Revises: 0005_deferred_indexes
Create Date: 2026-12-05 00:30:00

`agency_month_766.unsatisfied_ok` counts resolved dossiers rated unsatisfied that ended
within the 766 deadline, so that dossier satisfaction counts a late and unsatisfied
dossier once (one denominator). The tables also change their counting to the default
rule set (supplement days exact, compared at date level; status 8 an end state): a
database with dossiers is marked not bootstrapped, and the next import or
`cli.py refresh` rebuilds every aggregate from the stored dossiers.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "stats766_0006"
down_revision = "0005_deferred_indexes"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("agency_month_766") as batch:
        batch.add_column(sa.Column("unsatisfied_ok", sa.Integer(), nullable=False, server_default="0"))
    state = sa.table("refresh_state", sa.column("bootstrapped", sa.Boolean()))
    has_dossiers = sa.exists(sa.select(sa.literal(1)).select_from(sa.table("dossiers")))
    op.execute(state.update().where(has_dossiers).values(bootstrapped=False))


def downgrade() -> None:
    with op.batch_alter_table("agency_month_766") as batch:
        batch.drop_column("unsatisfied_ok")
