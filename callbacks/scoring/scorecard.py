"""The scorecard page: URL (unit, year) -> the unit's scorecard; the year and unit
selectors write the URL."""

from __future__ import annotations

from typing import Any

from dash import Dash, Input, Output, State, no_update

from callbacks.common.services import Services
from callbacks.scoring.common import (
    definition_of,
    draw_table,
    guarded,
    read_request,
    scoring_service,
    unit_options,
)
from layouts.common.urls import query_search
from layouts.scoring.common import (
    prompt_view,
    unit_dropdown,
    unknown_unit_message,
    year_dropdown,
)
from layouts.scoring.ids import ScoringIds
from layouts.scoring.scorecard import scorecard_page, scorecard_view

__all__ = ["register", "scorecard_content", "scorecard_page"]


def scorecard_content(services: Services, search: str | None) -> list[Any]:
    service = scoring_service(services)
    request = read_request(service, search)
    messages = list(request.year.messages)
    year = request.year.year
    if year is None:
        return prompt_view([], messages, "Nạp bộ chỉ số rồi tải lại trang.")
    units = unit_options(service, year)
    card = service.scorecard(request.unit, year) if request.unit else None
    controls = [
        year_dropdown(ScoringIds.CARD_YEAR, service.years(), year),
        unit_dropdown(ScoringIds.CARD_UNIT, units, card.unit_code if card else None),
    ]
    if card is None:
        if request.unit:
            messages.append(unknown_unit_message(request.unit, year))
        return prompt_view(controls, messages, "Chọn một đơn vị để xem phiếu điểm Chỉ số CCHC.")
    return scorecard_view(
        card,
        controls=controls,
        messages=messages,
        definition=definition_of(service, year, card.group),
        changes=service.history(card.unit_code, year, card.group),
    )


def register(app: Dash, services: Services) -> None:
    draw_table(app, ScoringIds.CARD_TREE, ScoringIds.CARD_TREE_DATA)

    @app.callback(Output(ScoringIds.CARD_CONTENT, "children"), Input(ScoringIds.CARD_URL, "search"))
    def render(search: str | None) -> Any:
        return guarded(lambda: scorecard_content(services, search), "phiếu điểm")

    @app.callback(
        Output(ScoringIds.CARD_URL, "search"),
        Input(ScoringIds.CARD_YEAR, "value"),
        Input(ScoringIds.CARD_UNIT, "value"),
        State(ScoringIds.CARD_URL, "search"),
        prevent_initial_call=True,
    )
    def choose(year: int | None, unit: str | None, search: str | None) -> Any:
        wanted = query_search({"unit": unit, "year": year})
        return no_update if wanted == (search or "") else wanted
