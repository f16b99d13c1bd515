"""scoring: index versions, assessment entries, survey, bonus/penalty, history, state

Revision ID: scoring_0001
Revises: 0001
Create Date: 2026-11-27 06:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "scoring_0001"
down_revision = "0001"
branch_labels = ("scoring",)
depends_on = None

WHO = 200


def _points_check(table: str, column: str) -> sa.CheckConstraint:
    return sa.CheckConstraint(
        f"{column} IS NULL OR ({column} >= 0 AND {column} <= max_points)", name=f"ck_{table}_{column}"
    )


def upgrade() -> None:
    op.create_table(
        "scoring_versions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("group_key", sa.String(length=20), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("definition_json", sa.Text(), nullable=False),
        sa.Column("checksum", sa.String(length=64), nullable=False),
        sa.Column("source_file", sa.Text(), nullable=False),
        sa.Column("loaded_at", sa.DateTime(), nullable=False),
        sa.Column("loaded_by", sa.String(length=WHO), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scoring_versions")),
        sa.UniqueConstraint("year", "group_key", name=op.f("uq_scoring_versions_year")),
    )
    op.create_table(
        "scoring_units",
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("unit_code", sa.String(length=20), nullable=False),
        sa.Column("self_locked_at", sa.DateTime(), nullable=True),
        sa.Column("self_locked_by", sa.String(length=WHO), nullable=True),
        sa.ForeignKeyConstraint(
            ["version_id"], ["scoring_versions.id"], name=op.f("fk_scoring_units_version_id_scoring_versions")
        ),
        sa.PrimaryKeyConstraint("version_id", "unit_code", name=op.f("pk_scoring_units")),
    )
    op.create_table(
        "scoring_entries",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("unit_code", sa.String(length=20), nullable=False),
        sa.Column("item_code", sa.String(length=40), nullable=False),
        sa.Column("max_points", sa.Float(), nullable=False),
        sa.Column("self_points", sa.Float(), nullable=True),
        sa.Column("evidence", sa.Text(), nullable=True),
        sa.Column("self_note", sa.Text(), nullable=True),
        sa.Column("self_by", sa.String(length=WHO), nullable=True),
        sa.Column("self_at", sa.DateTime(), nullable=True),
        sa.Column("appraisal1_points", sa.Float(), nullable=True),
        sa.Column("appraisal1_note", sa.Text(), nullable=True),
        sa.Column("appraisal1_by", sa.String(length=WHO), nullable=True),
        sa.Column("appraisal1_at", sa.DateTime(), nullable=True),
        sa.Column("explanation", sa.Text(), nullable=True),
        sa.Column("explanation_by", sa.String(length=WHO), nullable=True),
        sa.Column("explanation_at", sa.DateTime(), nullable=True),
        sa.Column("final_points", sa.Float(), nullable=True),
        sa.Column("final_note", sa.Text(), nullable=True),
        sa.Column("final_by", sa.String(length=WHO), nullable=True),
        sa.Column("final_at", sa.DateTime(), nullable=True),
        sa.CheckConstraint("max_points > 0", name="ck_scoring_entries_max_points"),
        _points_check("scoring_entries", "self_points"),
        _points_check("scoring_entries", "appraisal1_points"),
        _points_check("scoring_entries", "final_points"),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["scoring_versions.id"],
            name=op.f("fk_scoring_entries_version_id_scoring_versions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scoring_entries")),
        sa.UniqueConstraint(
            "version_id", "unit_code", "item_code", name=op.f("uq_scoring_entries_version_id")
        ),
    )
    op.create_table(
        "scoring_survey",
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("unit_code", sa.String(length=20), nullable=False),
        sa.Column("item_code", sa.String(length=40), nullable=False),
        sa.Column("max_points", sa.Float(), nullable=False),
        sa.Column("points", sa.Float(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("updated_by", sa.String(length=WHO), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        _points_check("scoring_survey", "points"),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["scoring_versions.id"],
            name=op.f("fk_scoring_survey_version_id_scoring_versions"),
        ),
        sa.PrimaryKeyConstraint("version_id", "unit_code", "item_code", name=op.f("pk_scoring_survey")),
    )
    op.create_table(
        "scoring_adjustments",
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("unit_code", sa.String(length=20), nullable=False),
        sa.Column("line_code", sa.String(length=40), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("max_points", sa.Float(), nullable=False),
        sa.Column("points", sa.Float(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("updated_by", sa.String(length=WHO), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("kind IN ('bonus', 'penalty')", name="ck_scoring_adjustments_kind"),
        _points_check("scoring_adjustments", "points"),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["scoring_versions.id"],
            name=op.f("fk_scoring_adjustments_version_id_scoring_versions"),
        ),
        sa.PrimaryKeyConstraint("version_id", "unit_code", "line_code", name=op.f("pk_scoring_adjustments")),
    )
    op.create_table(
        "scoring_history",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("unit_code", sa.String(length=20), nullable=True),
        sa.Column("item_code", sa.String(length=40), nullable=True),
        sa.Column("field", sa.String(length=40), nullable=False),
        sa.Column("old_value", sa.Text(), nullable=True),
        sa.Column("new_value", sa.Text(), nullable=True),
        sa.Column("changed_by", sa.String(length=WHO), nullable=False),
        sa.Column("changed_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["scoring_versions.id"],
            name=op.f("fk_scoring_history_version_id_scoring_versions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scoring_history")),
    )
    with op.batch_alter_table("scoring_history", schema=None) as batch_op:
        batch_op.create_index(
            "ix_scoring_history_unit", ["version_id", "unit_code", "item_code"], unique=False
        )
    op.create_table(
        "scoring_state",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scoring_state")),
    )
    op.execute(sa.text("INSERT INTO scoring_state (id, version) VALUES (1, 0)"))


def downgrade() -> None:
    with op.batch_alter_table("scoring_history", schema=None) as batch_op:
        batch_op.drop_index("ix_scoring_history_unit")
    for table in (
        "scoring_state",
        "scoring_history",
        "scoring_adjustments",
        "scoring_survey",
        "scoring_entries",
        "scoring_units",
        "scoring_versions",
    ):
        op.drop_table(table)
