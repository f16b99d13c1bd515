"""What the PAR-index page callbacks share: the ScoringService, the units of a year for the
unit selector, the unit asked for in the URL, and a guard that turns a database failure
into a Vietnamese message instead of a traceback."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from dash import ClientsideFunction, Dash, Input, Output, State
from sqlalchemy.exc import SQLAlchemyError

from callbacks.services import Services
from layouts.panels import commune_label
from layouts.scoring_common import UnitOption, YearChoice, choose_year, messages_box
from layouts.view import parse_query
from scoring.definition import IndexDefinition
from scoring.service import ScoringService
from vi_format import vietnamese_sort_key

log = logging.getLogger(__name__)
T = TypeVar("T")
DRAW_JS = ClientsideFunction(namespace="scoring", function_name="drawTable")
NOT_CONFIGURED = "Phần chấm điểm Chỉ số CCHC chưa được bật trong ứng dụng này."


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


def failure_message(exc: Exception, what: str) -> list[Any]:
    """Why `what` cannot be shown, in Vietnamese (the unit/year problems say it themselves)."""
    if isinstance(exc, LookupError):
        return [messages_box([str(exc)], alert=True)]
    log.error("%s: data not readable (%s)", what, exc)
    return [
        messages_box(
            [
                f"Chưa hiển thị được {what}: không đọc được dữ liệu "
                f"(lỗi cơ sở dữ liệu {exc.__class__.__name__}). Thử tải lại trang sau ít phút."
            ],
            alert=True,
        )
    ]


def guarded(build: Callable[[], T], what: str) -> T | list[Any]:
    """build(), or a Vietnamese message when the data cannot be read."""
    try:
        return build()
    except (LookupError, SQLAlchemyError) as exc:
        return failure_message(exc, what)


def draw_table(app: Dash, container_id: str, data_id: str) -> None:
    """The browser draws the table of `data_id` into `container_id` (assets/scoring.js)."""
    app.clientside_callback(
        DRAW_JS,
        Output(container_id, "className"),
        Input(data_id, "data"),
        State(container_id, "id"),
    )
