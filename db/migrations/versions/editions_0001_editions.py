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

from db.migrations.helpers import (
    columns,
    crosswalk_columns,
    drop_tables,
    primary_key,
    serial_id,
    unit_columns,
)

revision = "editions_0001"
down_revision = "0001"
branch_labels = ("editions",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "map_editions",
        *columns(sa.String(length=40), "id"),
        *columns(sa.String(length=200), "name", "unit_name"),
        *columns(sa.String(length=10), "province_code"),
        *columns(sa.String(length=60), "levels"),
        *columns(sa.Date(), "valid_from"),
        *columns(sa.Date(), "valid_to", nullable=True),
        *columns(sa.Date(), "units_from"),
        primary_key("map_editions", "id"),
    )
    op.create_table(
        "edition_units",
        *columns(sa.String(length=40), "edition"),
        *unit_columns(),
        primary_key("edition_units", "edition", "code"),
    )
    op.create_table(
        "edition_crosswalk",
        serial_id(),
        *columns(sa.String(length=40), "edition"),
        *crosswalk_columns(),
        primary_key("edition_crosswalk", "id"),
    )
    op.create_table(
        "agency_edition_units",
        *columns(sa.String(length=40), "edition"),
        *columns(sa.Integer(), "agency_id"),
        *columns(sa.String(length=16), "attribution"),
        *columns(sa.String(length=10), "top_code", "leaf_code", nullable=True),
        primary_key("agency_edition_units", "edition", "agency_id"),
    )
    op.create_table(
        "agency_successions",
        *columns(sa.String(length=20), "predecessor_code", "successor_code"),
        *columns(sa.Date(), "from_date"),
        *columns(sa.String(length=10), "part"),
        *columns(sa.Text(), "note", nullable=True),
        primary_key("agency_successions", "predecessor_code", "successor_code", "from_date"),
    )


def downgrade() -> None:
    drop_tables(
        "agency_successions", "agency_edition_units", "edition_crosswalk", "edition_units", "map_editions"
    )
