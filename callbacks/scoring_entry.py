"""The entry page: URL (unit, year) -> the form of the unit's current step; the step
selector and the action buttons (save, lock, unlock) -> the workflow, then the form again
with what was saved, or with what was typed and every problem next to its row.

Each action runs in one transaction through scoring.entry.apply_action as the logged-in
account (accounts.web.current_actor; "lock" saves the typed self-assessment first: both
or neither). The ScoringService's cache is keyed by the scoring change counter, so the
scorecard, the results and the map show a saved change on their next request.
"""

from __future__ import annotations

from typing import Any

from accounts.web import current_actor
from dash import ALL, ClientsideFunction, Dash, Input, Output, State, ctx, no_update
from dash.exceptions import PreventUpdate

from accounts.permissions import Actor, PermissionDenied
from callbacks.scoring_common import (
    definition_of,
    draw_table,
    guarded,
    read_request,
    scoring_service,
    unit_options,
)
from callbacks.scoring_entry_form import form_values, problems_by_row, step_items
from callbacks.services import Services
from layouts.scoring_common import (
    prompt_view,
    query_search,
    unit_dropdown,
    unknown_unit_message,
    year_dropdown,
)
from layouts.scoring_entry import STEP_LABELS, STEPS, current_step, entry_form, entry_view
from layouts.scoring_ids import ScoringIds
from scoring.entry import ACTIONS, apply_action
from scoring.scorecard import Scorecard
from scoring.workflow import WorkflowError

SAVED_WHAT = {"survey": "kết quả điều tra xã hội học", "adjustments": "điểm thưởng, điểm trừ"}
ACTION_INPUT = {"type": str(ScoringIds.ENTRY_ACTION), "action": ALL}
COLLECT_JS = ClientsideFunction(namespace="scoring", function_name="collect")


def guidance_of(services: Services, card: Scorecard) -> dict[str, str]:
    definition = definition_of(scoring_service(services), card.year, card.group)
    if definition is None:
        return {}
    return {s.code: s.guidance for s in definition.sub_criteria() if s.guidance}


def entry_content(services: Services, search: str | None) -> list[Any]:
    service = scoring_service(services)
    request = read_request(service, search)
    messages = list(request.year.messages)
    year = request.year.year
    if year is None:
        return prompt_view([], messages, "Nạp bộ chỉ số rồi tải lại trang.")
    card = service.scorecard(request.unit, year) if request.unit else None
    controls = [
        year_dropdown(ScoringIds.ENTRY_YEAR, service.years(), year),
        unit_dropdown(ScoringIds.ENTRY_UNIT, unit_options(service, year), card.unit_code if card else None),
    ]
    if card is None:
        if request.unit:
            messages.append(unknown_unit_message(request.unit, year))
        return prompt_view(controls, messages, "Chọn một đơn vị để nhập hoặc thẩm định điểm.")
    return entry_view(card, controls=controls, messages=messages, guidance=guidance_of(services, card))


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
    services: Services, search: str | None, step: str, action: str | None, typed: dict, actor: Actor | None
) -> list[Any]:
    service = scoring_service(services)
    request = read_request(service, search)
    year = request.year.year
    card = service.scorecard(request.unit, year) if request.unit and year is not None else None
    if card is None:
        raise LookupError(unknown_unit_message(request.unit or "", year or 0))
    guidance = guidance_of(services, card)
    step = step if step in STEPS else current_step(card)
    if action is None:  # the step selector changed
        return entry_form(card, step, guidance=guidance)
    found = step_items(card, step, typed) if action != "unlock" else None
    if found is not None and found.problems:
        return entry_form(
            card,
            step,
            typed=typed,
            row_errors=found.problems,
            notice=["Chưa lưu: có ô điểm không đọc được (xem dòng báo lỗi)."],
            guidance=guidance,
        )
    items = found.items if found is not None else []
    if action == "save" and not items:
        return entry_form(
            card, step, typed=typed, notice=["Không có thay đổi nào để lưu."], ok=True, guidance=guidance
        )
    try:
        changed = apply_action(service.engine, card, step, action, items, actor).changed
    except PermissionDenied as exc:
        return entry_form(card, step, typed=typed, notice=[str(exc)], guidance=guidance)
    except WorkflowError as exc:
        codes = [line.code for line in _sub_lines(card)] + [a.code for a in card.adjustments]
        rows, general = problems_by_row(exc.problems, codes)
        notice = [*general, "Chưa lưu gì: sửa các lỗi rồi lưu lại."]
        return entry_form(card, step, typed=typed, row_errors=rows, notice=notice, guidance=guidance)
    fresh = service.scorecard(card.unit_code, card.year, card.group) or card
    return entry_form(
        fresh, step, notice=success_notice(action, step, changed, actor), ok=True, guidance=guidance
    )


def _sub_lines(card: Scorecard) -> list[Any]:
    return [s for a in card.areas for c in a.children for s in c.children]


def register(app: Dash, services: Services) -> None:
    @app.callback(Output(ScoringIds.ENTRY_CONTENT, "children"), Input(ScoringIds.ENTRY_URL, "search"))
    def render(search: str | None) -> Any:
        return guarded(lambda: entry_content(services, search), "trang nhập điểm")

    @app.callback(
        Output(ScoringIds.ENTRY_URL, "search"),
        Input(ScoringIds.ENTRY_YEAR, "value"),
        Input(ScoringIds.ENTRY_UNIT, "value"),
        State(ScoringIds.ENTRY_URL, "search"),
        prevent_initial_call=True,
    )
    def choose(year: int | None, unit: str | None, search: str | None) -> Any:
        wanted = query_search({"unit": unit, "year": year})
        return no_update if wanted == (search or "") else wanted

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
        prevent_initial_call=True,
    )
    def step_or_action(step: str, submit: Any, search: str | None) -> Any:
        if ctx.triggered_id == ScoringIds.ENTRY_STEP:
            action, typed = None, {}
        elif isinstance(submit, dict) and submit.get("action") in ACTIONS:
            action, typed = str(submit["action"]), form_values(submit.get("values"))
        else:
            raise PreventUpdate
        actor = current_actor()  # the logged-in account; never a typed name
        return guarded(lambda: act(services, search, step, action, typed, actor), "trang nhập điểm")
