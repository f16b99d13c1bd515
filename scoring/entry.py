"""One action of the entry page on a unit's scores, in one transaction: save a step's items,
lock the self-assessment (saving the typed items first: both or neither), or unlock it —
and the protection of two people editing the same scorecard.

The page (callbacks/scoring/entry.py) parses what was typed into items and calls
`save_step`; which writer a step uses, the index version of the year and group, and the
transaction are decided here. A refusal raises WorkflowError or PermissionDenied and
nothing is written. Every writer checks permission itself (accounts.permissions).

With `seen` the form also sends, per row, the values the person saw when the form was
opened ({row code: {column: value}}). Before writing, the
version's row is locked (a no-op UPDATE: a row lock on PostgreSQL, the write lock on
SQLite), so concurrent saves of the same version run one after the other; then every
changed row whose stored values are no longer what the person saw — someone else saved
it in the meantime — is left out: nothing of that row is written, and the outcome names
who saved it, when, and both values. The other rows are written. A lock is refused as a
whole when any row conflicts (locking must not seal values the person has not seen).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, select, update

from accounts.permissions import Actor, PermissionDenied
from db.schema_scoring import scoring_adjustments, scoring_history, scoring_survey, scoring_versions
from scoring import workflow
from scoring.definition import GROUPS
from scoring.survey_adjustments import set_adjustments, set_survey_results
from scoring.versions import StoredVersion, get_version
from scoring.workflow import Appraisal, Explanation, SelfAssessment, WorkflowError, entry_rows
from vi_format import format_datetime, format_points

WORKFLOW_STEPS = ("self", "appraisal1", "explanation", "final")
STEPS = (*WORKFLOW_STEPS, "survey", "adjustments")  # survey and bonus/penalty: outside the workflow


@dataclass(frozen=True)
class DirectPoints:
    """Points entered outside the workflow: a survey sub-criterion or a bonus/penalty line
    (None removes the stored points)."""

    code: str
    points: float | None


EntryItem = SelfAssessment | Appraisal | Explanation | DirectPoints
Seen = Mapping[str, Mapping[str, Any]]  # row code -> {column: value shown when the form opened}
ACTIONS = ("save", "lock", "unlock")

# The stored columns of each step's row, as `seen` names them.
STEP_COLUMNS: dict[str, tuple[str, ...]] = {
    "self": ("self_points", "evidence", "self_note"),
    "appraisal1": ("appraisal1_points", "appraisal1_note"),
    "explanation": ("explanation",),
    "final": ("final_points", "final_note"),
    "survey": ("points",),
    "adjustments": ("points",),
}
COLUMN_LABELS = {
    "self_points": "điểm",
    "appraisal1_points": "điểm",
    "final_points": "điểm",
    "points": "điểm",
    "evidence": "minh chứng",
    "self_note": "ghi chú",
    "appraisal1_note": "ý kiến thẩm định",
    "final_note": "ý kiến thẩm định",
    "explanation": "giải trình",
}


def _by_code(write: Callable[..., int]) -> Callable[..., int]:
    """A scoring.survey_adjustments writer ({code: points}) called with the form's items."""

    def write_items(
        conn: Connection, version: StoredVersion, unit: str, items: list[EntryItem], who: Actor
    ) -> int:
        points: Mapping[str, float | None] = {i.code: i.points for i in items if isinstance(i, DirectPoints)}
        return write(conn, version, unit, points, who)

    return write_items


STEP_WRITERS: dict[str, Callable[..., int]] = {  # step -> writer(conn, version, unit, items, actor)
    "self": workflow.set_self_assessment,
    "appraisal1": workflow.set_appraisal1,
    "explanation": workflow.set_explanation,
    "final": workflow.set_appraisal2,
    "survey": _by_code(set_survey_results),
    "adjustments": _by_code(set_adjustments),
}


def item_values(step: str, item: EntryItem) -> dict[str, Any]:
    """The stored columns an item sets, as the workflow will store them (texts stripped)."""

    def clean(text: str | None) -> str | None:
        return text.strip() or None if isinstance(text, str) else None

    def points(value: float | None) -> float | None:
        return None if value is None else float(value)

    if isinstance(item, SelfAssessment):
        return {
            "self_points": points(item.points),
            "evidence": clean(item.evidence),
            "self_note": clean(item.note),
        }
    if isinstance(item, Explanation):
        return {"explanation": clean(item.text)}
    if isinstance(item, Appraisal):
        prefix = "appraisal1" if step == "appraisal1" else "final"
        return {f"{prefix}_points": points(item.points), f"{prefix}_note": clean(item.note)}
    return {"points": points(item.points)}


def stored_values(
    conn: Connection, version: StoredVersion, unit_code: str, step: str
) -> dict[str, dict[str, Any]]:
    """{row code: {column: stored value}} of the step's rows that exist."""
    columns = STEP_COLUMNS[step]
    if step in ("survey", "adjustments"):
        table, key = (scoring_survey, "item_code") if step == "survey" else (scoring_adjustments, "line_code")
        t = table.c
        rows = conn.execute(
            select(t[key], t.points).where(t.version_id == version.id, t.unit_code == unit_code)
        )
        return {code: {"points": points} for code, points in rows}
    return {
        code: {c: row[c] for c in columns} for code, row in entry_rows(conn, version.id, unit_code).items()
    }


@dataclass(frozen=True)
class Conflict:
    """A changed row someone else saved after the form was opened: not written."""

    code: str
    row_kind: str  # "Tiêu chí" or "Dòng" (a bonus/penalty line)
    changed_by: str | None
    changed_at: datetime | None
    theirs: Mapping[str, Any]  # what is stored now
    yours: Mapping[str, Any]  # what this person sent

    def message(self) -> str:
        differing = [c for c in self.yours if self.theirs.get(c) != self.yours[c]] or list(self.yours)
        who = self.changed_by or "người khác"
        when = f" lúc {format_datetime(self.changed_at)}" if self.changed_at else ""
        theirs = ", ".join(_shown(c, self.theirs.get(c)) for c in differing)
        yours = ", ".join(_shown(c, self.yours[c]) for c in differing)
        return (
            f"{self.row_kind} {self.code}: {who} đã lưu dòng này{when}, sau khi anh/chị mở phiếu — "
            f"giá trị đã lưu: {theirs}; anh/chị nhập: {yours}. "
            "Dòng này chưa được lưu: xem lại giá trị mới rồi nhập lại nếu cần."
        )


def _shown(column: str, value: Any) -> str:
    label = COLUMN_LABELS.get(column, column)
    if value is None:
        return f"{label} (trống)"
    if isinstance(value, int | float) and not isinstance(value, bool):
        return f"{label} {format_points(float(value))}"
    text = str(value)
    return f"{label} «{text[:80]}{'…' if len(text) > 80 else ''}»"


def _last_change(
    conn: Connection, version_id: int, unit_code: str, code: str
) -> tuple[str | None, datetime | None]:
    h = scoring_history.c
    row = conn.execute(
        select(h.changed_by, h.changed_at)
        .where(h.version_id == version_id, h.unit_code == unit_code, h.item_code == code)
        .order_by(h.id.desc())
        .limit(1)
    ).first()
    return (None, None) if row is None else (row.changed_by, row.changed_at)


def hold_version(conn: Connection, version_id: int) -> None:
    """Take the version's write lock until the transaction ends (saves of the version queue)."""
    v = scoring_versions.c
    conn.execute(update(scoring_versions).where(v.id == version_id).values(name=v.name))


def split_conflicts(
    conn: Connection,
    version: StoredVersion,
    unit_code: str,
    step: str,
    items: Sequence[EntryItem],
    seen: Seen,
) -> tuple[list[EntryItem], list[Conflict]]:
    """(items to write, conflicts): a row conflicts when what is stored differs from what the
    person saw and from what the person sends (sending what is already stored is no change)."""
    stored = stored_values(conn, version, unit_code, step)
    blank = dict.fromkeys(STEP_COLUMNS[step])
    kind = "Dòng" if step == "adjustments" else "Tiêu chí"
    keep: list[EntryItem] = []
    conflicts: list[Conflict] = []
    for item in items:
        now = stored.get(item.code, blank)
        saw = {c: seen.get(item.code, {}).get(c) for c in STEP_COLUMNS[step]}
        new = item_values(step, item)
        if item.code not in seen or _same(now, saw):
            keep.append(item)
        elif not _same({c: now[c] for c in new}, new):
            by, at = _last_change(conn, version.id, unit_code, item.code)
            conflicts.append(Conflict(item.code, kind, by, at, now, new))
    return keep, conflicts


def _same(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    def norm(v: Any) -> Any:
        if isinstance(v, int | float) and not isinstance(v, bool):
            return round(float(v), 2)
        return v.strip() or None if isinstance(v, str) else v

    return all(norm(a.get(k)) == norm(b.get(k)) for k in set(a) | set(b))


def unchanged_since_seen(step: str, item: EntryItem, seen: Seen) -> bool:
    """Whether an item only repeats what the form showed for its row (the person did not
    change it: someone else may have since, and it must not be written back)."""
    saw = seen.get(item.code)
    if saw is None:
        return False
    new = item_values(step, item)
    return _same(new, {c: saw.get(c) for c in new})


@dataclass(frozen=True)
class SaveOutcome:
    changed: int  # entries (or lines) written
    conflicts: tuple[Conflict, ...] = ()


def save_step(
    engine_or_conn: Engine | Connection,
    actor: Actor | None,
    unit: str,
    year: int,
    group: str,
    step: str,
    items: Sequence[EntryItem],
    *,
    action: str = "save",
    seen: Seen | None = None,
) -> SaveOutcome:
    """Run one action for the unit's (year, group) version: "save" the step's items, "lock"
    (save them, then lock the self-assessment) or "unlock". With an Engine the action is its
    own transaction; with a Connection the caller's. With `seen`, rows someone else saved
    since the form was opened come back as conflicts, unwritten (a lock with a conflict is
    refused whole)."""
    if actor is None:
        raise PermissionDenied("Cần đăng nhập để nhập, khóa hoặc thẩm định điểm.")
    if step not in STEP_WRITERS or action not in ACTIONS:
        raise ValueError(f"Bước {step!r} hoặc thao tác {action!r} không hợp lệ.")
    if isinstance(engine_or_conn, Engine):
        with engine_or_conn.begin() as conn:
            return save_step(conn, actor, unit, year, group, step, items, action=action, seen=seen)
    conn = engine_or_conn
    version = get_version(conn, year, group)
    if version is None:
        raise WorkflowError([f"Không còn bộ chỉ số năm {year}, nhóm {GROUPS.get(group, group)}."])
    if action == "unlock":
        workflow.unlock_self_assessment(conn, version, unit, actor)
        return SaveOutcome(0)
    conflicts: list[Conflict] = []
    if seen is not None and items:
        hold_version(conn, version.id)
        items, conflicts = split_conflicts(conn, version, unit, step, items, seen)
    if action == "lock" and conflicts:
        raise WorkflowError([c.message() for c in conflicts] + ["Chưa khóa: có dòng người khác vừa lưu."])
    changed = STEP_WRITERS[step](conn, version, unit, list(items), actor) if items else 0
    if action == "lock":
        workflow.lock_self_assessment(conn, version, unit, actor)
    return SaveOutcome(changed, tuple(conflicts))
