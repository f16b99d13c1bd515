"""The entry page (/scoring/entry?unit=CODE&year=YYYY): entering and reviewing points.

One workflow step at a time (self-assessment with evidence and note → lock → appraisal 1
→ the unit's explanation → appraisal 2), chosen with a selector that opens on the unit's
current step. Each assessment sub-criterion is a row with the points of every step so far,
the evidence and notes, and the inputs of the step shown; the problems the workflow found
with a row are written under its inputs. Sub-criteria computed from dossier data are
shown without inputs. Two more choices of the selector enter points that are not part of
the workflow (scoring.survey_adjustments): the survey results (điều tra xã hội học) on
the survey sub-criteria of the same tree, and the bonus and penalty lines (điểm thưởng,
điểm trừ) in a table of their own. Who acts is the logged-in account (no actor box);
every permission check stays in accounts/permissions.py.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from dash import dcc, html

from layouts.common.controls import control, segmented
from layouts.common.plain import message_block
from layouts.scoring.common import (
    ENTRY_PATH,
    Shell,
    UnitOption,
    controls_bar,
    messages_box,
    page_shell,
    points_text,
    scorecard_href,
    unit_dropdown,
    year_dropdown,
)
from layouts.scoring.entry_steps import (
    STEP_HELP,
    STEP_LABELS,
    FormValues,
    current_step,
    seen_values,
    step_actions,
    step_counts,
)
from layouts.scoring.entry_table import entry_payload
from layouts.scoring.ids import ScoringIds, ScoringTextIds, action_id
from layouts.scoring.tables import js_table
from scoring.entry import STEPS
from scoring.scorecard import Scorecard

# -- components -----------------------------------------------------------------------------


def entry_page() -> html.Div:
    """The page frame; who acts is the logged-in account (the page header names it), never
    a typed name."""
    submit = dcc.Store(id=ScoringIds.ENTRY_SUBMIT)
    return page_shell(Shell(ENTRY_PATH, ScoringIds.ENTRY_URL, ScoringIds.ENTRY_CONTENT, extra=(submit,)))


def entry_skeleton() -> html.Div:
    """Every id the page's callbacks use, without data."""
    return html.Div(
        [
            entry_page(),
            year_dropdown(ScoringIds.ENTRY_YEAR, [], None),
            unit_dropdown(ScoringIds.ENTRY_UNIT, [UnitOption("", "", "")], None),
            html.Div(id=ScoringIds.ENTRY_FORM),
            dcc.RadioItems(id=ScoringIds.ENTRY_STEP, options=[]),
            html.Button(id=action_id("save")),
            dcc.Store(id=ScoringIds.ENTRY_SEEN),
            *js_table(ScoringIds.ENTRY_TABLE, ScoringIds.ENTRY_TABLE_DATA, None),
        ]
    )


def status_panel(card: Scorecard) -> html.Div:
    counts = step_counts(card)
    lock = "đã khóa" if card.self_locked else "chưa khóa (đơn vị còn sửa được)"
    return html.Div(
        [
            html.H2(card.name, className="scoring-title"),
            html.P(
                f"Năm {card.year} — {card.group_label} — mã {card.unit_code}. Bản tự đánh giá: {lock}.",
                className="scoring-subtitle",
                id=ScoringTextIds.ENTRY_LOCK_STATUS,
            ),
            html.P(
                f"Tiêu chí nhập qua tự đánh giá, thẩm định: {counts.total}; đã tự đánh giá "
                f"{counts.self_points}, đã thẩm định lần 1 {counts.appraisal1}, "
                f"đã thẩm định lần 2 {counts.final}.",
                className="scoring-subtitle",
            ),
            html.P(
                f"Điểm thưởng đang tính {points_text(card.bonus)}, điểm trừ {points_text(card.penalty)}"
                + ("; còn tiêu chí điều tra xã hội học chưa có kết quả." if card.survey_missing else "."),
                className="scoring-subtitle",
            ),
            html.Div(
                dcc.Link("Xem phiếu điểm →", href=scorecard_href(card.unit_code, card.year)),
                className="scoring-links",
            ),
        ],
        className="scoring-heading",
    )


def _notice(notice: Sequence[str], ok: bool) -> html.Div | None:
    return message_block(notice, "entry-notice " + ("ok" if ok else "problem"), alert=not ok)


def action_bar(card: Scorecard, step: str) -> html.Div:
    return html.Div(
        [
            html.Button(
                label,
                id=action_id(action),
                n_clicks=0,
                className="scoring-button" + (" primary" if action == "save" else ""),
            )
            for action, label in step_actions(card, step)
        ],
        className="entry-actions",
    )


def entry_form(
    card: Scorecard,
    step: str,
    *,
    typed: FormValues | None = None,
    row_errors: Mapping[str, Sequence[str]] | None = None,
    notice: Sequence[str] = (),
    ok: bool = False,
    guidance: Mapping[str, str] | None = None,
    seen: Mapping[str, Any] | None = None,
) -> list[Any]:
    """The form of one unit and step: status, step selector, notice, rows, actions, and
    what the rows show (`seen`: kept from the form the person typed into; default: the card's)."""
    step_options = [{"label": STEP_LABELS[s], "value": s} for s in STEPS]
    return [
        status_panel(card),
        control("Bước", segmented(ScoringIds.ENTRY_STEP, step_options, step), "entry-step"),
        html.P(STEP_HELP[step], className="card-caption entry-help"),
        _notice(notice, ok),
        html.Section(
            js_table(
                ScoringIds.ENTRY_TABLE,
                ScoringIds.ENTRY_TABLE_DATA,
                entry_payload(card, step, typed=typed, row_errors=row_errors, guidance=guidance),
            ),
            className="card entry-card",
        ),
        action_bar(card, step),
        dcc.Store(id=ScoringIds.ENTRY_SEEN, data=seen_values(card, step) if seen is None else seen),
    ]


def entry_refusal(notice: Sequence[str]) -> list[Any]:
    """The form's place when the person may not see the unit's scores: the reason only."""
    return [_notice(notice, False)]


def entry_view(
    card: Scorecard,
    *,
    controls: Sequence[Any],
    messages: Sequence[str],
    guidance: Mapping[str, str] | None = None,
) -> list[Any]:
    """The content of the entry page: controls, messages, and the form of the unit's
    current step (the container the step and action callback refills)."""
    return [
        controls_bar(controls),
        messages_box(messages) if messages else None,
        html.Div(
            entry_form(card, current_step(card), guidance=guidance),
            id=ScoringIds.ENTRY_FORM,
            className="scoring-body entry-form",
        ),
    ]
