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

from db.schema import counter_table, metadata, surrogate_id

WHO = 200  # length of an actor's name


def _stamp(step: str) -> tuple[Column, Column]:
    """Who wrote a step of an entry (`<step>_by`) and when (`<step>_at`)."""
    return Column(f"{step}_by", String(WHO), nullable=True), Column(f"{step}_at", DateTime, nullable=True)


def _version_unit_item(nullable: bool) -> tuple[Column, Column, Column]:
    """The row's scoring version, its unit and its item (a sub-criterion or a bonus/penalty
    line); the unit and the item NULL or not as `nullable` says."""
    return (
        Column("version_id", Integer, ForeignKey("scoring_versions.id"), nullable=False),
        Column("unit_code", String(20), nullable=nullable),
        Column("item_code", String(40), nullable=nullable),
    )


def _points_check(table: str, column: str) -> CheckConstraint:
    return CheckConstraint(
        f"{column} IS NULL OR ({column} >= 0 AND {column} <= max_points)", name=f"ck_{table}_{column}"
    )


scoring_versions = Table(
    "scoring_versions",
    metadata,
    surrogate_id(),
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
    surrogate_id(),
    *_version_unit_item(nullable=False),
    Column("max_points", Float, nullable=False),
    # tự đánh giá
    Column("self_points", Float, nullable=True),
    Column("evidence", Text, nullable=True),
    Column("self_note", Text, nullable=True),
    *_stamp("self"),
    # thẩm định lần 1
    Column("appraisal1_points", Float, nullable=True),
    Column("appraisal1_note", Text, nullable=True),
    *_stamp("appraisal1"),
    # giải trình của đơn vị
    Column("explanation", Text, nullable=True),
    *_stamp("explanation"),
    # thẩm định lần 2 (điểm cuối cùng)
    Column("final_points", Float, nullable=True),
    Column("final_note", Text, nullable=True),
    *_stamp("final"),
    UniqueConstraint("version_id", "unit_code", "item_code"),
    CheckConstraint("max_points > 0", name="ck_scoring_entries_max_points"),
    _points_check("scoring_entries", "self_points"),
    _points_check("scoring_entries", "appraisal1_points"),
    _points_check("scoring_entries", "final_points"),
)


def _direct_points(
    name: str, code_column: str, extra: tuple[Column, ...] = (), checks: tuple[CheckConstraint, ...] = ()
) -> Table:
    """Points entered directly per (version, unit, code), outside the workflow's steps."""
    return Table(
        name,
        metadata,
        Column("version_id", Integer, ForeignKey("scoring_versions.id"), primary_key=True),
        Column("unit_code", String(20), primary_key=True),
        Column(code_column, String(40), primary_key=True),
        *extra,
        Column("max_points", Float, nullable=False),
        Column("points", Float, nullable=False),
        Column("note", Text, nullable=True),
        Column("updated_by", String(WHO), nullable=False),
        Column("updated_at", DateTime, nullable=False),
        *checks,
        _points_check(name, "points"),
    )


scoring_survey = _direct_points("scoring_survey", "item_code")
scoring_adjustments = _direct_points(
    "scoring_adjustments",
    "line_code",
    (Column("kind", String(10), nullable=False),),  # bonus | penalty
    (CheckConstraint("kind IN ('bonus', 'penalty')", name="ck_scoring_adjustments_kind"),),
)

# item_code is a sub-criterion, a bonus/penalty line, or NULL for the unit itself (lock).
scoring_history = Table(
    "scoring_history",
    metadata,
    surrogate_id(),
    *_version_unit_item(nullable=True),
    Column("field", String(40), nullable=False),
    Column("old_value", Text, nullable=True),
    Column("new_value", Text, nullable=True),
    Column("changed_by", String(WHO), nullable=False),
    Column("changed_at", DateTime, nullable=False),
    Index("ix_scoring_history_unit", "version_id", "unit_code", "item_code"),
)

scoring_state = counter_table("scoring_state")
