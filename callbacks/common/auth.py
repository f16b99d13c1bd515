"""The callbacks' and routes' one door to accounts.permissions: who asks (the session's
account, accounts.web.current_actor), whether they may read something restricted, the
Vietnamese refusal when not, the PAR results a reader may see (final rows only unless
they may see provisional scores), and the audit row of a restricted export.

A refusal is a message shown in the page (or a 403 for a plain route); nothing is written
and nothing restricted is computed. Writes are checked by the data layer itself
(scoring.entry.save_step → accounts.permissions.authorize), as the logged-in account.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Any

from dash import html
from flask import Flask, Response, request
from sqlalchemy import Engine

from accounts import audit
from accounts.audit import AuditAction
from accounts.permissions import READ_LABELS, Actor, Read, may_read, require_read
from accounts.web import current_actor
from config import Settings
from layouts.common.account import account_bar, login_href
from scoring.results import GroupResults, ResultRow

log = logging.getLogger(__name__)
TEXT = "text/plain; charset=utf-8"
PUBLIC_READS = (Read.FIGURES, Read.PUBLISHED_RESULTS)


def actor() -> Actor | None:
    """The account (or kiosk) of the current request; None: an anonymous visitor."""
    return current_actor()


def can_read(settings: Settings, what: Read, unit: str | None = None) -> bool:
    return may_read(actor(), what, unit, settings.public_access)


def refusal(settings: Settings, what: Read, unit: str | None = None) -> str | None:
    """None when the reader may see `what` (of the unit), else why not, in Vietnamese."""
    return refusal_for(actor(), settings, what, unit)


def refusal_for(who: Actor | None, settings: Settings, what: Read, unit: str | None = None) -> str | None:
    """`refusal` for a given reader (a callback that has read the actor already)."""
    try:
        require_read(who, what, unit, settings.public_access)
    except PermissionError as exc:
        return f"{exc} Đăng nhập tại /login." if who is None else str(exc)
    return None


def refused_block(message: str) -> list[Any]:
    """What a part of a page shows instead of data the reader may not see."""
    return [html.P(message, className="details-error access-refused", role="alert")]


def forbidden(message: str) -> Response:
    """A plain route's refusal: 403 with the reason."""
    return Response(message, status=403, mimetype=TEXT, headers={"Cache-Control": "no-store"})


def route_refusal(settings: Settings, what: Read, unit: str | None = None) -> Response | None:
    """None when allowed, else the 403 a plain route answers."""
    message = refusal(settings, what, unit)
    return None if message is None else forbidden(message)


def may_see_row(settings: Settings, row: ResultRow) -> bool:
    """A PAR results row: final rows are published; provisional ones need the right to see
    the unit's provisional scores."""
    if not row.provisional:
        return can_read(settings, Read.PUBLISHED_RESULTS)
    return can_read(settings, Read.PROVISIONAL_SCORES, row.unit_code)


def readable_rows(settings: Settings, rows: list[ResultRow] | tuple[ResultRow, ...]) -> list[ResultRow]:
    return [r for r in rows if may_see_row(settings, r)]


def readable_table(settings: Settings, table: GroupResults | None) -> GroupResults | None:
    """The results table with only the rows the reader may see (ranks as computed over the
    whole group: the published rank)."""
    if table is None:
        return None
    rows = tuple(readable_rows(settings, table.rows))
    return table if len(rows) == len(table.rows) else replace(table, rows=rows)


def hidden_count(settings: Settings, table: GroupResults | None) -> int:
    """How many rows of the table the reader may not see (provisional scores)."""
    return 0 if table is None else len(table.rows) - len(readable_rows(settings, table.rows))


HIDDEN_NOTE = (
    "{n} đơn vị còn điểm tạm tính (chưa thẩm định lần 2) không hiển thị: chỉ kết quả đã công bố "
    "được công khai."
)


def record_export(engine: Engine | None, what: Read, target: str, detail: str | None = None) -> None:
    """An audit row for a download of restricted data (public figures write none)."""
    if what in PUBLIC_READS or engine is None:
        return
    who = actor()
    with engine.begin() as conn:
        audit.record(conn, AuditAction.EXPORT, who, target=target, detail=detail or READ_LABELS[what])


# Pages only some accounts may open, for the account corner: (what they read, label, path).
RESTRICTED_PAGES: list[tuple[Read, str, str]] = [
    (Read.OFFICIALS_STATS, "Thống kê cán bộ", "/officials"),
    (Read.AUDIT, "Nhật ký", "/audit"),
]


def account_corner(settings: Settings, prefix: str, path: str, search: str | None) -> Any:
    """The top bar's account corner for the current reader (layouts.common.account)."""
    who = actor()
    if who is None:
        return account_bar(prefix, name=None, role_text=None, next_href=login_href(prefix, path, search))
    role_text = "Màn hình trình chiếu (chỉ xem)" if who.kiosk else who.role_text
    links = [
        (label, page) for what, label, page in RESTRICTED_PAGES if can_read(settings, what, who.unit_code)
    ]
    if who.kiosk:
        links = []
    name = who.name.split(" ", 1)[-1] if who.kiosk else who.name
    return account_bar(prefix, name=name, role_text=role_text, next_href="", links=links)


FORGED = (
    "Yêu cầu không hợp lệ: dữ liệu gửi lên không khớp với thao tác của trang. Tải lại trang rồi thao tác lại."
)


def check_payloads(server: Flask, callback_map: dict[str, Any], update_path: str) -> None:
    """Refuse (400, Vietnamese) a callback request whose body is not what the page sends:
    an unknown output, or fewer or more inputs and states than the callback declares —
    before Dash runs anything (no traceback, nothing written)."""

    def check() -> Response | None:
        if request.method != "POST" or request.path != update_path:
            return None
        body = request.get_json(silent=True)
        spec = callback_map.get(body.get("output")) if isinstance(body, dict) else None
        if spec is None or not all(isinstance(body.get(k, []), list) for k in ("inputs", "state")):
            return Response(FORGED, status=400, mimetype=TEXT)
        declared = (len(spec.get("inputs", [])), len(spec.get("state", [])))
        if (len(body.get("inputs", [])), len(body.get("state", []))) != declared:
            log.warning("callback %s: forged payload refused", str(body.get("output"))[:120])
            return Response(FORGED, status=400, mimetype=TEXT)
        return None

    server.before_request(check)
