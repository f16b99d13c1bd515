"""Accounts on the Flask server under Dash: login and logout pages, the session cookie,
the cross-site check of every POST, the kiosk token of the wall, and `current_actor()`.

- Session: Flask's signed cookie (HttpOnly, SameSite=Lax, Secure with COOKIE_SECURE=1),
  signed with SECRET_KEY (or DATA_DIR/secret_key), so any server process sharing the key
  reads it. It carries a random session id whose hash is in `account_sessions`: a logout,
  a password change or a disabled account ends the session on every process. A session
  ends after SESSION_IDLE_MINUTES (default 30) without activity — a timer's poll
  (`*.n_intervals` callbacks) is not activity — and SESSION_MAX_HOURS (default 12) after
  the login, whatever the activity. A cookie signed with another key is no session.
- Cross-site requests: every POST (Dash's /_dash-update-component included) must come
  from the app's own origin: its Origin header, else its Referer, names the host the
  request was sent to; otherwise 403 and nothing runs.
- Kiosk: `/wall?token=…` (or `/?kiosk=1&token=…`) redeems a kiosk token into the session
  and reloads the page without it; the wall then reads as a leader, writes nothing, and
  stops at its next request once the token is revoked.
- PUBLIC_ACCESS=none: without a session every page redirects to /login and every other
  request but the login page's stylesheets is refused.
Nothing here imports Dash: callbacks call `current_actor()` within their request.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode, urlsplit

from flask import Flask, Response, current_app, g, has_request_context, redirect, request, session
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from accounts import audit
from accounts.audit import AuditAction
from accounts.kiosk import kiosk_actor, redeem
from accounts.login import attempt_login
from accounts.login_page import login_page, logout_page, refusal_page
from accounts.permissions import Actor
from accounts.secret import load_or_create_secret
from accounts.sessions import end_session, session_actor
from clock import now_local
from config import Settings

log = logging.getLogger(__name__)
AUTH_KEY = "bando_accounts"
ACTOR_KEY = "bando_actor"
ACTOR_ERROR_KEY = "bando_actor_error"  # the database failed while the session was checked
COOKIE_NAME = "bando_session"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
SEEN_REFRESH_SECONDS = 30  # how stale the cookie's "last activity" may get before it is rewritten
CROSS_SITE = (
    "Yêu cầu bị từ chối: không gửi từ trang của ứng dụng (thiếu hoặc sai nguồn gốc Origin/Referer). "
    "Mở lại trang rồi thao tác lại."
)
LOGIN_REQUIRED = "Cần đăng nhập để xem trang này."
HTML_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; frame-ancestors 'none'; form-action 'self'",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
    "Referrer-Policy": "same-origin",
}


@dataclass(frozen=True)
class WebAccounts:
    engine: Engine
    settings: Settings
    prefix: str  # the URL prefix browsers use (Dash's requests_pathname_prefix), ends with "/"
    stylesheets: list[str] = field(default_factory=list)

    def url(self, path: str) -> str:
        return self.prefix + path.lstrip("/")


def install(
    server: Flask,
    engine: Engine,
    settings: Settings,
    *,
    routes_prefix: str = "/",
    url_prefix: str = "/",
    stylesheets: Sequence[str] = (),
) -> None:
    """Put the session, the checks and the login/logout routes on the server."""
    server.secret_key = settings.secret_key or load_or_create_secret(settings.data_dir)
    server.config.update(
        SESSION_COOKIE_NAME=COOKIE_NAME,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.cookie_secure,
        PERMANENT_SESSION_LIFETIME=timedelta(hours=settings.session_max_hours),
        # the cookie expires at the end of the absolute lifetime and is rewritten only when
        # its content changes (not on every bundle and asset response)
        SESSION_REFRESH_EACH_REQUEST=False,
    )
    server.extensions[AUTH_KEY] = WebAccounts(engine, settings, url_prefix, list(stylesheets))
    server.before_request(same_origin_only)
    server.before_request(load_actor)
    server.add_url_rule(routes_prefix + "login", "bando_login", login_view, methods=["GET", "POST"])
    server.add_url_rule(routes_prefix + "logout", "bando_logout", logout_view, methods=["GET", "POST"])


def _accounts() -> WebAccounts:
    return current_app.extensions[AUTH_KEY]


def current_actor() -> Actor | None:
    """The logged-in account (or kiosk) of the current request; None: anonymous."""
    if not has_request_context():
        return None
    error = g.get(ACTOR_ERROR_KEY)
    if error is not None:  # the session could not be checked: nobody acts unverified
        raise error
    return g.get(ACTOR_KEY)


# -- responses -------------------------------------------------------------------------------


def html_response(body: str, status: int = 200) -> Response:
    return Response(body, status=status, mimetype="text/html", headers=HTML_HEADERS)


def refuse(message: str, status: int = 403) -> Response:
    """A refusal: text for the app's own requests (callbacks), a page for a browser's."""
    wanted = request.path.startswith(_accounts().url("_dash")) or request.method not in SAFE_METHODS
    if wanted:
        return Response(message, status=status, mimetype="text/plain")
    accounts = _accounts()
    return html_response(refusal_page(message, accounts.stylesheets, accounts.url("login")), status)


def safe_next(text: str | None, home: str) -> str:
    """A local path to go back to after the login; anything else (another site, a scheme,
    backslashes, control characters) is replaced by `home` — no open redirect."""
    if not text:
        return home
    text = text.strip()
    if not text.startswith("/") or text.startswith("//") or "\\" in text or any(ord(c) < 32 for c in text):
        return home
    parts = urlsplit(text)
    return home if parts.scheme or parts.netloc else text


# -- request hooks ---------------------------------------------------------------------------


def same_origin(origin: str | None, referer: str | None, host: str) -> bool:
    """Whether a request names the host it was sent to as its origin (Origin, else Referer)."""
    source = origin if origin else referer
    if not source or source == "null":
        return False
    return urlsplit(source).netloc.lower() == host.lower()


def same_origin_only() -> Response | None:
    if request.method in SAFE_METHODS:
        return None
    if same_origin(request.headers.get("Origin"), request.headers.get("Referer"), request.host):
        return None
    log.warning(
        "cross-site %s %s refused (Origin %r)", request.method, request.path, request.headers.get("Origin")
    )
    return refuse(CROSS_SITE)


def _is_activity() -> bool:
    """False for a timer's callback (every input that changed is an `n_intervals`)."""
    if not request.path.endswith("_dash-update-component"):
        return True
    body = request.get_json(silent=True) or {}
    changed = body.get("changedPropIds") if isinstance(body, dict) else None
    return not (
        isinstance(changed, list) and changed and all(str(p).endswith(".n_intervals") for p in changed)
    )


def _expire(accounts: WebAccounts, token: str, why: str) -> None:
    with accounts.engine.begin() as conn:
        name = end_session(conn, token, "expired", now_local())
        if name is not None:
            audit.record(conn, AuditAction.LOGOUT, account=name, address=request.remote_addr, detail=why)
    session.clear()
    session["expired"] = why


def _session_actor(accounts: WebAccounts, now: float) -> Actor | None:
    kiosk = session.get("kiosk")
    if kiosk is not None:
        with accounts.engine.connect() as conn:
            actor = kiosk_actor(conn, int(kiosk), request.remote_addr)
        if actor is None:
            session.clear()
        return actor
    token = session.get("sid")
    if not isinstance(token, str):
        return None
    settings = accounts.settings
    seen, started = float(session.get("seen", 0)), float(session.get("login_at", 0))
    if now - seen > settings.session_idle_minutes * 60:
        _expire(accounts, token, f"hết hạn sau {settings.session_idle_minutes} phút không thao tác")
        return None
    if now - started > settings.session_max_hours * 3600:
        _expire(accounts, token, f"hết hạn {settings.session_max_hours} giờ sau khi đăng nhập")
        return None
    with accounts.engine.connect() as conn:
        actor = session_actor(conn, token, request.remote_addr)
    if actor is None:  # logged out elsewhere, password changed, account disabled
        session.clear()
    elif now - seen > SEEN_REFRESH_SECONDS and _is_activity():
        session["seen"] = now
    return actor


def _is_wall_request(accounts: WebAccounts) -> bool:
    path = request.path.rstrip("/") + "/"
    return path == accounts.url("wall/") or (path == accounts.prefix and request.args.get("kiosk") == "1")


def _redeem_kiosk(accounts: WebAccounts, token: str) -> Response:
    with accounts.engine.begin() as conn:
        token_id = redeem(conn, token, request.remote_addr, now_local())
    if token_id is None:
        return refuse("Mã màn hình trình chiếu không hợp lệ hoặc đã bị thu hồi.")
    session.clear()
    session["kiosk"] = token_id
    rest = [(k, v) for k, v in request.args.items(multi=True) if k != "token"]
    return redirect(request.path + (f"?{urlencode(rest)}" if rest else ""), 303)


LOAD_BALANCER_PATHS = ("/healthz", "/readyz")  # app.register_health: never behind the login


def _static(accounts: WebAccounts) -> bool:
    """Files that are the same for everyone (stylesheets, scripts, the icon): no session work."""
    path = request.path
    return path == accounts.url("_favicon.ico") or path.startswith(
        (accounts.url("assets/"), accounts.url("_dash-component-suites/"))
    )


def _open_without_login(accounts: WebAccounts) -> bool:
    lb_paths = (*LOAD_BALANCER_PATHS, *(accounts.url(p) for p in LOAD_BALANCER_PATHS))
    return request.path in (accounts.url("login"), accounts.url("logout"), *lb_paths)


def load_actor() -> Response | None:
    """Who asks (g[ACTOR_KEY]); the kiosk token of the wall; the PUBLIC_ACCESS=none gate."""
    accounts = _accounts()
    setattr(g, ACTOR_KEY, None)
    if _static(accounts):
        return None
    token = request.args.get("token")
    if request.method == "GET" and token and _is_wall_request(accounts):
        return _redeem_kiosk(accounts, token)
    try:
        actor = _session_actor(accounts, time.time())
    except SQLAlchemyError as exc:
        if accounts.settings.public_access != "map" and not _open_without_login(accounts):
            raise  # no page without a session: 503 (callbacks/common/errors.py)
        # Public pages read on (they fail by themselves if the data are away); whoever asks
        # who acts gets the database error (current_actor), so an action fails as the data do.
        setattr(g, ACTOR_ERROR_KEY, exc)
        return None
    setattr(g, ACTOR_KEY, actor)
    if actor is not None or accounts.settings.public_access == "map" or _open_without_login(accounts):
        return None
    if request.method == "GET" and not request.path.startswith(accounts.url("_dash")):
        wanted = request.full_path if request.query_string else request.path
        return redirect(accounts.url("login") + "?" + urlencode({"next": wanted}), 303)
    return refuse(LOGIN_REQUIRED)


# -- views -----------------------------------------------------------------------------------


def _login_form(accounts: WebAccounts, status: int = 200, **kwargs: Any) -> Response:
    actor = current_actor()
    page = login_page(
        action=accounts.url("login"),
        stylesheets=accounts.stylesheets,
        home=accounts.prefix,
        signed_in_as=None if actor is None or actor.kiosk else actor.name,
        **kwargs,
    )
    return html_response(page, status)


def login_view() -> Response:
    accounts = _accounts()
    next_path = safe_next(request.values.get("next"), accounts.prefix)
    if request.method == "GET":
        expired = session.pop("expired", None)
        if expired:
            message, alert = f"Phiên làm việc đã {expired}: đăng nhập lại.", True
        else:
            message, alert = ("Đã đăng xuất." if request.args.get("out") == "1" else None), False
        return _login_form(accounts, next_path=next_path, message=message, alert=alert)
    username = request.form.get("username", "")
    with accounts.engine.begin() as conn:
        result = attempt_login(
            conn, username, request.form.get("password", ""), request.remote_addr, now_local()
        )
    if not result.ok:  # the form again with the reason (200: a refusal is a page, not an error)
        return _login_form(
            accounts,
            next_path=next_path,
            username=username.strip()[:60],
            message=result.message,
            alert=True,
        )
    replaced = session.get("sid")
    if isinstance(replaced, str):  # another account logged in on this browser: its session ends
        with accounts.engine.begin() as conn:
            end_session(conn, replaced, "replaced", now_local())
    session.clear()
    session.permanent = True
    session["sid"] = result.session_token
    session["login_at"] = session["seen"] = time.time()
    return redirect(next_path, 303)


def logout_view() -> Response:
    accounts = _accounts()
    actor = current_actor()
    if request.method == "GET":
        page = logout_page(
            action=accounts.url("logout"),
            stylesheets=accounts.stylesheets,
            username=None if actor is None else actor.name,
            home=accounts.prefix,
        )
        return html_response(page)
    token = session.get("sid")
    if isinstance(token, str):
        with accounts.engine.begin() as conn:
            name = end_session(conn, token, "logout", now_local())
            if name is not None:
                audit.record(conn, AuditAction.LOGOUT, actor, account=name, address=request.remote_addr)
    session.clear()
    return redirect(accounts.url("login") + "?out=1", 303)
