"""The entry page: URL (unit, year) -> the form of the unit's current step; the step
selector and the action buttons (save, lock, unlock) -> scoring.entry.save_step, then the
form again with what was saved, or with what was typed and every problem next to its row.

Wiring only: the typed values are parsed into the workflow's items (entry_form.py) and
handed to `save_step`, which runs the action in one transaction as the logged-in account
(accounts.web.current_actor; "lock" saves the typed self-assessment first: both or neither). The
ScoringService's cache is keyed by the scoring change counter, so the scorecard, the
results and the map show a saved change on their next request.
"""

from __future__ import annotations

from typing import Any

from dash import ALL, ClientsideFunction, Dash, Input, Output, State, ctx
from dash.exceptions import PreventUpdate

from accounts.permissions import Action, Actor, PermissionDenied, Read, authorize
from callbacks.common import auth
from callbacks.common.services import Services
from callbacks.scoring.common import (
    UnitPage,
    UnitView,
    definition_of,
    draw_table,
    guarded,
    read_request,
    register_unit_page,
    scoring_service,
)
from callbacks.scoring.entry_form import form_values, problems_by_row, step_items
from layouts.scoring.common import prompt_view, unknown_unit_message
from layouts.scoring.entry import entry_form, entry_refusal, entry_view
from layouts.scoring.entry_steps import STEP_LABELS, current_step
from layouts.scoring.ids import ScoringIds
from scoring.entry import ACTIONS, STEPS, Seen, save_step, unchanged_since_seen
from scoring.scorecard import Scorecard
from scoring.service import ScoringService
from scoring.workflow import WorkflowError

SAVED_WHAT = {"survey": "kết quả điều tra xã hội học", "adjustments": "điểm thưởng, điểm trừ"}
ACTION_INPUT = {"type": str(ScoringIds.ENTRY_ACTION), "action": ALL}
COLLECT_JS = ClientsideFunction(namespace="scoring", function_name="collect")
PAGE_NAME = "trang nhập điểm"


def guidance_of(service: ScoringService, card: Scorecard) -> dict[str, str]:
    definition = definition_of(service, card.year, card.group)
    if definition is None:
        return {}
    return {s.code: s.guidance for s in definition.sub_criteria() if s.guidance}


def restricted_view(services: Services) -> UnitView:
    """The form for whoever may see the unit's provisional scores (the unit's own staff,
    Lãnh đạo, Thẩm định); anyone else gets the reason and no scores."""

    def view(service: ScoringService, card: Scorecard, controls: list[Any], messages: list[str]) -> list[Any]:
        refused = auth.refusal(services.settings, Read.PROVISIONAL_SCORES, card.unit_code)
        if refused is not None:
            return prompt_view(controls, messages, refused)
        return entry_view(card, controls=controls, messages=messages, guidance=guidance_of(service, card))

    return view


ENTRY_PAGE = UnitPage(
    (ScoringIds.ENTRY_URL, ScoringIds.ENTRY_CONTENT),
    (ScoringIds.ENTRY_YEAR, ScoringIds.ENTRY_UNIT),
    prompt="Chọn một đơn vị để nhập hoặc thẩm định điểm.",
    name=PAGE_NAME,
)


def write_refusal(actor: Actor | None, action: str | None, step: str, unit: str) -> str | None:
    """Why someone who may not read the unit's scores may not act on them either (the
    write's own refusal, checked first: it names what they tried)."""
    wanted = {"unlock": Action.UNLOCK, "lock": Action.LOCK}.get(action or "", STEP_ACTION.get(step))
    if wanted is None or action is None:
        return None
    if actor is None:
        return "Cần đăng nhập để nhập, khóa hoặc thẩm định điểm."
    try:
        authorize(actor, wanted, unit)
    except PermissionDenied as exc:
        return str(exc)
    return None


STEP_ACTION = {
    "self": Action.SELF_ASSESS,
    "appraisal1": Action.APPRAISE_1,
    "explanation": Action.EXPLAIN,
    "final": Action.APPRAISE_2,
    "survey": Action.SURVEY,
    "adjustments": Action.ADJUST,
}


def success_notice(action: str, step: str, changed: int, actor: Actor) -> list[str]:
    if action == "unlock":
        return [f"Đã mở khóa bản tự đánh giá ({actor.name}): đơn vị sửa được điểm tự đánh giá."]
    if action == "lock":
        saved = f", lưu kèm {changed} tiêu chí" if changed else ""
        return [f"Đã khóa bản tự đánh giá ({actor.name}{saved}). Bước tiếp theo: thẩm định lần 1."]
    if not changed:
        return ["Không có thay đổi nào để lưu."]
    what = SAVED_WHAT.get(step, STEP_LABELS[step].lower())
    rows = "dòng" if step == "adjustments" else "tiêu chí"
    return [f"Đã lưu {what} của {changed} {rows} ({actor.name})."]


def act(
    services: Services,
    search: str | None,
    step: str,
    action: str | None,
    typed: dict,
    actor: Actor | None,
    seen: Seen | None = None,
) -> list[Any]:
    """The form after a step change (`action` None) or an action on what was typed;
    `seen`: what the form showed when drawn (only rows changed since are written, and a
    row someone else saved meanwhile is reported, not overwritten)."""
    service = scoring_service(services)
    request = read_request(service, search)
    year = request.year.year
    card = service.scorecard(request.unit, year) if request.unit and year is not None else None
    if card is None:
        raise LookupError(unknown_unit_message(request.unit or "", year or 0))
    refused = auth.refusal_for(actor, services.settings, Read.PROVISIONAL_SCORES, card.unit_code)
    if refused is not None:  # no scores shown, nothing written
        return entry_refusal([write_refusal(actor, action, step, card.unit_code) or refused])
    guidance = guidance_of(service, card)
    step = step if step in STEPS else current_step(card)
    if action is None:  # the step selector changed
        return entry_form(card, step, guidance=guidance)
    kept = {"typed": typed, "guidance": guidance, "seen": seen}  # the form as the person left it
    found = step_items(card, step, typed) if action != "unlock" else None
    if found is not None and found.problems:
        notice = ["Chưa lưu: có ô điểm không đọc được (xem dòng báo lỗi)."]
        return entry_form(card, step, row_errors=found.problems, notice=notice, **kept)
    items = found.items if found is not None else []
    if seen is not None:
        items = [i for i in items if not unchanged_since_seen(step, i, seen)]
    if action == "save" and not items:
        return entry_form(card, step, notice=["Không có thay đổi nào để lưu."], ok=True, **kept)
    try:
        outcome = save_step(
            service.engine,
            actor,
            card.unit_code,
            card.year,
            card.group,
            step,
            items,
            action=action,
            seen=seen,
        )
    except PermissionDenied as exc:
        return entry_form(card, step, notice=[str(exc)], **kept)
    except WorkflowError as exc:
        codes = [line.code for line in _sub_lines(card)] + [a.code for a in card.adjustments]
        rows, general = problems_by_row(exc.problems, codes)
        notice = [*general, "Chưa lưu gì: sửa các lỗi rồi lưu lại."]
        return entry_form(card, step, row_errors=rows, notice=notice, **kept)
    fresh = service.scorecard(card.unit_code, card.year, card.group) or card
    notice = success_notice(action, step, outcome.changed, actor)  # type: ignore[arg-type]
    if outcome.conflicts:  # the other person's values are on the form now
        notice = [c.message() for c in outcome.conflicts] + (notice if outcome.changed else [])
        return entry_form(fresh, step, notice=notice, ok=False, guidance=guidance)
    return entry_form(fresh, step, notice=notice, ok=True, guidance=guidance)


def _sub_lines(card: Scorecard) -> list[Any]:
    return [s for a in card.areas for c in a.children for s in c.children]


def register(app: Dash, services: Services) -> None:
    register_unit_page(app, services, ENTRY_PAGE, restricted_view)
    draw_table(app, ScoringIds.ENTRY_TABLE, ScoringIds.ENTRY_TABLE_DATA)
    # The browser reads the drawn inputs when an action button is clicked.
    app.clientside_callback(
        COLLECT_JS,
        Output(ScoringIds.ENTRY_SUBMIT, "data"),
        Input(ACTION_INPUT, "n_clicks"),
        prevent_initial_call=True,
    )

    @app.callback(
        Output(ScoringIds.ENTRY_FORM, "children"),
        Input(ScoringIds.ENTRY_STEP, "value"),
        Input(ScoringIds.ENTRY_SUBMIT, "data"),
        State(ScoringIds.ENTRY_URL, "search"),
        State(ScoringIds.ENTRY_SEEN, "data"),
        prevent_initial_call=True,
    )
    def step_or_action(step: str, submit: Any, search: str | None, seen: Any) -> Any:
        if ctx.triggered_id == ScoringIds.ENTRY_STEP:
            action, typed = None, {}
        elif isinstance(submit, dict) and submit.get("action") in ACTIONS:
            action, typed = str(submit["action"]), form_values(submit.get("values"))
        else:
            raise PreventUpdate
        notice = (
            "Chưa lưu được: mất kết nối dữ liệu. Nội dung đang nhập vẫn giữ nguyên — bấm lại khi có kết nối."
            if action
            else "Chưa mở được bước này: mất kết nối dữ liệu."
        )
        shown = seen_of(seen)
        # the logged-in account (never a typed name), read inside the guard: a session that
        # cannot be checked is the database away, like the save itself
        return guarded(
            lambda: act(services, search, step, action, typed, auth.actor(), shown), PAGE_NAME, notice
        )


def seen_of(data: Any) -> Seen | None:
    """The form's `seen` store as sent by the browser ({code: {column: value}}); anything
    else (a forged or an old page's payload) is no `seen`."""
    if not isinstance(data, dict):
        return None
    return {str(code): dict(row) for code, row in data.items() if isinstance(row, dict)}
