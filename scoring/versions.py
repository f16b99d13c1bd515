"""Index versions in the database: one definition per (year, unit group).

Loading a file whose year and group already exist replaces the stored definition when
it differs, provided every value already entered still fits (its sub-criterion or line
still exists with the same source and a maximum at least the stored points); otherwise
the load is refused with the list of conflicts. Loading the same file again changes
nothing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Literal

from sqlalchemy import Connection, Engine, bindparam, insert, select, update

from accounts import audit
from accounts.audit import AuditAction
from accounts.permissions import Action, Actor, authorize
from clock import now_local
from db.schema_scoring import (
    scoring_adjustments,
    scoring_entries,
    scoring_history,
    scoring_survey,
    scoring_versions,
)
from scoring import state
from scoring.definition import GROUPS, IndexDefinition
from scoring.loader import canonical_json, checksum, parse_definition, read_definition
from vi_format import format_points


class VersionConflict(ValueError):
    """A new definition that does not fit the values already entered."""


@dataclass(frozen=True)
class StoredVersion:
    id: int
    year: int
    group: str
    name: str
    source_file: str
    loaded_at: datetime
    loaded_by: str
    checksum: str
    definition: IndexDefinition


@dataclass(frozen=True)
class LoadOutcome:
    version: StoredVersion
    status: Literal["new", "unchanged", "replaced"]

    def format_vi(self) -> str:
        d = self.version.definition
        verb = {"new": "Đã nạp", "unchanged": "Không đổi (đã nạp trước đó)", "replaced": "Đã thay"}[
            self.status
        ]
        criteria = sum(len(a.criteria) for a in d.areas)
        subs = len(list(d.sub_criteria()))
        return (
            f"{verb} bộ chỉ số năm {d.year}, nhóm {d.group_label} (phiên bản #{self.version.id}): "
            f"{len(d.areas)} lĩnh vực, {criteria} tiêu chí, {subs} tiêu chí thành phần, "
            f"tối đa {format_points(d.max_total)} điểm "
            f"(điều tra xã hội học {format_points(d.survey_share)}).\n"
            f"  {d.name}"
        )


@lru_cache(maxsize=64)
def _definition_from_json(text: str) -> IndexDefinition:
    return parse_definition(json.loads(text), "(cơ sở dữ liệu)")


def _stored(row: object) -> StoredVersion:
    return StoredVersion(
        id=row.id,  # type: ignore[attr-defined]
        year=row.year,  # type: ignore[attr-defined]
        group=row.group_key,  # type: ignore[attr-defined]
        name=row.name,  # type: ignore[attr-defined]
        source_file=row.source_file,  # type: ignore[attr-defined]
        loaded_at=row.loaded_at,  # type: ignore[attr-defined]
        loaded_by=row.loaded_by,  # type: ignore[attr-defined]
        checksum=row.checksum,  # type: ignore[attr-defined]
        definition=_definition_from_json(row.definition_json),  # type: ignore[attr-defined]
    )


def get_version(conn: Connection, year: int, group: str) -> StoredVersion | None:
    row = conn.execute(
        select(scoring_versions).where(scoring_versions.c.year == year, scoring_versions.c.group_key == group)
    ).one_or_none()
    return None if row is None else _stored(row)


def version_by_id(conn: Connection, version_id: int) -> StoredVersion | None:
    row = conn.execute(select(scoring_versions).where(scoring_versions.c.id == version_id)).one_or_none()
    return None if row is None else _stored(row)


def list_versions(conn: Connection) -> list[StoredVersion]:
    """Every stored version, newest year first, then in group order."""
    rows = conn.execute(select(scoring_versions)).all()
    order = list(GROUPS)
    return sorted((_stored(r) for r in rows), key=lambda v: (-v.year, order.index(v.group)))


def _conflicts(conn: Connection, version_id: int, new: IndexDefinition) -> list[str]:
    """Values already entered that the new definition would not hold."""
    subs = {s.code: s for s in new.sub_criteria()}
    found: list[str] = []

    def check(table: str, unit: str, code: str, points: float, fits: bool, limit: float | None) -> None:
        if not fits:
            found.append(f"{table} {unit} {code}: không còn trong bộ chỉ số mới (hoặc khác nguồn điểm)")
        elif limit is not None and points > limit:
            found.append(
                f"{table} {unit} {code}: điểm {format_points(points)} "
                f"vượt điểm tối đa mới {format_points(limit)}"
            )

    e = scoring_entries.c
    for r in conn.execute(
        select(e.unit_code, e.item_code, e.self_points, e.appraisal1_points, e.final_points).where(
            e.version_id == version_id
        )
    ):
        sub = subs.get(r.item_code)
        fits = sub is not None and sub.source == "assessment"
        points = max(p for p in (r.self_points, r.appraisal1_points, r.final_points, 0.0) if p is not None)
        check("Điểm", r.unit_code, r.item_code, points, fits, sub.max if sub else None)
    s = scoring_survey.c
    for r in conn.execute(select(s.unit_code, s.item_code, s.points).where(s.version_id == version_id)):
        sub = subs.get(r.item_code)
        fits = sub is not None and sub.source == "survey"
        check("Điều tra", r.unit_code, r.item_code, r.points, fits, sub.max if sub else None)
    a = scoring_adjustments.c
    for r in conn.execute(
        select(a.unit_code, a.line_code, a.kind, a.points).where(a.version_id == version_id)
    ):
        line = new.adjustment_line(r.line_code)
        fits = line is not None and line[0] == r.kind
        check("Thưởng/trừ", r.unit_code, r.line_code, r.points, fits, line[1].max if line else None)
    return found


def _update_maxima(conn: Connection, version_id: int, new: IndexDefinition) -> None:
    maxima = [{"v": version_id, "c": s.code, "m": s.max} for s in new.sub_criteria()]
    lines = [
        {"v": version_id, "c": line.code, "m": line.max}
        for group in (new.bonus, new.penalty)
        for line in group.lines
    ]
    for table, column, params in (
        (scoring_entries, "item_code", maxima),
        (scoring_survey, "item_code", maxima),
        (scoring_adjustments, "line_code", lines),
    ):
        if params:
            conn.execute(
                update(table)
                .where(table.c.version_id == bindparam("v"), table.c[column] == bindparam("c"))
                .values(max_points=bindparam("m")),
                params,
            )


def store_definition(
    conn: Connection,
    definition: IndexDefinition,
    raw: object,
    source_file: str,
    actor: Actor,
    when: datetime | None = None,
) -> LoadOutcome:
    """Insert or replace the version of (year, group); VersionConflict when entered values
    would no longer fit. Only an administrator (or a trusted process) loads definitions."""
    authorize(actor, Action.LOAD_DEFINITION)
    when = when or now_local()
    text = canonical_json(raw)  # type: ignore[arg-type]
    digest = checksum(text)
    existing = get_version(conn, definition.year, definition.group)
    values = {
        "name": definition.name,
        "definition_json": text,
        "checksum": digest,
        "source_file": source_file,
        "loaded_at": when,
        "loaded_by": actor.name,
    }
    if existing is not None and existing.checksum == digest:
        return LoadOutcome(existing, "unchanged")
    if existing is None:
        conn.execute(
            insert(scoring_versions).values(year=definition.year, group_key=definition.group, **values)
        )
        status: Literal["new", "replaced"] = "new"
    else:
        conflicts = _conflicts(conn, existing.id, definition)
        if conflicts:
            shown = "\n".join(f"  - {c}" for c in conflicts[:30])
            more = f"\n  … và {len(conflicts) - 30} mục nữa" if len(conflicts) > 30 else ""
            raise VersionConflict(
                f"Không thể thay bộ chỉ số năm {definition.year}, nhóm {definition.group_label}: "
                f"{len(conflicts)} giá trị đã nhập không phù hợp bộ chỉ số mới:\n{shown}{more}"
            )
        conn.execute(update(scoring_versions).where(scoring_versions.c.id == existing.id).values(**values))
        _update_maxima(conn, existing.id, definition)
        conn.execute(
            insert(scoring_history).values(
                version_id=existing.id,
                field="definition",
                old_value=existing.checksum,
                new_value=digest,
                changed_by=actor.name,
                changed_at=when,
            )
        )
        status = "replaced"
    state.bump(conn, when)
    stored = get_version(conn, definition.year, definition.group)
    assert stored is not None
    audit.record(
        conn,
        AuditAction.DEFINITION_LOAD,
        actor,
        target=f"bộ chỉ số năm {definition.year}, {definition.group_label} (#{stored.id})",
        detail=f"{'nạp mới' if status == 'new' else 'thay thế'}: {source_file} (sha256 {digest[:12]}…)",
        when=when,
    )
    return LoadOutcome(stored, status)


def load_file(engine: Engine, path: Path, actor: Actor) -> LoadOutcome:
    """Read, validate and store a definition file (DefinitionError / VersionConflict on refusal)."""
    definition, raw = read_definition(path)
    with engine.begin() as conn:
        return store_definition(conn, definition, raw, str(path), actor)
