"""The schema as SQLAlchemy Core tables (the migrations create exactly this).

Timestamps are stored as naive local time (Asia/Ho_Chi_Minh, UTC+07:00): every
source timestamp is converted to it on import. The `*_on` date columns are the
local dates that statistics group by.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Table,
    Text,
    UniqueConstraint,
    func,
    text,
)

# What the period reports read of a dossier besides its dates of receipt and end: the
# columns the reports' indexes of `dossiers` carry on PostgreSQL (index-only scans).
REPORT_COLUMNS = ("due_on", "status", "channel", "agency_id", "field_code", "field_name")

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


def surrogate_id() -> Column:
    """The `id` primary key of a table whose natural key is not one column."""
    return Column("id", Integer, primary_key=True, autoincrement=True)


def counter_table(name: str) -> Table:
    """A table of one row (id 1) whose `version` is bumped on every change of a part's data,
    so that readers can tell "nothing changed" (data_state, scoring_state)."""
    return Table(
        name,
        metadata,
        Column("id", Integer, primary_key=True),
        Column("version", Integer, nullable=False, default=0),
        Column("updated_at", DateTime, nullable=True),
    )


def validity_columns() -> list[Column]:
    """The days a version of a thing is valid: from `valid_from`, to `valid_to` (NULL: still
    valid) — an agency's registry row, a map edition."""
    return [Column("valid_from", Date, nullable=False), Column("valid_to", Date, nullable=True)]


def unit_columns() -> list[Column]:
    """An administrative unit but its code (admin_units, edition_units)."""
    return [
        Column("name", String(200), nullable=False),
        Column("level", String(10), nullable=False),  # province | district | commune
        Column("parent_code", String(10), nullable=True),
        Column("population", Integer, nullable=True),
    ]


def crosswalk_columns() -> list[Column]:
    """A line of a commune crosswalk (commune_crosswalk, edition_crosswalk): an old commune,
    its district, its successor (NULL when none is known) and how (full | partial | NULL)."""
    return [
        Column("old_code", String(10), nullable=False),
        Column("old_name", String(200), nullable=False),
        Column("old_district_code", String(10), nullable=False),
        Column("new_code", String(10), nullable=True),
        Column("link_type", String(10), nullable=True),
    ]


# Administrative units that have a polygon: province, former districts, current communes.
admin_units = Table(
    "admin_units",
    metadata,
    Column("code", String(10), primary_key=True),
    *unit_columns(),
)

# Old commune -> current commune (2025-07-01). new_code is NULL when no successor is known.
commune_crosswalk = Table(
    "commune_crosswalk",
    metadata,
    surrogate_id(),
    *crosswalk_columns(),
    UniqueConstraint("old_code", "new_code"),
)

# The agency registry. Codes are reused across the 2025 reform: (code, valid_from) is the key.
# map_district_code / map_commune_code say which polygons the agency's dossiers colour;
# they are derived from the registry, the units and the crosswalk when either is loaded.
agencies = Table(
    "agencies",
    metadata,
    surrogate_id(),
    Column("code", String(20), nullable=False),
    Column("name", String(300), nullable=False),
    Column("kind", String(12), nullable=False),  # department | district | commune
    Column("unit_code", String(10), nullable=False),
    *validity_columns(),
    Column("map_district_code", String(10), nullable=True),
    Column("map_commune_code", String(10), nullable=True),
    UniqueConstraint("code", "valid_from"),
)

dossiers = Table(
    "dossiers",
    metadata,
    Column("dossier_code", String(64), primary_key=True),
    # No foreign key: written only from the registry, whose rows are never deleted, and
    # checked per inserted row it cost a third of the insert (migration 0004_stats_row_fks).
    Column("agency_id", Integer, nullable=False),
    Column("agency_code", String(20), nullable=False),
    Column("procedure_code", String(64), nullable=False),
    Column("procedure_name", Text, nullable=True),
    Column("field_code", String(64), nullable=True),
    Column("field_name", Text, nullable=True),
    Column("online_level", String(8), nullable=True),  # full | partial | NULL
    Column("channel", SmallInteger, nullable=False),  # 1 direct, 2 online, 3 postal
    Column("status", SmallInteger, nullable=False),  # 1..10, national portal codes
    Column("submitted_at", DateTime, nullable=True),
    Column("received_at", DateTime, nullable=True),
    Column("due_at", DateTime, nullable=True),
    Column("finished_at", DateTime, nullable=True),
    Column("returned_at", DateTime, nullable=True),
    Column("received_on", Date, nullable=True),
    Column("due_on", Date, nullable=True),
    Column("finished_on", Date, nullable=True),
    Column("supplement_count", Integer, nullable=False, default=0),
    Column("supplement_days", Float, nullable=False, default=0.0),
    Column("has_fee", Boolean, nullable=True),
    Column("paid_online", Boolean, nullable=True),
    Column("e_result", Boolean, nullable=True),
    Column("digitized", Boolean, nullable=True),
    Column("reused_data", Boolean, nullable=True),
    Column("handler_id", String(64), nullable=True),
    Column("rating", String(12), nullable=True),
    Column("updated_at", DateTime, nullable=False),
    Column("imported_at", DateTime, nullable=False),
    Index("ix_dossiers_agency_received", "agency_id", "received_on"),
    Index("ix_dossiers_updated_at", "updated_at"),
    # Period reports (migrations 0002_reports, 0002_reports_b): dossiers received in a period,
    # or received before it and ended in or after it; and the small set of dossiers that
    # never ended (predicate equal to dossier_stats.bieu06.query.OPEN_SQL, or PostgreSQL ignores
    # the index). On PostgreSQL they carry the columns the reports read (index-only scans).
    Index(
        "ix_dossiers_received_finished",
        "received_on",
        "finished_on",
        # dossier_code (migration 0002_reports_c): the overdue list picks its page index-only
        postgresql_include=[*REPORT_COLUMNS, "dossier_code"],
    ),
    Index(
        "ix_dossiers_open_received",
        "received_on",
        postgresql_where=text("status NOT IN (7, 9, 10) OR finished_on IS NULL"),
        sqlite_where=text("status NOT IN (7, 9, 10) OR finished_on IS NULL"),
        postgresql_include=["finished_on", *REPORT_COLUMNS],
    ),
    # The open dossiers by deadline (migration asof_0001): the as-of counts of a running
    # month (dossier_stats.asof) and the early warning (dossier_stats.warnings).
    Index(
        "ix_dossiers_open_due",
        "due_on",
        postgresql_where=text("status NOT IN (7, 9, 10) OR finished_on IS NULL"),
        sqlite_where=text("status NOT IN (7, 9, 10) OR finished_on IS NULL"),
        postgresql_include=["received_on", "status", "channel", "agency_id", "finished_on"],
    ),
)

# The open dossiers in the overdue list's order (migration asof_0002): deadline (due date,
# else reception day), then code; the first page of the most overdue is the first entries
# that pass the filters on the included columns (dossier_stats.overdue).
Index(
    "ix_dossiers_open_deadline",
    func.coalesce(dossiers.c.due_on, dossiers.c.received_on),
    dossiers.c.dossier_code,
    postgresql_where=text("status NOT IN (7, 9, 10) OR finished_on IS NULL"),
    sqlite_where=text("status NOT IN (7, 9, 10) OR finished_on IS NULL"),
    postgresql_include=["due_on", "received_on", "status", "agency_id", "finished_on"],
)

# Monthly deltas per agency, maintained incrementally by the importer (dossier_stats.aggregates).
# Flow columns count events in the month; d_pending_* are changes of the pending stock at
# month end, so the stock at the end of month M is the sum of the deltas of months <= M.
agency_month_stats = Table(
    "agency_month_stats",
    metadata,
    Column("agency_id", Integer, ForeignKey("agencies.id"), primary_key=True),
    Column("month", Integer, primary_key=True),  # yyyymm
    Column("received_online", Integer, nullable=False, default=0),
    Column("received_direct", Integer, nullable=False, default=0),
    Column("received_postal", Integer, nullable=False, default=0),
    Column("resolved_early", Integer, nullable=False, default=0),
    Column("resolved_on_time", Integer, nullable=False, default=0),
    Column("resolved_late", Integer, nullable=False, default=0),
    Column("withdrawn", Integer, nullable=False, default=0),
    Column("d_pending_within", Integer, nullable=False, default=0),
    Column("d_pending_overdue", Integer, nullable=False, default=0),
    Column("d_pending_paused", Integer, nullable=False, default=0),
    Index("ix_agency_month_stats_month", "month"),
)

import_runs = Table(
    "import_runs",
    metadata,
    surrogate_id(),
    Column("kind", String(20), nullable=False),  # agencies | dossiers
    Column("source_file", Text, nullable=False),
    Column("started_at", DateTime, nullable=False),
    Column("finished_at", DateTime, nullable=True),
    Column("rows_read", Integer, nullable=False, default=0),
    Column("inserted", Integer, nullable=False, default=0),
    Column("updated", Integer, nullable=False, default=0),
    Column("unchanged", Integer, nullable=False, default=0),
    Column("quarantined", Integer, nullable=False, default=0),
    Column("status", String(20), nullable=False),  # running | done | rejected | failed | interrupted
    Column("message", Text, nullable=True),
    # "host:pid" of the process running the import, NULL once it ended (importer.runs)
    Column("owner", String(200), nullable=True),
)

# Rows that broke a rule: kept whole, with the rule and where they came from.
quarantine = Table(
    "quarantine",
    metadata,
    surrogate_id(),
    Column("import_run_id", Integer, ForeignKey("import_runs.id"), nullable=False),
    Column("source_file", Text, nullable=False),
    Column("line_no", Integer, nullable=False),
    Column("rule", String(60), nullable=False),
    Column("message", Text, nullable=False),
    Column("raw_row", Text, nullable=False),  # JSON object of the row as read
    Column("created_at", DateTime, nullable=False),
)

# Secondary indexes of `dossiers` dropped for a bulk load (importer.deferred_indexes), with
# the statement that recreates each exactly as the database wrote it. Empty except while a
# load runs, or after one was killed: the next import rebuilds what is listed here.
deferred_indexes = Table(
    "deferred_indexes",
    metadata,
    Column("name", String(120), primary_key=True),
    Column("table_name", String(120), nullable=False),
    Column("definition", Text, nullable=False),
    Column("dropped_at", DateTime, nullable=False),
)

# One row: bumped whenever imported data changes, so readers can tell "nothing changed".
data_state = counter_table("data_state")
