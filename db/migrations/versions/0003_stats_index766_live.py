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

from db.migrations.helpers import columns

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
        *columns(sa.String(length=64), "dossier_code"),
        *columns(sa.Integer(), "agency_id"),
        *columns(sa.String(length=64), "procedure_code"),
        *columns(sa.SmallInteger(), "status", "channel"),
        *columns(sa.Date(), "received_on", "due_on", "finished_on", nullable=True),
        *columns(sa.Integer(), "supplement_count"),
        *columns(sa.Float(), "supplement_days"),
        *columns(sa.Boolean(), "online_offered", "has_fee", "paid_online", "e_result", "digitized"),
        *columns(sa.Boolean(), "reused_data", "unsatisfied"),
        _agency_fk("dossier_facts"),
        sa.PrimaryKeyConstraint("dossier_code", name="pk_dossier_facts"),
    )
    op.create_table(
        "agency_month_766",
        *columns(sa.Integer(), "agency_id", "month", *MONTH_766_COLUMNS),
        _agency_fk("agency_month_766"),
        sa.PrimaryKeyConstraint("agency_id", "month", name="pk_agency_month_766"),
    )
    op.create_index("ix_agency_month_766_month", "agency_month_766", ["month"])
    op.create_table(
        "agency_procedure_month",
        *columns(sa.Integer(), "agency_id"),
        *columns(sa.String(length=64), "procedure_code"),
        *columns(sa.Integer(), "month", *PROCEDURE_MONTH_COLUMNS),
        _agency_fk("agency_procedure_month"),
        sa.PrimaryKeyConstraint("agency_id", "procedure_code", "month", name="pk_agency_procedure_month"),
    )
    op.create_index("ix_agency_procedure_month_month", "agency_procedure_month", ["month"])
    op.create_table(
        "indicator_values",
        *columns(sa.String(length=20), "agency_code"),
        *columns(sa.String(length=10), "period_key"),
        *columns(sa.String(length=40), "indicator"),
        *columns(sa.Float(), "value"),
        *columns(sa.Date(), "period_start", "period_end"),
        *columns(sa.Integer(), "import_run_id", nullable=True),
        *columns(sa.DateTime(), "updated_at"),
        sa.ForeignKeyConstraint(
            ["import_run_id"], ["import_runs.id"], name="fk_indicator_values_import_run_id_import_runs"
        ),
        sa.PrimaryKeyConstraint("agency_code", "period_key", "indicator", name="pk_indicator_values"),
    )
    op.create_index("ix_indicator_values_period", "indicator_values", ["period_start", "period_end"])
    op.create_table(
        "refresh_state",
        *columns(sa.Integer(), "id"),
        *columns(sa.DateTime(), "watermark", nullable=True),
        *columns(sa.Boolean(), "bootstrapped"),
        *columns(sa.DateTime(), "last_run_at", nullable=True),
        *columns(sa.Integer(), "last_changed"),
        *columns(sa.Text(), "note", nullable=True),
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
