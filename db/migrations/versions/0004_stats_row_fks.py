"""stats766: no foreign key from the per-dossier tables to agencies

Revision ID: 0004_stats_row_fks
Revises: 0003_stats766
Create Date: 2026-11-27 09:30:00

`dossiers.agency_id` and `dossier_facts.agency_id` are written only by the importer and
`cli.py refresh`, from the agency registry (db.registry.AgencyIndex), whose rows are
never deleted (import-agencies inserts and updates). The foreign-key check ran once per
inserted row: 3.4 µs each on PostgreSQL 15 (measured on 44,285 rows, 2 cores), i.e. about
a third of the cost of a dossier's insert and 34 s per 10 million dossiers on each
table. The aggregate tables keep theirs (a few thousand rows per import).
"""

from __future__ import annotations

from alembic import op

revision = "0004_stats_row_fks"
down_revision = "0003_stats766"
branch_labels = None
depends_on = None

FOREIGN_KEYS = (
    ("dossiers", "fk_dossiers_agency_id_agencies"),
    ("dossier_facts", "fk_dossier_facts_agency_id_agencies"),
)


def upgrade() -> None:
    for table, name in FOREIGN_KEYS:
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_constraint(name, type_="foreignkey")


def downgrade() -> None:
    for table, name in FOREIGN_KEYS:
        with op.batch_alter_table(table) as batch_op:
            batch_op.create_foreign_key(name, "agencies", ["agency_id"], ["id"])
