"""The audit trail page (/audit, Nhật ký hệ thống), for Quản trị and Lãnh đạo: the filter
(since a day, one account), the newest rows, and the CSV of every matching row. Pure:
callbacks/audit/page.py reads the rows and checks who asks."""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import urlencode

from dash import dcc, html

from accounts.audit import AuditEntry
from layouts.common.plain import field, filter_form, messages, plain_page, text_table
from layouts.common.urls import app_path

AUDIT_PATH = "/audit"
AUDIT_CSV_PATH = "/audit.csv"
SUBTITLE = "Nhật ký hệ thống"
HEADERS = ("Thời gian", "Tài khoản", "Địa chỉ", "Hành động", "Đối tượng", "Chi tiết")


def csv_href(since: str, user: str) -> str:
    query = {k: v for k, v in (("since", since), ("user", user)) if v}
    return app_path(AUDIT_CSV_PATH + (f"?{urlencode(query)}" if query else ""))


def _row(e: AuditEntry) -> list[str]:
    return [
        f"{e.at:%d/%m/%Y %H:%M:%S}",
        e.account or "(ẩn danh)",
        e.address or "",
        e.action_label,
        e.target or "",
        (e.detail or "")[:300],
    ]


def audit_layout(
    *,
    refused: str | None = None,
    rows: Sequence[AuditEntry] = (),
    since: str = "",
    user: str = "",
    problems: Sequence[str] = (),
    more: bool = False,
) -> html.Div:
    """The page; `refused`: why the reader may not see it (nothing else is shown)."""
    if refused is not None:
        return plain_page(SUBTITLE, [html.H2(SUBTITLE), messages([refused], alert=True)], "audit-page")
    filters = filter_form(
        AUDIT_PATH,
        [
            field("Từ ngày", dcc.Input(id="audit-since", name="since", type="date", value=since)),
            field(
                "Tài khoản", dcc.Input(id="audit-user", name="user", type="text", value=user, maxLength=60)
            ),
        ],
        "Lọc",
    )
    shown = f"{len(rows)} dòng mới nhất" + (" (còn nữa: tải CSV để có đủ)" if more else "")
    body = [
        html.H2(SUBTITLE),
        filters,
        messages(list(problems), alert=True),
        html.P(
            [shown, " · ", html.A("Tải CSV", href=csv_href(since, user), className="plain-download")],
            className="audit-count",
        ),
        html.Div(
            text_table(HEADERS, [_row(e) for e in rows], class_name="audit-table"),
            className="plain-table-wrap",
        ),
    ]
    return plain_page(SUBTITLE, body, "audit-page")
