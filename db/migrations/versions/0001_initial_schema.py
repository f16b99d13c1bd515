"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-27 05:54:34.877278
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from db.migrations.helpers import (
    columns,
    create_counter_table,
    crosswalk_columns,
    drop_tables,
    foreign_key,
    primary_key,
    serial_id,
    unit_columns,
)

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("admin_units", *unit_columns(), primary_key("admin_units", "code"))
    op.create_table(
        "agencies",
        serial_id(),
        *columns(sa.String(length=20), "code"),
        *columns(sa.String(length=300), "name"),
        *columns(sa.String(length=12), "kind"),
        *columns(sa.String(length=10), "unit_code"),
        *columns(sa.Date(), "valid_from"),
        *columns(sa.Date(), "valid_to", nullable=True),
        *columns(sa.String(length=10), "map_district_code", "map_commune_code", nullable=True),
        primary_key("agencies", "id"),
        sa.UniqueConstraint("code", "valid_from", name=op.f("uq_agencies_code")),
    )
    op.create_table(
        "commune_crosswalk",
        serial_id(),
        *crosswalk_columns(),
        primary_key("commune_crosswalk", "id"),
        sa.UniqueConstraint("old_code", "new_code", name=op.f("uq_commune_crosswalk_old_code")),
    )
    create_counter_table("data_state")
    op.create_table(
        "import_runs",
        serial_id(),
        *columns(sa.String(length=20), "kind"),
        *columns(sa.Text(), "source_file"),
        *columns(sa.DateTime(), "started_at"),
        *columns(sa.DateTime(), "finished_at", nullable=True),
        *columns(sa.Integer(), "rows_read", "inserted", "updated", "unchanged", "quarantined"),
        *columns(sa.String(length=20), "status"),
        *columns(sa.Text(), "message", nullable=True),
        primary_key("import_runs", "id"),
    )
    op.create_table(
        "agency_month_stats",
        *columns(sa.Integer(), "agency_id", "month", "received_online", "received_direct", "received_postal"),
        *columns(sa.Integer(), "resolved_early", "resolved_on_time", "resolved_late", "withdrawn"),
        *columns(sa.Integer(), "d_pending_within", "d_pending_overdue", "d_pending_paused"),
        foreign_key("agency_month_stats", "agency_id", "agencies"),
        primary_key("agency_month_stats", "agency_id", "month"),
    )
    with op.batch_alter_table("agency_month_stats", schema=None) as batch_op:
        batch_op.create_index("ix_agency_month_stats_month", ["month"], unique=False)

    op.create_table(
        "dossiers",
        *columns(sa.String(length=64), "dossier_code"),
        *columns(sa.Integer(), "agency_id"),
        *columns(sa.String(length=20), "agency_code"),
        *columns(sa.String(length=64), "procedure_code"),
        *columns(sa.Text(), "procedure_name", nullable=True),
        *columns(sa.String(length=64), "field_code", nullable=True),
        *columns(sa.Text(), "field_name", nullable=True),
        *columns(sa.String(length=8), "online_level", nullable=True),
        *columns(sa.SmallInteger(), "channel", "status"),
        *columns(
            sa.DateTime(),
            "submitted_at",
            "received_at",
            "due_at",
            "finished_at",
            "returned_at",
            nullable=True,
        ),
        *columns(sa.Date(), "received_on", "due_on", "finished_on", nullable=True),
        *columns(sa.Integer(), "supplement_count"),
        *columns(sa.Float(), "supplement_days"),
        *columns(
            sa.Boolean(), "has_fee", "paid_online", "e_result", "digitized", "reused_data", nullable=True
        ),
        *columns(sa.String(length=64), "handler_id", nullable=True),
        *columns(sa.String(length=12), "rating", nullable=True),
        *columns(sa.DateTime(), "updated_at", "imported_at"),
        foreign_key("dossiers", "agency_id", "agencies"),
        primary_key("dossiers", "dossier_code"),
    )
    with op.batch_alter_table("dossiers", schema=None) as batch_op:
        batch_op.create_index("ix_dossiers_agency_received", ["agency_id", "received_on"], unique=False)
        batch_op.create_index("ix_dossiers_updated_at", ["updated_at"], unique=False)

    op.create_table(
        "quarantine",
        serial_id(),
        *columns(sa.Integer(), "import_run_id"),
        *columns(sa.Text(), "source_file"),
        *columns(sa.Integer(), "line_no"),
        *columns(sa.String(length=60), "rule"),
        *columns(sa.Text(), "message", "raw_row"),
        *columns(sa.DateTime(), "created_at"),
        foreign_key("quarantine", "import_run_id", "import_runs"),
        primary_key("quarantine", "id"),
    )


def downgrade() -> None:
    op.drop_table("quarantine")
    with op.batch_alter_table("dossiers", schema=None) as batch_op:
        batch_op.drop_index("ix_dossiers_updated_at")
        batch_op.drop_index("ix_dossiers_agency_received")

    op.drop_table("dossiers")
    with op.batch_alter_table("agency_month_stats", schema=None) as batch_op:
        batch_op.drop_index("ix_agency_month_stats_month")

    drop_tables(
        "agency_month_stats", "import_runs", "data_state", "commune_crosswalk", "agencies", "admin_units"
    )
