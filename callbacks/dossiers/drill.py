"""/dossiers: URL -> the list behind a figure (after the account check), and its CSV route
/dossiers/export.csv (checked again: a file URL can be opened without the page)."""

from __future__ import annotations

import logging
from functools import partial
from typing import Any

from dash import Dash
from flask import Flask, Response

from callbacks.common.guard import READ_ERRORS, problem_text
from callbacks.common.services import Services
from callbacks.dossiers.access import csv_response, register_csv_route, register_page
from layouts.common.as_of import export_notes
from layouts.common.dossier_links import DOSSIERS_PATH, EXPORT_PATH
from layouts.dossiers.common import file_name
from layouts.dossiers.ids import DossierIds
from layouts.dossiers.list_page import drill_view, prompt_view
from layouts.dossiers.request import PAGE_SIZE, DrillRequest, read_drill

log = logging.getLogger(__name__)


def drill_content(services: Services, request_: DrillRequest) -> list[Any]:
    """The list the request asks for; a Vietnamese message for what cannot be read."""
    if not request_.usable:
        return prompt_view(request_.messages)
    assert request_.period is not None and request_.cell is not None
    lists = services.lists
    try:
        unit = lists.unit(request_.unit)
        as_of = lists.as_of(request_.period)
        page = lists.drill(request_.unit, request_.period, request_.cell, request_.order, PAGE_SIZE)
    except ValueError as exc:  # a period that has not begun, a bad range
        return prompt_view([*request_.messages, str(exc)])
    except READ_ERRORS as exc:
        log.warning("dossier list not readable: %s", exc)
        return prompt_view([*request_.messages, problem_text(exc)])
    return drill_view(request_, unit.name, as_of, page)


def export_name(request_: DrillRequest) -> str:
    assert request_.period is not None
    kind = "" if request_.cell is None else request_.cell.kind
    return file_name("ho-so", kind, request_.unit or "toan-tinh", request_.period.key)


def drill_csv(services: Services, request_: DrillRequest) -> Response:
    if not request_.usable:
        return Response("\n".join(request_.messages), status=400, mimetype="text/plain")
    period, cell = request_.period, request_.cell
    assert period is not None and cell is not None
    return csv_response(
        services,
        request_.unit,
        lambda: services.lists.drill_csv(
            request_.unit, period, cell, request_.order, notes=export_notes(services.stats.data_time())
        ),
        lambda _export: export_name(request_),
    )


def register(app: Dash, services: Services) -> None:
    ids = (DossierIds.LIST_URL, DossierIds.LIST_CONTENT)
    register_page(app, services, ids, DOSSIERS_PATH, read_drill, drill_content)


def register_routes(server: Flask, services: Services) -> None:
    register_csv_route(
        server, services, (EXPORT_PATH, "dossiers_csv"), read_drill, partial(drill_csv, services)
    )
