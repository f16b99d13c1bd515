"""The assessment workflow, per unit, index version and sub-criterion.

    self-assessment (tự đánh giá: points, evidence, note)  — while the unit has not locked it
    → lock (the unit locks its self-assessment; every assessment sub-criterion must have points)
    → appraisal 1 (thẩm định lần 1)                       — needs the lock, not after appraisal 2
    → explanation (giải trình của đơn vị)                  — needs appraisal 1, not after appraisal 2
    → appraisal 2 (thẩm định lần 2, final)                 — needs appraisal 1

Each function takes the caller's connection (the caller owns the transaction), the
stored version, the unit code, a batch of items and the `Actor` (an account or a trusted
process, never a typed name); it checks permission (`accounts.permissions.authorize`),
checks every item, and raises `WorkflowError` listing every problem before writing
anything. Each write records who and when in the entry, one `scoring_history` row per
changed field (old and new value) and an audit row, and bumps the scoring change counter.
Writing a value equal to the stored one changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, bindparam, insert, select, update

from accounts.permissions import Action, Actor, authorize
from clock import now_local
from db.schema_scoring import scoring_entries, scoring_units
from scoring.definition import SubCriterion
from scoring.history import LOCK_FIELD, Change, record
from scoring.numbers import has_at_most_two_decimals
from scoring.units import scored_units
from scoring.versions import StoredVersion
from vi_format import format_points

MAX_TEXT = 2000  # evidence, notes, explanations


class WorkflowError(ValueError):
    """A refused change; `problems` lists every reason (Vietnamese)."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


@dataclass(frozen=True)
class SelfAssessment:
    code: str
    points: float | None  # None clears the points
    evidence: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class Appraisal:
    code: str
    points: float
    note: str | None = None


@dataclass(frozen=True)
class Explanation:
    code: str
    text: str


# Each step's fields and the columns that record who and when.
STEP_STAMPS = {
    "self": ("self_by", "self_at"),
    "appraisal1": ("appraisal1_by", "appraisal1_at"),
    "explanation": ("explanation_by", "explanation_at"),
    "final": ("final_by", "final_at"),
}


def points_problem(
    sub: SubCriterion | None, code: str, value: Any, max_points: float | None = None
) -> str | None:
    """Why `value` cannot be the points of sub-criterion `code` (None when it can)."""
    if sub is None and max_points is None:
        return f"Tiêu chí {code}: không có trong bộ chỉ số."
    limit = sub.max if sub is not None else max_points
    assert limit is not None
    if isinstance(value, bool) or not isinstance(value, int | float) or value != value:
        return f"Tiêu chí {code}: điểm phải là một số, không phải {value!r}."
    if value < 0:
        return f"Tiêu chí {code}: điểm {format_points(value)} là số âm."
    if value > limit + 1e-9:
        return f"Tiêu chí {code}: điểm {format_points(value)} vượt điểm tối đa {format_points(limit)}."
    if not has_at_most_two_decimals(value):
        return f"Tiêu chí {code}: điểm chỉ lấy tối đa hai chữ số thập phân ({value!r})."
    return None


def text_problem(code: str, label: str, value: str | None) -> str | None:
    if value is not None and len(value) > MAX_TEXT:
        return f"Tiêu chí {code}: {label} dài quá {MAX_TEXT} ký tự."
    return None


def _clean(text: str | None) -> str | None:
    return text.strip() or None if isinstance(text, str) else None


def require_unit(conn: Connection, version: StoredVersion, unit_code: str) -> None:
    codes = {u.code for u in scored_units(conn, version.group, version.year)}
    if unit_code not in codes:
        raise WorkflowError(
            [
                f"Đơn vị '{unit_code}' không thuộc nhóm {version.definition.group_label} được chấm điểm "
                f"năm {version.year}."
            ]
        )


def is_locked(conn: Connection, version_id: int, unit_code: str) -> bool:
    u = scoring_units.c
    row = conn.execute(
        select(u.self_locked_at).where(u.version_id == version_id, u.unit_code == unit_code)
    ).one_or_none()
    return row is not None and row.self_locked_at is not None


def entry_rows(conn: Connection, version_id: int, unit_code: str) -> dict[str, dict[str, Any]]:
    """{item_code: row as a dict} of the unit's entries."""
    e = scoring_entries.c
    rows = conn.execute(select(scoring_entries).where(e.version_id == version_id, e.unit_code == unit_code))
    return {r.item_code: dict(r._mapping) for r in rows}


def _assessment_sub(version: StoredVersion, code: str, problems: list[str]) -> SubCriterion | None:
    sub = version.definition.sub_criterion(code)
    if sub is None:
        problems.append(f"Tiêu chí {code}: không có trong bộ chỉ số năm {version.year}.")
        return None
    if sub.source != "assessment":
        how = "tính tự động từ dữ liệu hồ sơ" if sub.source == "auto" else "lấy từ điều tra xã hội học"
        problems.append(f"Tiêu chí {code}: điểm được {how}, không nhập qua tự đánh giá, thẩm định.")
        return None
    return sub


def _write_entries(
    conn: Connection,
    version: StoredVersion,
    unit_code: str,
    step: str,
    changes: Mapping[str, Mapping[str, Any]],
    existing: Mapping[str, Mapping[str, Any]],
    actor: Actor,
    when: datetime,
) -> int:
    """Apply {item_code: {column: new value}} of one step; history for every changed field.
    Returns how many entries changed."""
    by_col, at_col = STEP_STAMPS[step]
    changes_made: list[Change] = []
    inserts: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    for code, fields in changes.items():
        row = existing.get(code)
        changed = {f: v for f, v in fields.items() if (row[f] if row else None) != v}
        if not changed:
            continue
        changes_made += [Change(unit_code, code, f, row[f] if row else None, v) for f, v in changed.items()]
        values = {**changed, by_col: actor.name, at_col: when}
        if row is None:
            sub = version.definition.sub_criterion(code)
            assert sub is not None
            inserts.append(
                {
                    "version_id": version.id,
                    "unit_code": unit_code,
                    "item_code": code,
                    "max_points": sub.max,
                    **values,
                }
            )
        else:
            updates.append({"b_id": row["id"], **values})
    if inserts:
        for group in _same_keys(inserts):
            conn.execute(insert(scoring_entries), group)
    for group in _same_keys(updates):
        columns = [k for k in group[0] if k != "b_id"]
        conn.execute(
            update(scoring_entries)
            .where(scoring_entries.c.id == bindparam("b_id"))
            .values({c: bindparam(c) for c in columns}),
            group,
        )
    record(conn, version.id, changes_made, actor, when)
    return len(inserts) + len(updates)


def _same_keys(rows: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Rows grouped by their set of keys (executemany needs one shape per statement)."""
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for row in rows:
        groups.setdefault(tuple(sorted(row)), []).append(row)
    return list(groups.values())


def _raise_if(problems: list[str]) -> None:
    if problems:
        raise WorkflowError(problems)


def _set_step(
    conn: Connection,
    version: StoredVersion,
    unit_code: str,
    items: Sequence[Any],
    actor: Actor,
    when: datetime | None,
    step: tuple[Action, str],
    check: Callable[[Any, SubCriterion, Mapping[str, Any], list[str]], dict[str, Any]],
    opening: Callable[[], str | None] = lambda: None,
) -> int:
    """The skeleton every entry step shares: permission for `step` = (action, stamp of
    STEP_STAMPS), the unit, `opening()` (a problem of the unit as a whole), each item's
    sub-criterion and `check(item, sub, stored row, problems)` -> the item's new fields;
    every problem raised together, else the changes written. Returns the entries changed."""
    action, stamp = step
    authorize(actor, action, unit_code)
    require_unit(conn, version, unit_code)
    problems: list[str] = [opening() or ""]
    rows = entry_rows(conn, version.id, unit_code)
    changes: dict[str, dict[str, Any]] = {}
    for item in items:
        sub = _assessment_sub(version, item.code, problems)
        if sub is not None:
            changes[item.code] = check(item, sub, rows.get(item.code) or {}, problems)
    _raise_if([p for p in problems if p])
    return _write_entries(conn, version, unit_code, stamp, changes, rows, actor, when or now_local())


def set_self_assessment(
    conn: Connection,
    version: StoredVersion,
    unit_code: str,
    items: Sequence[SelfAssessment],
    actor: Actor,
    when: datetime | None = None,
) -> int:
    """The unit's self-assessed points, evidence and notes. Refused once the unit has locked
    its self-assessment. Returns the number of entries that changed."""

    def locked() -> str | None:
        if not is_locked(conn, version.id, unit_code):
            return None
        return (
            f"Đơn vị {unit_code} đã khóa bản tự đánh giá năm {version.year}: không sửa được điểm tự đánh giá."
        )

    def check(item: SelfAssessment, sub: SubCriterion, _row: Mapping[str, Any], problems: list[str]) -> dict:
        if item.points is not None:
            problems.append(points_problem(sub, item.code, item.points) or "")
        problems.append(text_problem(item.code, "minh chứng", item.evidence) or "")
        problems.append(text_problem(item.code, "ghi chú", item.note) or "")
        return {
            "self_points": None if item.points is None else float(item.points),
            "evidence": _clean(item.evidence),
            "self_note": _clean(item.note),
        }

    return _set_step(
        conn, version, unit_code, items, actor, when, (Action.SELF_ASSESS, "self"), check, locked
    )


def lock_self_assessment(
    conn: Connection, version: StoredVersion, unit_code: str, actor: Actor, when: datetime | None = None
) -> None:
    """The unit locks its self-assessment; every assessment sub-criterion must have points."""
    authorize(actor, Action.LOCK, unit_code)
    require_unit(conn, version, unit_code)
    when = when or now_local()
    if is_locked(conn, version.id, unit_code):
        raise WorkflowError([f"Đơn vị {unit_code} đã khóa bản tự đánh giá năm {version.year}."])
    rows = entry_rows(conn, version.id, unit_code)
    missing = [
        s.code
        for s in version.definition.sub_criteria()
        if s.source == "assessment" and (rows.get(s.code) or {}).get("self_points") is None
    ]
    if missing:
        shown = ", ".join(missing[:15]) + (f" … (+{len(missing) - 15})" if len(missing) > 15 else "")
        raise WorkflowError(
            [f"Chưa khóa được: {len(missing)} tiêu chí thành phần chưa có điểm tự đánh giá: {shown}."]
        )
    u = scoring_units.c
    found = conn.execute(
        update(scoring_units)
        .where(u.version_id == version.id, u.unit_code == unit_code)
        .values(self_locked_at=when, self_locked_by=actor.name)
    )
    if found.rowcount == 0:
        conn.execute(
            insert(scoring_units).values(
                version_id=version.id, unit_code=unit_code, self_locked_at=when, self_locked_by=actor.name
            )
        )
    record(conn, version.id, [Change(unit_code, None, LOCK_FIELD, "false", "true")], actor, when)


def unlock_self_assessment(
    conn: Connection, version: StoredVersion, unit_code: str, actor: Actor, when: datetime | None = None
) -> None:
    """Return the self-assessment to the unit for correction; only before any appraisal 1."""
    authorize(actor, Action.UNLOCK, unit_code)
    when = when or now_local()
    if not is_locked(conn, version.id, unit_code):
        raise WorkflowError([f"Bản tự đánh giá của đơn vị {unit_code} chưa khóa."])
    rows = entry_rows(conn, version.id, unit_code)
    if any(r["appraisal1_points"] is not None for r in rows.values()):
        raise WorkflowError(
            [f"Đơn vị {unit_code} đã có điểm thẩm định lần 1: không mở khóa tự đánh giá được."]
        )
    u = scoring_units.c
    conn.execute(
        update(scoring_units)
        .where(u.version_id == version.id, u.unit_code == unit_code)
        .values(self_locked_at=None, self_locked_by=None)
    )
    record(conn, version.id, [Change(unit_code, None, LOCK_FIELD, "true", "false")], actor, when)


def _appraisal_problems(sub: SubCriterion, item: Appraisal, problems: list[str]) -> None:
    problems.append(points_problem(sub, item.code, item.points) or "")
    problems.append(text_problem(item.code, "ý kiến thẩm định", item.note) or "")


def set_appraisal1(
    conn: Connection,
    version: StoredVersion,
    unit_code: str,
    items: Sequence[Appraisal],
    actor: Actor,
    when: datetime | None = None,
) -> int:
    """Appraisal 1 (thẩm định lần 1) after the unit locked its self-assessment, before appraisal 2."""

    def not_locked() -> str | None:
        if is_locked(conn, version.id, unit_code):
            return None
        return f"Đơn vị {unit_code} chưa khóa bản tự đánh giá: chưa thẩm định lần 1 được."

    def check(item: Appraisal, sub: SubCriterion, row: Mapping[str, Any], problems: list[str]) -> dict:
        _appraisal_problems(sub, item, problems)
        if row.get("final_points") is not None:
            problems.append(f"Tiêu chí {item.code}: đã có điểm thẩm định lần 2, không sửa thẩm định lần 1.")
        return {"appraisal1_points": float(item.points), "appraisal1_note": _clean(item.note)}

    step = (Action.APPRAISE_1, "appraisal1")
    return _set_step(conn, version, unit_code, items, actor, when, step, check, not_locked)


def set_explanation(
    conn: Connection,
    version: StoredVersion,
    unit_code: str,
    items: Sequence[Explanation],
    actor: Actor,
    when: datetime | None = None,
) -> int:
    """The unit's explanation (giải trình) of an appraised sub-criterion, before appraisal 2."""

    def check(item: Explanation, _sub: SubCriterion, row: Mapping[str, Any], problems: list[str]) -> dict:
        if row.get("appraisal1_points") is None:
            problems.append(f"Tiêu chí {item.code}: chưa có điểm thẩm định lần 1 để giải trình.")
        elif row.get("final_points") is not None:
            problems.append(f"Tiêu chí {item.code}: đã thẩm định lần 2, không nhận giải trình nữa.")
        problems.append(text_problem(item.code, "giải trình", item.text) or "")
        return {"explanation": _clean(item.text)}

    return _set_step(conn, version, unit_code, items, actor, when, (Action.EXPLAIN, "explanation"), check)


def set_appraisal2(
    conn: Connection,
    version: StoredVersion,
    unit_code: str,
    items: Sequence[Appraisal],
    actor: Actor,
    when: datetime | None = None,
) -> int:
    """Appraisal 2 (thẩm định lần 2): the final points, only after appraisal 1 of that sub-criterion."""

    def check(item: Appraisal, sub: SubCriterion, row: Mapping[str, Any], problems: list[str]) -> dict:
        _appraisal_problems(sub, item, problems)
        if row.get("appraisal1_points") is None:
            problems.append(f"Tiêu chí {item.code}: chưa thẩm định lần 1, chưa thẩm định lần 2 được.")
        return {"final_points": float(item.points), "final_note": _clean(item.note)}

    return _set_step(conn, version, unit_code, items, actor, when, (Action.APPRAISE_2, "final"), check)
