"""The wall's plain HTTP routes: the PDF brief of a period and the health check the nightly
reload waits for (registered through the wall's entry in app_pages.py)."""

from __future__ import annotations

import logging

from flask import Flask, Response, request
from sqlalchemy.exc import SQLAlchemyError

from accounts.permissions import Read
from callbacks.common import auth
from callbacks.common.services import Services
from dossier_stats.periods import Period, default_period
from wall.brief import brief_pdf, read_brief

log = logging.getLogger(__name__)
TEXT = "text/plain; charset=utf-8"


def register_routes(server: Flask, services: Services) -> None:
    prefix = services.settings.url_prefix

    @server.route(prefix + "wall/brief.pdf")
    def brief() -> Response:
        if refused := auth.route_refusal(services.settings, Read.FIGURES):  # aggregated figures only
            return refused
        key = request.args.get("period", "").strip()
        try:
            period = Period.parse(key) if key else None
        except ValueError as exc:
            return Response(str(exc), status=400, mimetype=TEXT)
        try:
            if period is not None and (problem := unavailable_period(services, period)):
                return Response(problem, status=400, mimetype=TEXT)
            period = period or default_period("month", services.settings.today())
            content = brief_pdf(read_brief(services.stats, period), generated_at=services.settings.now())
        except SQLAlchemyError as exc:
            log.warning("wall brief: database unreachable (%s)", exc.__class__.__name__)
            return Response("Không đọc được cơ sở dữ liệu.", status=503, mimetype=TEXT)
        return Response(
            content,
            mimetype="application/pdf",
            headers={
                "Content-Disposition": f'inline; filename="tom-tat-{period.key}.pdf"',
                "Cache-Control": "no-store",
            },
        )

    @server.route(prefix + "wall/health")
    def health() -> Response:
        """200 when the database answers (the nightly reload waits for it), else 503."""
        try:
            version = services.stats.data_version()
        except SQLAlchemyError:
            return Response("unavailable", status=503, mimetype="text/plain")
        return Response(f"ok {version}", mimetype="text/plain", headers={"Cache-Control": "no-store"})


def unavailable_period(services: Services, period: Period) -> str | None:
    """Why the brief of `period` cannot be made (a period outside the data, as the map's
    period selector offers them: from the first data to today), or None."""
    options = services.view_context().period_options(period.kind)
    if period in options:
        return None
    return f"Không có số liệu cho kỳ {period.label} (có từ {options[-1].label} đến {options[0].label})."
