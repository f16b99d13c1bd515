"""The scorecard page: URL (unit, year) -> the unit's scorecard; the year and unit
selectors write the URL."""

from __future__ import annotations

from typing import Any

from dash import Dash

from accounts.permissions import Read
from callbacks.common import auth
from callbacks.common.services import Services
from callbacks.scoring.common import (
    UnitPage,
    UnitView,
    definition_of,
    draw_table,
    register_unit_page,
)
from layouts.scoring.common import prompt_view
from layouts.scoring.ids import ScoringIds
from layouts.scoring.scorecard import scorecard_view
from scoring.scorecard import Scorecard
from scoring.service import ScoringService


def restricted_view(services: Services) -> UnitView:
    """The scorecard for whoever may read it: a provisional one (and every card's history
    of entries) needs the right to see the unit's provisional scores; a final one is
    published (PUBLIC_ACCESS)."""

    def view(service: ScoringService, card: Scorecard, controls: list[Any], messages: list[str]) -> list[Any]:
        what = Read.PROVISIONAL_SCORES if card.provisional else Read.PUBLISHED_RESULTS
        refused = auth.refusal(services.settings, what, card.unit_code)
        if refused is not None:
            note = f"Phiếu điểm của {card.name} năm {card.year} còn điểm tạm tính, chưa công bố."
            return prompt_view(controls, [*messages, note], refused)
        with_history = auth.can_read(services.settings, Read.PROVISIONAL_SCORES, card.unit_code)
        return scorecard_view(
            card,
            controls=controls,
            messages=messages,
            definition=definition_of(service, card.year, card.group),
            changes=service.history(card.unit_code, card.year, card.group) if with_history else None,
        )

    return view


SCORECARD_PAGE = UnitPage(
    (ScoringIds.CARD_URL, ScoringIds.CARD_CONTENT),
    (ScoringIds.CARD_YEAR, ScoringIds.CARD_UNIT),
    prompt="Chọn một đơn vị để xem phiếu điểm Chỉ số CCHC.",
    name="phiếu điểm",
)


def register(app: Dash, services: Services) -> None:
    draw_table(app, ScoringIds.CARD_TREE, ScoringIds.CARD_TREE_DATA)
    register_unit_page(app, services, SCORECARD_PAGE, restricted_view)
