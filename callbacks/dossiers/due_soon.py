"""/dossiers/due-soon (cảnh báo): URL -> the dossiers due within the next working days, per
unit and as a list, and the units that worsened three periods in a row, after the account
check; its CSV route /dossiers/due-soon.csv (checked again)."""

from __future__ import annotations

import logging
from dataclasses import replace
from functools import partial
from typing import Any

from dash import Dash
from flask import Flask, Response

from accounts.permissions import Read, may_read
from accounts.web import current_actor
from callbacks.common.guard import READ_ERRORS, problem_text
from callbacks.common.services import Services
from callbacks.dossiers.access import csv_response, register_csv_route, register_page
from dossier_stats.bieu06.unit import ReportUnit
from dossier_stats.metrics import DEFAULT_METRIC, METRICS
from dossier_stats.periods import default_period
from layouts.common.as_of import export_notes
from layouts.common.dossier_links import DUE_SOON_EXPORT_PATH, DUE_SOON_PATH
from layouts.dossiers.common import file_name
from layouts.dossiers.due_soon_page import UnitCount, due_soon_view, worsening_block
from layouts.dossiers.ids import DossierIds
from layouts.dossiers.list_page import prompt_view
from layouts.dossiers.request import PAGE_SIZE, DueSoonRequest, read_due_soon

log = logging.getLogger(__name__)
# (title, level of due_soon_counts / worsening) of the breakdown under a unit
BREAKDOWN = {
    "province": (("Theo huyện, thị xã, thành phố (cũ)", "district"), ("Sở, ban, ngành", "department")),
    "district": (("Theo xã, phường", "commune"),),
}


def unit_counts(services: Services, unit: ReportUnit, days: int) -> dict[str, list[UnitCount]]:
    """Per unit under the one shown: dossiers due in the window (units with none left out)."""
    out: dict[str, list[UnitCount]] = {}
    for title, level in BREAKDOWN.get(unit.kind, ()):
        counts = services.lists.due_soon_counts(level, unit.code, days).counts
        out[title] = [UnitCount(code, services.lists.unit(code).name, n) for code, n in counts.items()]
    return out


def worsening_blocks(services: Services, unit: ReportUnit) -> list[Any]:
    """The units under the one shown whose default metric worsened three months in a row
    (up to the last full month: a running month's partial figures would judge too early)."""
    metric = METRICS[DEFAULT_METRIC]
    period = default_period("month", services.settings.today())
    blocks = []
    for title, level in BREAKDOWN.get(unit.kind, ()):
        rows = services.analysis.worsening(
            period, metric.key, level, unit.code if level == "commune" else None
        )
        heading = f"{title}: {metric.label.lower()} xấu đi ba tháng liên tiếp"
        blocks.append(worsening_block(heading, rows, metric.kind == "rate"))
    return blocks


def due_soon_content(services: Services, request_: DueSoonRequest) -> list[Any]:
    try:
        unit = services.lists.unit(request_.unit)
        page = services.lists.due_soon(request_.unit, request_.days, request_.order, PAGE_SIZE)
        counts = unit_counts(services, unit, request_.days)
        extra = worsening_blocks(services, unit)
    except ValueError as exc:
        return prompt_view([*request_.messages, str(exc)])
    except READ_ERRORS as exc:
        log.warning("due-soon list not readable: %s", exc)
        return prompt_view([*request_.messages, problem_text(exc)])
    return due_soon_view(request_, unit.name, page, counts, extra)


def own_unit_by_default(services: Services, request_: DueSoonRequest) -> DueSoonRequest:
    """A unit's staff opening the page without a unit see their own unit's warnings."""
    actor = current_actor()
    public = services.settings.public_access
    if request_.unit is not None or actor is None or not actor.unit_code:
        return request_
    if may_read(actor, Read.DOSSIER_LISTS, None, public):
        return request_
    return replace(request_, unit=actor.unit_code)


def due_soon_csv(services: Services, request_: DueSoonRequest) -> Response:
    return csv_response(
        services,
        request_.unit,
        lambda: services.lists.due_soon_csv(
            request_.unit, request_.days, request_.order, notes=export_notes(services.stats.data_time())
        ),
        lambda export: file_name(
            "ho-so-sap-den-han", request_.unit or "toan-tinh", f"{export.as_of:%Y-%m-%d}"
        ),
    )


def register(app: Dash, services: Services) -> None:
    def read(query: dict[str, str]) -> DueSoonRequest:
        return own_unit_by_default(services, read_due_soon(query))

    register_page(
        app, services, (DossierIds.DUE_URL, DossierIds.DUE_CONTENT), DUE_SOON_PATH, read, due_soon_content
    )


def register_routes(server: Flask, services: Services) -> None:
    route_at = (DUE_SOON_EXPORT_PATH, "due_soon_csv")
    register_csv_route(server, services, route_at, read_due_soon, partial(due_soon_csv, services))
