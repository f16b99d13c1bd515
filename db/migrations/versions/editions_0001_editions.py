"""editions: units per map edition, their crosswalks, agencies' attribution per edition, successions

Revision ID: editions_0001
Revises: 0001
Create Date: 2026-12-05 00:10:00

Issue 13: the map has editions (geodata/data/editions.toml) — Tỉnh Quảng Nam with districts
until 30/6/2025, Thành phố Đà Nẵng without districts from 01/7/2025 — and the same dossiers
feed both. db/schema_editions.py describes the tables.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "editions_0001"
down_revision = "0001"
branch_labels = ("editions",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "map_editions",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("unit_name", sa.String(length=200), nullable=False),
        sa.Column("province_code", sa.String(length=10), nullable=False),
        sa.Column("levels", sa.String(length=60), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.Column("units_from", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_map_editions")),
    )
    op.create_table(
        "edition_units",
        sa.Column("edition", sa.String(length=40), nullable=False),
        sa.Column("code", sa.String(length=10), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("level", sa.String(length=10), nullable=False),
        sa.Column("parent_code", sa.String(length=10), nullable=True),
        sa.Column("population", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("edition", "code", name=op.f("pk_edition_units")),
    )
    op.create_table(
        "edition_crosswalk",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("edition", sa.String(length=40), nullable=False),
        sa.Column("old_code", sa.String(length=10), nullable=False),
        sa.Column("old_name", sa.String(length=200), nullable=False),
        sa.Column("old_district_code", sa.String(length=10), nullable=False),
        sa.Column("new_code", sa.String(length=10), nullable=True),
        sa.Column("link_type", sa.String(length=10), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_edition_crosswalk")),
    )
    op.create_table(
        "agency_edition_units",
        sa.Column("edition", sa.String(length=40), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("attribution", sa.String(length=16), nullable=False),
        sa.Column("top_code", sa.String(length=10), nullable=True),
        sa.Column("leaf_code", sa.String(length=10), nullable=True),
        sa.PrimaryKeyConstraint("edition", "agency_id", name=op.f("pk_agency_edition_units")),
    )
    op.create_table(
        "agency_successions",
        sa.Column("predecessor_code", sa.String(length=20), nullable=False),
        sa.Column("successor_code", sa.String(length=20), nullable=False),
        sa.Column("from_date", sa.Date(), nullable=False),
        sa.Column("part", sa.String(length=10), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint(
            "predecessor_code", "successor_code", "from_date", name=op.f("pk_agency_successions")
        ),
    )


def downgrade() -> None:
    for table in (
        "agency_successions",
        "agency_edition_units",
        "edition_crosswalk",
        "edition_units",
        "map_editions",
    ):
        op.drop_table(table)
