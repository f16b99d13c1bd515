"""One action of the entry page on a unit's scores, in one transaction: save a step's items,
lock the self-assessment (saving the typed items first: both or neither), or unlock it.

The page (callbacks/scoring/entry.py) parses what was typed into items and calls
`save_step`; which writer a step uses, the index version of the year and group, and the
transaction are decided here. A refusal raises WorkflowError or PermissionDenied and
nothing is written. Every writer checks permission itself (scoring.permissions).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, Engine

from scoring import workflow
from scoring.definition import GROUPS
from scoring.permissions import Actor
from scoring.survey_adjustments import set_adjustments, set_survey_results
from scoring.versions import StoredVersion, get_version
from scoring.workflow import Appraisal, Explanation, SelfAssessment, WorkflowError

WORKFLOW_STEPS = ("self", "appraisal1", "explanation", "final")
STEPS = (*WORKFLOW_STEPS, "survey", "adjustments")  # survey and bonus/penalty: outside the workflow
ACTIONS = ("save", "lock", "unlock")


@dataclass(frozen=True)
class DirectPoints:
    """Points entered outside the workflow: a survey sub-criterion or a bonus/penalty line
    (None removes the stored points)."""

    code: str
    points: float | None


EntryItem = SelfAssessment | Appraisal | Explanation | DirectPoints


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


def save_step(
    engine_or_conn: Engine | Connection,
    actor: Actor,
    unit: str,
    year: int,
    group: str,
    step: str,
    items: Sequence[EntryItem],
    *,
    action: str = "save",
) -> int:
    """Run one action for the unit's (year, group) version: "save" the step's items, "lock"
    (save them, then lock the self-assessment) or "unlock". Returns how many entries changed.
    With an Engine the action is its own transaction; with a Connection the caller's."""
    if step not in STEP_WRITERS or action not in ACTIONS:
        raise ValueError(f"Bước {step!r} hoặc thao tác {action!r} không hợp lệ.")
    if isinstance(engine_or_conn, Engine):
        with engine_or_conn.begin() as conn:
            return save_step(conn, actor, unit, year, group, step, items, action=action)
    conn = engine_or_conn
    version = get_version(conn, year, group)
    if version is None:
        raise WorkflowError([f"Không còn bộ chỉ số năm {year}, nhóm {GROUPS.get(group, group)}."])
    if action == "unlock":
        workflow.unlock_self_assessment(conn, version, unit, actor)
        return 0
    changed = STEP_WRITERS[step](conn, version, unit, list(items), actor) if items else 0
    if action == "lock":
        workflow.lock_self_assessment(conn, version, unit, actor)
    return changed
