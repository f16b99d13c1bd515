"""Kiosk tokens for the wall display (màn hình trình chiếu): a long random token, shown once
when created (`python cli.py users kiosk-token`), stored as its sha256, revocable.

The wall opens `/wall?token=…` once; the web layer redeems the token into the browser's
session and from then on asks `kiosk_actor` on each request, so a revoked token stops the
display at its next request. A kiosk reads what a leader reads (not the audit trail) and
writes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, insert, select, update

from accounts import audit
from accounts.audit import AuditAction
from accounts.permissions import Action, Actor, Role, authorize
from accounts.sessions import digest, new_token
from clock import now_local
from db.schema_accounts import kiosk_tokens
from vi_format import format_datetime

MAX_LABEL = 100


class KioskError(ValueError):
    """A refused kiosk-token change (Vietnamese message)."""


@dataclass(frozen=True)
class KioskToken:
    id: int
    label: str
    created_at: datetime
    created_by: str
    last_used_at: datetime | None
    revoked_at: datetime | None


def _actor(token_id: int, label: str, address: str | None) -> Actor:
    return Actor(f"kiosk:{token_id} {label}", frozenset({Role.LEADER}), None, address, kiosk=True)


def create_token(conn: Connection, label: str, by: Actor) -> tuple[KioskToken, str]:
    """A new token (returned once, in clear) and its record."""
    authorize(by, Action.MANAGE_ACCOUNTS)
    name = " ".join(label.split())[:MAX_LABEL]
    if not name:
        raise KioskError("Cần một tên cho màn hình (ví dụ: 'Phòng họp tầng 3').")
    token = new_token()
    now = now_local()
    token_id = conn.execute(
        insert(kiosk_tokens).values(label=name, token_hash=digest(token), created_at=now, created_by=by.name)
    ).inserted_primary_key[0]
    audit.record(conn, AuditAction.KIOSK_TOKEN_ADD, by, target=f"kiosk:{token_id} {name}", when=now)
    return KioskToken(token_id, name, now, by.name, None, None), token


def list_tokens(conn: Connection) -> list[KioskToken]:
    k = kiosk_tokens.c
    query = select(k.id, k.label, k.created_at, k.created_by, k.last_used_at, k.revoked_at).order_by(k.id)
    return [KioskToken(*r) for r in conn.execute(query)]


def revoke_token(conn: Connection, token_id: int, by: Actor) -> KioskToken:
    authorize(by, Action.MANAGE_ACCOUNTS)
    found = next((t for t in list_tokens(conn) if t.id == token_id), None)
    if found is None:
        raise KioskError(f"Không có mã màn hình số {token_id}.")
    if found.revoked_at is not None:
        raise KioskError(f"Mã màn hình số {token_id} đã bị thu hồi lúc {format_datetime(found.revoked_at)}.")
    now = now_local()
    conn.execute(
        update(kiosk_tokens).where(kiosk_tokens.c.id == token_id).values(revoked_at=now, revoked_by=by.name)
    )
    audit.record(conn, AuditAction.KIOSK_TOKEN_REVOKE, by, target=f"kiosk:{token_id} {found.label}", when=now)
    return KioskToken(found.id, found.label, found.created_at, found.created_by, found.last_used_at, now)


def redeem(conn: Connection, token: str, address: str | None, when: datetime) -> int | None:
    """The id of a valid (not revoked) token, recorded as used; None for anything else."""
    k = kiosk_tokens.c
    row = conn.execute(
        select(k.id, k.label).where(k.token_hash == digest(token), k.revoked_at.is_(None))
    ).first()
    if row is None:
        return None
    conn.execute(update(kiosk_tokens).where(k.id == row.id).values(last_used_at=when))
    audit.record(conn, AuditAction.KIOSK_LOGIN, _actor(row.id, row.label, address), when=when)
    return int(row.id)


def kiosk_actor(conn: Connection, token_id: int, address: str | None = None) -> Actor | None:
    """The read-only Actor of a kiosk whose token is still valid."""
    k = kiosk_tokens.c
    row = conn.execute(select(k.id, k.label).where(k.id == token_id, k.revoked_at.is_(None))).first()
    return None if row is None else _actor(row.id, row.label, address)
