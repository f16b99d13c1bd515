"""The audit trail page and its CSV (/audit.csv): only for those who may read the trail
(Quản trị, Lãnh đạo: accounts.permissions, through callbacks.common.auth); the CSV goes
through spreadsheet_safety (accounts.audit.audit_csv) and its download is itself audited."""

from __future__ import annotations

import logging
from datetime import date, datetime

from dash import html
from flask import Flask, Response, request

from accounts.audit import audit_csv, entries, iter_entries
from accounts.permissions import Read
from callbacks.common import auth
from callbacks.common.guard import READ_ERRORS, problem_text
from callbacks.common.pages import PageRequest
from callbacks.common.services import Services
from layouts.audit.page import AUDIT_CSV_PATH, audit_layout

log = logging.getLogger(__name__)
LIMIT = 500
MAX_USER = 60


def read_filters(query: dict[str, str]) -> tuple[date | None, str | None, list[str]]:
    """(since, user, problems) from the query: since as yyyy-mm-dd (the date field) or dd/mm/yyyy."""
    problems: list[str] = []
    since: date | None = None
    raw = (query.get("since") or "").strip()
    if raw:
        for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
            try:
                since = datetime.strptime(raw, fmt).date()
                break
            except ValueError:
                continue
        else:
            problems.append(f"Ngày '{raw[:20]}' không đọc được: nhập dạng dd/mm/yyyy. Đang hiện mọi ngày.")
    user = (query.get("user") or "").strip()[:MAX_USER] or None
    return since, user, problems


def audit_page(request: PageRequest) -> html.Div:
    services = request.services
    refused = auth.refusal(services.settings, Read.AUDIT)
    if refused is not None:
        return audit_layout(refused=refused)
    query = request.query
    since, user, problems = read_filters(query)
    shown_since = since.isoformat() if since else ""
    try:
        with services.scoring.engine.connect() as conn:
            rows = entries(conn, since, user, newest_first=True, limit=LIMIT + 1)
    except READ_ERRORS as exc:
        log.exception("audit page: trail not readable")
        return audit_layout(refused=f"Chưa đọc được nhật ký: {problem_text(exc)}")
    return audit_layout(
        rows=rows[:LIMIT], since=shown_since, user=user or "", problems=problems, more=len(rows) > LIMIT
    )


def register_routes(server: Flask, services: Services) -> None:
    @server.route(services.settings.url_prefix + AUDIT_CSV_PATH.lstrip("/"))
    def audit_download() -> Response:
        if refused := auth.route_refusal(services.settings, Read.AUDIT):
            return refused
        since, user, problems = read_filters(dict(request.args))
        if problems:
            return Response(" ".join(problems), status=400, mimetype=auth.TEXT)
        engine = services.scoring.engine
        with engine.connect() as conn:
            content = audit_csv(iter_entries(conn, since, user))
        name = "nhat-ky-he-thong.csv"
        detail = f"từ {since:%d/%m/%Y}" if since else "mọi ngày"
        auth.record_export(engine, Read.AUDIT, name, detail + (f", tài khoản {user}" if user else ""))
        return Response(
            content,
            mimetype="text/csv",
            headers={"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"},
        )
