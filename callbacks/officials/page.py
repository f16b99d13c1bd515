"""The officials' statistics page and its CSV (/officials.csv): Lãnh đạo and Thẩm định for
every unit, a unit's own staff for their unit only (accounts.permissions through
callbacks.common.auth); names from the handlers' mapping only for readers who may see
them. The CSV goes through spreadsheet_safety (dossier_stats.officials.officials_csv) and
its download is audited."""

from __future__ import annotations

import logging

from dash import html
from flask import Flask, Response, request

from accounts.permissions import Read
from callbacks.common import auth
from callbacks.common.guard import READ_ERRORS, problem_text
from callbacks.common.pages import PageRequest
from callbacks.common.services import Services
from dossier_stats.officials import OfficialsReport, officials_csv, officials_report
from layouts.officials.page import OFFICIALS_CSV_PATH, OfficialsAsk, officials_layout

log = logging.getLogger(__name__)
FIRST_YEAR = 2000


def read_ask(services: Services, query: dict[str, str]) -> OfficialsAsk:
    today = services.settings.today()
    first = services.stats.first_data_date()
    years = list(range(today.year, max(FIRST_YEAR, first.year if first else today.year) - 1, -1))
    problems: list[str] = []
    raw = (query.get("year") or "").strip()
    year = today.year
    if raw:
        if raw.isdigit() and int(raw) in years:
            year = int(raw)
        else:
            problems.append(f"Năm '{raw[:10]}' không có số liệu: đang hiện năm {year}.")
    unit = (query.get("unit") or "").strip().upper()[:20] or None
    who = auth.actor()
    fixed = (
        who is not None and not auth.can_read(services.settings, Read.OFFICIALS_STATS) and bool(who.unit_code)
    )
    if fixed and unit is None:
        unit = who.unit_code  # type: ignore[union-attr]
    return OfficialsAsk(year, unit, fixed, years, problems)


def report_for(services: Services, ask: OfficialsAsk) -> OfficialsReport:
    names = auth.can_read(services.settings, Read.HANDLER_NAMES, ask.unit)
    with services.stats.engine.connect() as conn:
        return officials_report(conn, ask.year, services.settings.today(), ask.unit, with_names=names)


def officials_page(request: PageRequest) -> html.Div:
    services = request.services
    try:
        ask = read_ask(services, request.query)
        refused = auth.refusal(services.settings, Read.OFFICIALS_STATS, ask.unit)
        if refused is not None:
            return officials_layout(refused=refused)
        report = report_for(services, ask)
    except READ_ERRORS as exc:
        log.exception("officials page: data not readable")
        return officials_layout(refused=f"Chưa đọc được số liệu: {problem_text(exc)}")
    return officials_layout(report=report, ask=ask)


def register_routes(server: Flask, services: Services) -> None:
    @server.route(services.settings.url_prefix + OFFICIALS_CSV_PATH.lstrip("/"))
    def officials_download() -> Response:
        ask = read_ask(services, dict(request.args))
        if ask.problems:
            return Response(" ".join(ask.problems), status=400, mimetype=auth.TEXT)
        if refused := auth.route_refusal(services.settings, Read.OFFICIALS_STATS, ask.unit):
            return refused
        content = officials_csv(report_for(services, ask))
        name = f"thong-ke-can-bo-{ask.year}" + (f"-{ask.unit}" if ask.unit else "") + ".csv"
        detail = f"năm {ask.year}, " + (f"đơn vị {ask.unit}" if ask.unit else "mọi đơn vị")
        auth.record_export(services.stats.engine, Read.OFFICIALS_STATS, name, detail)
        return Response(
            content,
            mimetype="text/csv",
            headers={"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"},
        )
