"""What the PAR-index page callbacks share: the ScoringService, the units of a year for the
unit selector, the year and unit asked for in the URL, the content of a page about one
unit, the selectors that write the URL, and the guard: something missing is said in
Vietnamese; a database that does not answer leaves the page as it is with the connection
badge (callbacks/common/guard.py), except on the page's first fill, which says so and
reloads itself (nothing on screen to keep)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from dash import ClientsideFunction, Dash, Input, Output, State, ctx, html, no_update

from callbacks.common.connection import register_link_check
from callbacks.common.guard import DataUnavailable, problem_text
from callbacks.common.guard import guarded as guarded_by
from callbacks.common.services import Services
from layouts.common.names import commune_label
from layouts.common.urls import parse_query, query_search
from layouts.scoring.common import (
    UnitOption,
    YearChoice,
    choose_year,
    link_poll_id,
    messages_box,
    prompt_view,
    unit_dropdown,
    unknown_unit_message,
    year_dropdown,
)
from scoring.definition import IndexDefinition
from scoring.scorecard import Scorecard
from scoring.service import ScoringService
from vi_format import vietnamese_sort_key

log = logging.getLogger(__name__)
T = TypeVar("T")
DRAW_JS = ClientsideFunction(namespace="scoring", function_name="drawTable")
NOT_CONFIGURED = "Phần chấm điểm Chỉ số CCHC chưa được bật trong ứng dụng này."
NO_VERSION_PROMPT = "Nạp bộ chỉ số rồi tải lại trang."


def scoring_service(services: Services) -> ScoringService:
    service = getattr(services, "scoring", None)
    if service is None:
        raise LookupError(NOT_CONFIGURED)
    return service


def unit_options(service: ScoringService, year: int) -> list[UnitOption]:
    """Every unit scored in the year: by group (departments, districts, communes), then name."""
    options: list[UnitOption] = []
    for group in service.groups(year):
        named = [(commune_label(r.name), r) for r in service.results(year, group)]
        named.sort(key=lambda pair: vietnamese_sort_key(pair[0]))
        options += [UnitOption(r.unit_code, name, r.group_label) for name, r in named]
    return options


@dataclass(frozen=True)
class Request:
    """The year and unit of a page's URL, with what could not be used."""

    query: dict[str, str]
    year: YearChoice
    unit: str | None


def read_request(service: ScoringService, search: str | None) -> Request:
    query = parse_query(search)
    return Request(query, choose_year(query.get("year"), service.years()), query.get("unit") or None)


def definition_of(service: ScoringService, year: int, group: str) -> IndexDefinition | None:
    return next((v.definition for v in service.versions() if v.year == year and v.group == group), None)


UnitView = Callable[[ScoringService, Scorecard, list[Any], list[str]], list[Any]]


@dataclass(frozen=True)
class UnitPage:
    """A page about one unit of a year (scorecard, entry): its URL and content ids, its year
    and unit selectors, the prompt before a unit is chosen, and its name in messages."""

    ids: tuple[str, str]  # its dcc.Location, its content
    selectors: tuple[str, str]  # its year and unit dropdowns
    prompt: str
    name: str


def unit_page_content(services: Services, search: str | None, page: UnitPage, view: UnitView) -> list[Any]:
    """A page about one unit of a year (the URL's `unit` and `year`): its year and unit
    selectors, then view(service, scorecard, controls, messages); without a unit, the
    selectors and `page.prompt`; without any index version, what to do."""
    service = scoring_service(services)
    request = read_request(service, search)
    messages = list(request.year.messages)
    year = request.year.year
    if year is None:
        log.warning("no PAR index definition loaded (python cli.py scoring load FILE)")
        return prompt_view([], messages, NO_VERSION_PROMPT)
    units = unit_options(service, year)
    card = service.scorecard(request.unit, year) if request.unit else None
    controls = [
        year_dropdown(page.selectors[0], service.years(), year),
        unit_dropdown(page.selectors[1], units, card.unit_code if card else None),
    ]
    if card is None:
        if request.unit:
            messages.append(unknown_unit_message(request.unit, year))
        return prompt_view(controls, messages, page.prompt)
    return view(service, card, controls, messages)


def register_unit_page(
    app: Dash, services: Services, page: UnitPage, view: Callable[[Services], UnitView]
) -> None:
    """The page's content follows its URL (view(services) draws the unit's part) and its
    unit and year selectors write the URL."""

    def content(services: Services, search: str | None) -> list[Any]:
        return unit_page_content(services, search, page, view(services))

    year_id, unit_id = page.selectors
    register_content(app, services, page.ids, content, page.name)
    register_selectors(app, page.ids[0], {"unit": unit_id, "year": year_id})


RETRY_SECONDS = 30  # a page that could not start reloads itself after this (assets/connection.js)


def failure_message(exc: Exception, what: str) -> list[Any]:
    """Why `what` cannot be shown, in Vietnamese (the unit/year problems say it themselves)."""
    if isinstance(exc, LookupError):
        return [messages_box([str(exc)], alert=True)]
    return [
        html.Div(
            messages_box(
                [f"Chưa hiển thị được {what}: {problem_text(exc)}", f"Tự thử lại sau {RETRY_SECONDS} giây."],
                alert=True,
            ),
            **{"data-retry-seconds": str(RETRY_SECONDS)},
        )
    ]


def guarded(build: Callable[[], T], what: str, notice: str | None = None) -> T | list[Any]:
    """build(); a Vietnamese message when something asked for is missing; the database not
    answering: the page stays as it is (DataUnavailable, with `notice` for the action that
    failed)."""
    return guarded_by(build, lambda exc: failure_message(exc, what), what, notice)


def register_content(
    app: Dash,
    services: Services,
    ids: tuple[str, str],
    build: Callable[[Services, str | None], Any],
    what: str,
) -> None:
    """The page's content follows its URL query: ids (its dcc.Location, its content) ->
    build(services, search); a failure shows why (`what`: the page's name)."""
    url_id, content_id = ids

    @app.callback(Output(content_id, "children"), Input(url_id, "search"))
    def render(search: str | None) -> Any:
        try:
            return guarded(lambda: build(services, search), what, f"Chưa mở được {what}.")
        except DataUnavailable as exc:
            if ctx.triggered_id is None:  # the page's first fill: nothing on screen to keep
                return failure_message(exc, what)
            raise

    register_link_check(app, link_poll_id(content_id), lambda: scoring_service(services).change_key(), what)


def register_selectors(app: Dash, url_id: str, selectors: Mapping[str, str]) -> None:
    """The page's selectors ({query key: selector id}) write its URL query, which renders
    the page (a link reopens the same view)."""

    @app.callback(
        Output(url_id, "search"),
        *(Input(selector, "value") for selector in selectors.values()),
        State(url_id, "search"),
        prevent_initial_call=True,
    )
    def choose(*values: Any) -> Any:
        *chosen, search = values
        wanted = query_search(dict(zip(selectors, chosen, strict=True)))
        return no_update if wanted == (search or "") else wanted


def draw_table(app: Dash, container_id: str, data_id: str) -> None:
    """The browser draws the table of `data_id` into `container_id` (assets/scoring.js)."""
    app.clientside_callback(
        DRAW_JS,
        Output(container_id, "className"),
        Input(data_id, "data"),
        State(container_id, "id"),
    )
