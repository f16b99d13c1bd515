"""Login sessions kept in the database, so that every server process agrees on them.

The browser holds a random session id inside Flask's signed cookie; the table keeps only
its sha256 (whoever reads the database cannot take over a session). A session is valid
while it has not ended and its account is enabled: a logout, a password change or a
disabled account ends it on every process at once. Idle timeout and absolute lifetime are
checked by the web layer from the times in the signed cookie (accounts.web).
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

from sqlalchemy import Connection, and_, insert, select, update

from accounts.permissions import Actor, Role
from db.schema_accounts import account_roles, account_sessions, accounts

TOKEN_BYTES = 32  # 256 random bits, 43 URL-safe characters


def digest(token: str) -> str:
    """sha256 hex of a random token (session id, kiosk token): what the database keeps."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def start_session(conn: Connection, account_id: int, address: str | None, when: datetime) -> str:
    """A new session of the account; returns its id (for the cookie, never stored as is)."""
    token = new_token()
    conn.execute(
        insert(account_sessions).values(
            id_hash=digest(token), account_id=account_id, started_at=when, address=address
        )
    )
    return token


def session_actor(conn: Connection, token: str, address: str | None = None) -> Actor | None:
    """The Actor of an open session of an enabled account; None otherwise."""
    s, a = account_sessions.c, accounts.c
    row = conn.execute(
        select(a.id, a.username, a.unit_code)
        .select_from(account_sessions.join(accounts, a.id == s.account_id))
        .where(s.id_hash == digest(token), s.ended_at.is_(None), a.disabled_at.is_(None))
    ).first()
    if row is None:
        return None
    roles = conn.execute(select(account_roles.c.role).where(account_roles.c.account_id == row.id)).scalars()
    return Actor(row.username, frozenset(Role(r) for r in roles), row.unit_code, address)


def end_session(conn: Connection, token: str, reason: str, when: datetime) -> str | None:
    """End an open session; returns its account's user name (None: no such open session)."""
    s, a = account_sessions.c, accounts.c
    key = digest(token)
    username = conn.execute(
        select(a.username)
        .select_from(account_sessions.join(accounts, a.id == s.account_id))
        .where(s.id_hash == key, s.ended_at.is_(None))
    ).scalar()
    if username is None:
        return None
    conn.execute(
        update(account_sessions)
        .where(and_(s.id_hash == key, s.ended_at.is_(None)))
        .values(ended_at=when, end_reason=reason)
    )
    return str(username)
