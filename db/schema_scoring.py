"""Tables of the PAR-index scoring (chấm điểm chỉ số cải cách hành chính), on db.schema.metadata.

- scoring_versions: one index definition per (year, unit group), the validated file
  kept as JSON text.
- scoring_units: per unit and version, the lock of the self-assessment.
- scoring_entries: per unit, version and sub-criterion, the four steps of the workflow
  (self-assessment with evidence → appraisal 1 → the unit's explanation → appraisal 2,
  final), each with who and when.
- scoring_survey: survey results per unit, version and survey sub-criterion.
- scoring_adjustments: bonus and penalty lines per unit and version.
- scoring_history: one row per changed field of any of the above (old and new value).
- scoring_state: one row, bumped on every scoring change (cache key of the service).

Units are agencies by code (departments, district committees, communes); which agency
version a code means follows from the version's year. Every stored points value carries
the maximum it was checked against, so a CHECK keeps it within 0..max.
"""

from __future__ import annotations

from sqlalchemy import (
    CheckConstraint,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from db.schema import metadata

WHO = 200  # length of an actor's name


def _points_check(table: str, column: str) -> CheckConstraint:
    return CheckConstraint(
        f"{column} IS NULL OR ({column} >= 0 AND {column} <= max_points)", name=f"ck_{table}_{column}"
    )


scoring_versions = Table(
    "scoring_versions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("year", Integer, nullable=False),
    Column("group_key", String(20), nullable=False),  # departments | districts | communes
    Column("name", Text, nullable=False),
    Column("definition_json", Text, nullable=False),
    Column("checksum", String(64), nullable=False),  # sha256 of definition_json
    Column("source_file", Text, nullable=False),
    Column("loaded_at", DateTime, nullable=False),
    Column("loaded_by", String(WHO), nullable=False),
    UniqueConstraint("year", "group_key"),
)

scoring_units = Table(
    "scoring_units",
    metadata,
    Column("version_id", Integer, ForeignKey("scoring_versions.id"), primary_key=True),
    Column("unit_code", String(20), primary_key=True),
    Column("self_locked_at", DateTime, nullable=True),
    Column("self_locked_by", String(WHO), nullable=True),
)

scoring_entries = Table(
    "scoring_entries",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("version_id", Integer, ForeignKey("scoring_versions.id"), nullable=False),
    Column("unit_code", String(20), nullable=False),
    Column("item_code", String(40), nullable=False),
    Column("max_points", Float, nullable=False),
    # tự đánh giá
    Column("self_points", Float, nullable=True),
    Column("evidence", Text, nullable=True),
    Column("self_note", Text, nullable=True),
    Column("self_by", String(WHO), nullable=True),
    Column("self_at", DateTime, nullable=True),
    # thẩm định lần 1
    Column("appraisal1_points", Float, nullable=True),
    Column("appraisal1_note", Text, nullable=True),
    Column("appraisal1_by", String(WHO), nullable=True),
    Column("appraisal1_at", DateTime, nullable=True),
    # giải trình của đơn vị
    Column("explanation", Text, nullable=True),
    Column("explanation_by", String(WHO), nullable=True),
    Column("explanation_at", DateTime, nullable=True),
    # thẩm định lần 2 (điểm cuối cùng)
    Column("final_points", Float, nullable=True),
    Column("final_note", Text, nullable=True),
    Column("final_by", String(WHO), nullable=True),
    Column("final_at", DateTime, nullable=True),
    UniqueConstraint("version_id", "unit_code", "item_code"),
    CheckConstraint("max_points > 0", name="ck_scoring_entries_max_points"),
    _points_check("scoring_entries", "self_points"),
    _points_check("scoring_entries", "appraisal1_points"),
    _points_check("scoring_entries", "final_points"),
)

scoring_survey = Table(
    "scoring_survey",
    metadata,
    Column("version_id", Integer, ForeignKey("scoring_versions.id"), primary_key=True),
    Column("unit_code", String(20), primary_key=True),
    Column("item_code", String(40), primary_key=True),
    Column("max_points", Float, nullable=False),
    Column("points", Float, nullable=False),
    Column("note", Text, nullable=True),
    Column("updated_by", String(WHO), nullable=False),
    Column("updated_at", DateTime, nullable=False),
    _points_check("scoring_survey", "points"),
)

scoring_adjustments = Table(
    "scoring_adjustments",
    metadata,
    Column("version_id", Integer, ForeignKey("scoring_versions.id"), primary_key=True),
    Column("unit_code", String(20), primary_key=True),
    Column("line_code", String(40), primary_key=True),
    Column("kind", String(10), nullable=False),  # bonus | penalty
    Column("max_points", Float, nullable=False),
    Column("points", Float, nullable=False),
    Column("note", Text, nullable=True),
    Column("updated_by", String(WHO), nullable=False),
    Column("updated_at", DateTime, nullable=False),
    CheckConstraint("kind IN ('bonus', 'penalty')", name="ck_scoring_adjustments_kind"),
    _points_check("scoring_adjustments", "points"),
)

# item_code is a sub-criterion, a bonus/penalty line, or NULL for the unit itself (lock).
scoring_history = Table(
    "scoring_history",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("version_id", Integer, ForeignKey("scoring_versions.id"), nullable=False),
    Column("unit_code", String(20), nullable=True),
    Column("item_code", String(40), nullable=True),
    Column("field", String(40), nullable=False),
    Column("old_value", Text, nullable=True),
    Column("new_value", Text, nullable=True),
    Column("changed_by", String(WHO), nullable=False),
    Column("changed_at", DateTime, nullable=False),
    Index("ix_scoring_history_unit", "version_id", "unit_code", "item_code"),
)

scoring_state = Table(
    "scoring_state",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("version", Integer, nullable=False, default=0),
    Column("updated_at", DateTime, nullable=True),
)
