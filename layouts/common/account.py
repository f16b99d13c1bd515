"""The account corner of every page's top bar: who is logged in (name and role labels) with
a link to log out, or a link to log in for an anonymous visitor (back to this page after
the login). Pure: the router (app.py) gives it what callbacks.common.auth knows."""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import urlencode

from dash import html

ACCOUNT_BAR_ID = "account-bar"
LOGIN_TEXT = "Đăng nhập"
LOGOUT_TEXT = "Đăng xuất"


def login_href(prefix: str, path: str, search: str | None) -> str:
    """/login?next=<this page> (the login only returns to local paths: accounts.web.safe_next)."""
    return f"{prefix}login?" + urlencode({"next": path + (search or "")})


def account_bar(
    prefix: str,
    *,
    name: str | None,
    role_text: str | None,
    next_href: str,
    links: Sequence[tuple[str, str]] = (),
) -> html.Div:
    """`name` None: an anonymous visitor (a login link); else the account, its roles, the
    pages only it may open (`links`: label, path) and the logout link."""
    if name is None:
        body = [html.A(LOGIN_TEXT, href=next_href, className="account-link account-login")]
    else:
        body = [
            html.Span(
                [
                    html.Strong(name, className="account-name"),
                    html.Span(role_text, className="account-roles"),
                ],
                className="account-who",
                title=f"{name} ({role_text})",
            ),
            *(
                html.A(label, href=prefix + path.lstrip("/"), className="account-link")
                for label, path in links
            ),
            html.A(LOGOUT_TEXT, href=f"{prefix}logout", className="account-link account-logout"),
        ]
    return html.Div(body, id=ACCOUNT_BAR_ID, className="account-bar")
