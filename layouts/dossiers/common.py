"""What the dossier pages share: the top bar with its links, the page frame (own URL and
content container), the messages, the login prompt and the refusal, the as-of line and the
rule and source lines every export carries."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from typing import Any
from urllib.parse import urlencode

from dash import dcc, html

from layouts.common.dossier_links import DUE_SOON_PATH, LOOKUP_PATH
from layouts.common.frame import nav_header
from layouts.common.urls import app_path
from layouts.dossiers.ids import DossierIds
from vi_format import format_date, format_int

SUBTITLE = "Hồ sơ thủ tục hành chính"
NAV = (
    ("/", "Bản đồ"),
    (DUE_SOON_PATH, "Cảnh báo"),
    (LOOKUP_PATH, "Tra cứu hồ sơ"),
)
LOGIN_PROMPT = "Cần đăng nhập để xem danh sách hồ sơ."


def file_name(*parts: str) -> str:
    """ "ho-so-pending_overdue-502-2026-10.csv": the parts joined by "-", every character
    other than letters, digits, "_" and "." replaced (safe in a Content-Disposition)."""
    text = "-".join(p for p in parts if p)
    return re.sub(r"[^A-Za-z0-9_.-]", "_", text)[:120] + ".csv"


def as_of_phrase(day: date) -> str:
    """ "tính đến ngày 27/11/2026"."""
    return f"tính đến ngày {format_date(day)}"


def dossier_header(current: str) -> html.Header:
    return nav_header(SUBTITLE, NAV, current)


def page_frame(current: str, location_id: str, content_id: str) -> html.Div:
    """The fixed frame: the top bar, the page's own URL, the container its callback fills."""
    return html.Div(
        [
            dcc.Location(id=location_id, refresh=False),
            dossier_header(current),
            html.Main(id=content_id, className="dossier-body", **{"aria-live": "polite"}),
        ],
        className="app dossier-page",
    )


def messages_box(messages: Sequence[str], alert: bool = False) -> html.Div | None:
    if not messages:
        return None
    return html.Div([html.P(m) for m in messages], className="message", role="alert" if alert else "status")


def login_prompt(path: str, search: str | None) -> list[Any]:
    """Anonymous visitors: what they need, and the login link that brings them back here."""
    back = path + (search or "")
    return [
        html.Div(
            [
                html.P(LOGIN_PROMPT),
                html.P(
                    html.A(
                        "Đăng nhập",
                        href=app_path("/login?" + urlencode({"next": back})),
                        className="login-link",
                    )
                ),
            ],
            className="message",
            role="alert",
            id=DossierIds.ACCESS,
        )
    ]


def refusal(message: str) -> list[Any]:
    """A logged-in account whose role may not see the list: the reason (accounts.permissions)."""
    return [html.Div(html.P(message), className="message", role="alert", id=DossierIds.ACCESS)]


def heading(title: str, subtitle: str | None, as_of_day: date | None, running: bool) -> html.Div:
    """The title, the unit/period line and, for a period that has not ended, "tính đến ngày …"."""
    parts: list[Any] = [html.H2(title, className="scoring-title", id=DossierIds.TITLE)]
    if subtitle:
        parts.append(html.P(subtitle, className="scoring-subtitle"))
    if as_of_day is not None:
        text = ("Kỳ chưa kết thúc: số liệu " if running else "Số liệu ") + as_of_phrase(as_of_day)
        parts.append(html.P(text, className="as-of", id=DossierIds.AS_OF))
    return html.Div(parts, className="scoring-heading")


def download_link(href: str, label: str = "Tải CSV") -> html.A:
    """A plain link to the CSV route (the server checks the account again)."""
    return html.A(label, href=href, className="download-link", id=DossierIds.DOWNLOAD, download="")


def total_line(total: int, what: str) -> html.P:
    return html.P(
        [html.Strong(format_int(total), id=DossierIds.TOTAL), f" {what}"], className="dossier-total"
    )
