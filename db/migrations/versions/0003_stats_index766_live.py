"""stats766: 766 index aggregates, dossier facts shadow, imported indicators, refresh state

Revision ID: 0003_stats766
Revises: 0001
Create Date: 2026-11-27 07:00:00

The new aggregate tables start empty. On a database that already holds dossiers,
refresh_state.bootstrapped is written false, and the first import or `cli.py refresh`
fills them from the stored dossiers (importer.refresh.ensure_bootstrapped): the
computation lives in code, not in this script, so the script never goes stale.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_stats766"
down_revision = "0001"
branch_labels = ("stats766",)
depends_on = None

MONTH_766_COLUMNS = (
    "received",
    "received_online",
    "fee_received",
    "paid_online",
    "digitized",
    "reused_data",
    "resolved",
    "e_result",
    "unsatisfied",
    "ended_ok",
    "ended_late",
    "d_pending_ok",
    "d_pending_late",
)
PROCEDURE_MONTH_COLUMNS = ("received", "received_online", "online_offered", "fee_received", "paid_online")


def _agency_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(["agency_id"], ["agencies.id"], name=f"fk_{table}_agency_id_agencies")


def upgrade() -> None:
    op.create_table(
        "dossier_facts",
        sa.Column("dossier_code", sa.String(length=64), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("procedure_code", sa.String(length=64), nullable=False),
        sa.Column("status", sa.SmallInteger(), nullable=False),
        sa.Column("channel", sa.SmallInteger(), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("finished_on", sa.Date(), nullable=True),
        sa.Column("supplement_count", sa.Integer(), nullable=False),
        sa.Column("supplement_days", sa.Float(), nullable=False),
        sa.Column("online_offered", sa.Boolean(), nullable=False),
        sa.Column("has_fee", sa.Boolean(), nullable=False),
        sa.Column("paid_online", sa.Boolean(), nullable=False),
        sa.Column("e_result", sa.Boolean(), nullable=False),
        sa.Column("digitized", sa.Boolean(), nullable=False),
        sa.Column("reused_data", sa.Boolean(), nullable=False),
        sa.Column("unsatisfied", sa.Boolean(), nullable=False),
        _agency_fk("dossier_facts"),
        sa.PrimaryKeyConstraint("dossier_code", name="pk_dossier_facts"),
    )
    op.create_table(
        "agency_month_766",
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.Integer(), nullable=False),
        *(sa.Column(name, sa.Integer(), nullable=False) for name in MONTH_766_COLUMNS),
        _agency_fk("agency_month_766"),
        sa.PrimaryKeyConstraint("agency_id", "month", name="pk_agency_month_766"),
    )
    op.create_index("ix_agency_month_766_month", "agency_month_766", ["month"])
    op.create_table(
        "agency_procedure_month",
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("procedure_code", sa.String(length=64), nullable=False),
        sa.Column("month", sa.Integer(), nullable=False),
        *(sa.Column(name, sa.Integer(), nullable=False) for name in PROCEDURE_MONTH_COLUMNS),
        _agency_fk("agency_procedure_month"),
        sa.PrimaryKeyConstraint("agency_id", "procedure_code", "month", name="pk_agency_procedure_month"),
    )
    op.create_index("ix_agency_procedure_month_month", "agency_procedure_month", ["month"])
    op.create_table(
        "indicator_values",
        sa.Column("agency_code", sa.String(length=20), nullable=False),
        sa.Column("period_key", sa.String(length=10), nullable=False),
        sa.Column("indicator", sa.String(length=40), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("import_run_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["import_run_id"], ["import_runs.id"], name="fk_indicator_values_import_run_id_import_runs"
        ),
        sa.PrimaryKeyConstraint("agency_code", "period_key", "indicator", name="pk_indicator_values"),
    )
    op.create_index("ix_indicator_values_period", "indicator_values", ["period_start", "period_end"])
    op.create_table(
        "refresh_state",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("watermark", sa.DateTime(), nullable=True),
        sa.Column("bootstrapped", sa.Boolean(), nullable=False),
        sa.Column("last_run_at", sa.DateTime(), nullable=True),
        sa.Column("last_changed", sa.Integer(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_refresh_state"),
    )
    # Empty database: nothing to fill. Dossiers already stored: the first import/refresh fills.
    op.execute(
        "INSERT INTO refresh_state (id, bootstrapped, last_changed) "
        "SELECT 1, CASE WHEN EXISTS (SELECT 1 FROM dossiers) THEN 0 ELSE 1 END = 1, 0"
    )


def downgrade() -> None:
    op.drop_table("refresh_state")
    op.drop_index("ix_indicator_values_period", table_name="indicator_values")
    op.drop_table("indicator_values")
    op.drop_index("ix_agency_procedure_month_month", table_name="agency_procedure_month")
    op.drop_table("agency_procedure_month")
    op.drop_index("ix_agency_month_766_month", table_name="agency_month_766")
    op.drop_table("agency_month_766")
    op.drop_table("dossier_facts")
