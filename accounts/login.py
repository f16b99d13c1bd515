"""Logging in: the password check, the brute-force limits and the audit rows of each attempt.

Limits (counted in the database, so they hold whatever server process answers):
- 5 failed logins for one user name within 15 minutes (since its last successful login),
- or 20 failed logins from one address within 15 minutes,
lock further attempts of that user name / from that address for 15 minutes. While locked,
an attempt is refused before the password is checked, is not counted again, and is
recorded in the audit trail. The messages never tell whether a user name exists, except
that a disabled account is named once its correct password is given.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Connection, func, insert, select, update

from accounts import audit
from accounts.audit import AuditAction
from accounts.passwords import hash_password, needs_rehash, verify_password
from accounts.permissions import Actor
from accounts.sessions import session_actor, start_session
from accounts.store import USERNAME_RULE, normalise_username
from db.schema_accounts import USERNAME, accounts, login_attempts, login_lockouts
from vi_format import format_datetime

MAX_ACCOUNT_FAILURES = 5
MAX_ADDRESS_FAILURES = 20
WINDOW = timedelta(minutes=15)
LOCK_TIME = timedelta(minutes=15)
WRONG = "Tên đăng nhập hoặc mật khẩu không đúng."
UNKNOWN_ADDRESS = "không rõ"


@dataclass(frozen=True)
class LoginResult:
    actor: Actor | None  # None: refused
    session_token: str | None
    message: str  # Vietnamese: why refused, or a greeting

    @property
    def ok(self) -> bool:
        return self.actor is not None


def _locked_until(conn: Connection, scope: str, key: str, now: datetime) -> datetime | None:
    lk = login_lockouts.c
    return conn.execute(
        select(func.max(lk.locked_until)).where(lk.scope == scope, lk.key == key, lk.locked_until > now)
    ).scalar()


def _last_lock_end(conn: Connection, scope: str, key: str) -> datetime | None:
    lk = login_lockouts.c
    return conn.execute(select(func.max(lk.locked_until)).where(lk.scope == scope, lk.key == key)).scalar()


def _failures_since(conn: Connection, column: str, key: str, since: datetime) -> int:
    at = login_attempts.c
    return int(
        conn.execute(
            select(func.count()).where(at[column] == key, at.succeeded.is_(False), at.attempted_at > since)
        ).scalar_one()
    )


def _count_start(conn: Connection, scope: str, key: str, now: datetime) -> datetime:
    """Failures count from 15 minutes ago, or from the end of the last lockout (and, for a
    user name, from its last successful login) when later."""
    starts = [now - WINDOW, _last_lock_end(conn, scope, key)]
    if scope == "account":
        at = login_attempts.c
        starts.append(
            conn.execute(
                select(func.max(at.attempted_at)).where(at.username == key, at.succeeded.is_(True))
            ).scalar()
        )
    return max(s for s in starts if s is not None)


def _lock_if_needed(
    conn: Connection, scope: str, key: str, limit: int, username: str, address: str, now: datetime
) -> datetime | None:
    column = "username" if scope == "account" else "address"
    if _failures_since(conn, column, key, _count_start(conn, scope, key, now)) < limit:
        return None
    until = now + LOCK_TIME
    conn.execute(insert(login_lockouts).values(scope=scope, key=key, locked_at=now, locked_until=until))
    what = f"tên đăng nhập {username}" if scope == "account" else f"địa chỉ {address}"
    audit.record(
        conn,
        AuditAction.LOCKOUT,
        account=username,
        address=address,
        target=what,
        detail=f"{limit} lần đăng nhập sai trong 15 phút; khóa đến {format_datetime(until)}",
        when=now,
    )
    return until


def _locked_message(until: datetime) -> str:
    return (
        "Đăng nhập sai quá nhiều lần: tạm khóa đăng nhập đến "
        f"{format_datetime(until)} (15 phút). Thử lại sau thời gian này."
    )


def _failed(conn: Connection, username: str, address: str, now: datetime) -> LoginResult:
    conn.execute(
        insert(login_attempts).values(username=username, address=address, attempted_at=now, succeeded=False)
    )
    audit.record(conn, AuditAction.LOGIN_FAILED, account=username, address=address, when=now)
    until = _lock_if_needed(conn, "account", username, MAX_ACCOUNT_FAILURES, username, address, now)
    until = _lock_if_needed(conn, "address", address, MAX_ADDRESS_FAILURES, username, address, now) or until
    return LoginResult(None, None, WRONG if until is None else f"{WRONG} {_locked_message(until)}")


def attempt_login(
    conn: Connection, username: str, password: str, address: str | None, now: datetime
) -> LoginResult:
    """Check a login in the caller's transaction: on success a new session (its token for
    the cookie) and the account's Actor; otherwise the Vietnamese reason."""
    name = normalise_username(username)[:USERNAME]
    where = (address or UNKNOWN_ADDRESS)[:64]
    if not name or not password:
        return LoginResult(None, None, "Nhập tên đăng nhập và mật khẩu.")
    locks = [
        u
        for u in (_locked_until(conn, "account", name, now), _locked_until(conn, "address", where, now))
        if u
    ]
    if locks:
        audit.record(
            conn, AuditAction.LOGIN_REFUSED, account=name, address=where, detail="đang tạm khóa", when=now
        )
        return LoginResult(None, None, _locked_message(max(locks)))
    row = None
    if USERNAME_RULE.match(name):
        row = conn.execute(select(accounts).where(accounts.c.username == name)).first()
    if not verify_password(row.password_hash if row is not None else None, password):
        return _failed(conn, name, where, now)
    assert row is not None
    if row.disabled_at is not None:
        conn.execute(
            insert(login_attempts).values(username=name, address=where, attempted_at=now, succeeded=False)
        )
        audit.record(
            conn,
            AuditAction.LOGIN_REFUSED,
            account=name,
            address=where,
            detail="tài khoản bị vô hiệu hóa",
            when=now,
        )
        return LoginResult(None, None, f"Tài khoản {name} đã bị vô hiệu hóa: liên hệ quản trị hệ thống.")
    if needs_rehash(row.password_hash):
        conn.execute(
            update(accounts).where(accounts.c.id == row.id).values(password_hash=hash_password(password))
        )
    conn.execute(
        insert(login_attempts).values(username=name, address=where, attempted_at=now, succeeded=True)
    )
    token = start_session(conn, row.id, where, now)
    actor = session_actor(conn, token, where)
    assert actor is not None
    audit.record(conn, AuditAction.LOGIN, actor, when=now)
    return LoginResult(actor, token, f"Đã đăng nhập: {name} ({actor.role_text}).")
