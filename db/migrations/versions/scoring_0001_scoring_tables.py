"""scoring: index versions, assessment entries, survey, bonus/penalty, history, state

Revision ID: scoring_0001
Revises: 0001
Create Date: 2026-11-27 06:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from db.migrations.helpers import (
    columns,
    create_counter_table,
    drop_tables,
    foreign_key,
    primary_key,
    serial_id,
)

revision = "scoring_0001"
down_revision = "0001"
branch_labels = ("scoring",)
depends_on = None

WHO = 200


def _signed(step: str) -> list[sa.Column]:
    """Who wrote a step of an entry, and when (empty until the step is written)."""
    return [
        sa.Column(f"{step}_by", sa.String(length=WHO), nullable=True),
        *columns(sa.DateTime(), f"{step}_at", nullable=True),
    ]


def _entry_key() -> list[sa.Column]:
    """The version, unit and item a line of a unit's assessment belongs to."""
    return [
        *columns(sa.Integer(), "version_id"),
        *columns(sa.String(length=20), "unit_code"),
        *columns(sa.String(length=40), "item_code"),
    ]


def _updated() -> list[sa.Column]:
    return [*columns(sa.String(length=WHO), "updated_by"), *columns(sa.DateTime(), "updated_at")]


def _points_check(table: str, column: str) -> sa.CheckConstraint:
    return sa.CheckConstraint(
        f"{column} IS NULL OR ({column} >= 0 AND {column} <= max_points)", name=f"ck_{table}_{column}"
    )


def upgrade() -> None:
    op.create_table(
        "scoring_versions",
        serial_id(),
        *columns(sa.Integer(), "year"),
        *columns(sa.String(length=20), "group_key"),
        *columns(sa.Text(), "name", "definition_json"),
        *columns(sa.String(length=64), "checksum"),
        *columns(sa.Text(), "source_file"),
        *columns(sa.DateTime(), "loaded_at"),
        *columns(sa.String(length=WHO), "loaded_by"),
        primary_key("scoring_versions", "id"),
        sa.UniqueConstraint("year", "group_key", name=op.f("uq_scoring_versions_year")),
    )
    op.create_table(
        "scoring_units",
        *columns(sa.Integer(), "version_id"),
        *columns(sa.String(length=20), "unit_code"),
        *columns(sa.DateTime(), "self_locked_at", nullable=True),
        *columns(sa.String(length=WHO), "self_locked_by", nullable=True),
        foreign_key("scoring_units", "version_id", "scoring_versions"),
        primary_key("scoring_units", "version_id", "unit_code"),
    )
    op.create_table(
        "scoring_entries",
        serial_id(),
        *_entry_key(),
        *columns(sa.Float(), "max_points"),
        *columns(sa.Float(), "self_points", nullable=True),
        *columns(sa.Text(), "evidence", "self_note", nullable=True),
        *_signed("self"),
        *columns(sa.Float(), "appraisal1_points", nullable=True),
        *columns(sa.Text(), "appraisal1_note", nullable=True),
        *_signed("appraisal1"),
        *columns(sa.Text(), "explanation", nullable=True),
        *_signed("explanation"),
        *columns(sa.Float(), "final_points", nullable=True),
        *columns(sa.Text(), "final_note", nullable=True),
        *_signed("final"),
        sa.CheckConstraint("max_points > 0", name="ck_scoring_entries_max_points"),
        *(_points_check("scoring_entries", f"{step}_points") for step in ("self", "appraisal1", "final")),
        foreign_key("scoring_entries", "version_id", "scoring_versions"),
        primary_key("scoring_entries", "id"),
        sa.UniqueConstraint(
            "version_id", "unit_code", "item_code", name=op.f("uq_scoring_entries_version_id")
        ),
    )
    op.create_table(
        "scoring_survey",
        *_entry_key(),
        *columns(sa.Float(), "max_points", "points"),
        *columns(sa.Text(), "note", nullable=True),
        *_updated(),
        _points_check("scoring_survey", "points"),
        foreign_key("scoring_survey", "version_id", "scoring_versions"),
        primary_key("scoring_survey", "version_id", "unit_code", "item_code"),
    )
    op.create_table(
        "scoring_adjustments",
        *columns(sa.Integer(), "version_id"),
        *columns(sa.String(length=20), "unit_code"),
        *columns(sa.String(length=40), "line_code"),
        *columns(sa.String(length=10), "kind"),
        *columns(sa.Float(), "max_points", "points"),
        *columns(sa.Text(), "note", nullable=True),
        *_updated(),
        sa.CheckConstraint("kind IN ('bonus', 'penalty')", name="ck_scoring_adjustments_kind"),
        _points_check("scoring_adjustments", "points"),
        foreign_key("scoring_adjustments", "version_id", "scoring_versions"),
        primary_key("scoring_adjustments", "version_id", "unit_code", "line_code"),
    )
    op.create_table(
        "scoring_history",
        serial_id(),
        *columns(sa.Integer(), "version_id"),
        *columns(sa.String(length=20), "unit_code", nullable=True),
        *columns(sa.String(length=40), "item_code", nullable=True),
        *columns(sa.String(length=40), "field"),
        *columns(sa.Text(), "old_value", "new_value", nullable=True),
        *columns(sa.String(length=WHO), "changed_by"),
        *columns(sa.DateTime(), "changed_at"),
        foreign_key("scoring_history", "version_id", "scoring_versions"),
        primary_key("scoring_history", "id"),
    )
    with op.batch_alter_table("scoring_history", schema=None) as batch_op:
        batch_op.create_index(
            "ix_scoring_history_unit", ["version_id", "unit_code", "item_code"], unique=False
        )
    create_counter_table("scoring_state")
    op.execute(sa.text("INSERT INTO scoring_state (id, version) VALUES (1, 0)"))


def downgrade() -> None:
    with op.batch_alter_table("scoring_history", schema=None) as batch_op:
        batch_op.drop_index("ix_scoring_history_unit")
    drop_tables(
        "scoring_state",
        "scoring_history",
        "scoring_adjustments",
        "scoring_survey",
        "scoring_entries",
        "scoring_units",
        "scoring_versions",
    )
