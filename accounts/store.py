"""Accounts: add, list, disable, change a password, and the `Actor` of an account.

Every change is checked (`authorize(by, MANAGE_ACCOUNTS)`), validated before anything is
written (AccountError with a Vietnamese message) and recorded in the audit trail in the
same transaction. Accounts are never deleted: a disabled account keeps its history.
Disabling an account or changing its password ends its open sessions on every process.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Connection, and_, insert, select, update

from accounts import audit
from accounts.audit import AuditAction
from accounts.passwords import PasswordProblem, check_new_password, hash_password
from accounts.permissions import Action, Actor, Role, authorize, parse_roles
from clock import now_local
from db.schema import agencies
from db.schema_accounts import account_roles, account_sessions, accounts
from vi_format import format_datetime

USERNAME_RULE = re.compile(r"^[a-z0-9][a-z0-9._-]{1,59}$")


class AccountError(ValueError):
    """A refused account change (Vietnamese message)."""


@dataclass(frozen=True)
class AccountInfo:
    id: int
    username: str
    full_name: str | None
    roles: frozenset[Role]
    unit_code: str | None
    unit_valid_from: date | None
    created_at: datetime
    disabled_at: datetime | None

    @property
    def enabled(self) -> bool:
        return self.disabled_at is None


def normalise_username(text: str) -> str:
    return text.strip().lower()


def check_username(username: str) -> str:
    name = normalise_username(username)
    if not USERNAME_RULE.match(name):
        raise AccountError(
            f"Tên đăng nhập '{username[:80]}' không hợp lệ: 2–60 ký tự a–z, 0–9, dấu chấm, gạch nối "
            "hoặc gạch dưới, bắt đầu bằng chữ hoặc số (không dấu, không khoảng trắng)."
        )
    return name


@dataclass(frozen=True)
class UnitTie:
    """The unit a staff account is tied to: an agency code and which of its versions (codes
    are reused across the 2025 reform): the one valid on the day, else the latest."""

    code: str
    valid_from: date
    name: str
    valid_to: date | None


def unit_tie(conn: Connection, code: str, today: date) -> UnitTie | None:
    a = agencies.c
    rows = conn.execute(
        select(a.code, a.valid_from, a.name, a.valid_to).where(a.code == code).order_by(a.valid_from)
    ).all()
    current = [r for r in rows if r.valid_from <= today and (r.valid_to is None or r.valid_to >= today)]
    chosen = (current or rows or [None])[-1]
    return None if chosen is None else UnitTie(chosen.code, chosen.valid_from, chosen.name, chosen.valid_to)


def _check_unit(
    conn: Connection, roles: frozenset[Role], unit_code: str | None, today: date
) -> UnitTie | None:
    unit = (unit_code or "").strip() or None
    if Role.UNIT_STAFF in roles and unit is None:
        raise AccountError("Tài khoản cán bộ đơn vị (unit_staff) phải gắn với một đơn vị: thêm --unit MÃ.")
    if unit is None:
        return None
    if Role.UNIT_STAFF not in roles:
        raise AccountError("Chỉ tài khoản cán bộ đơn vị (unit_staff) gắn với một đơn vị (--unit).")
    tie = unit_tie(conn, unit, today)
    if tie is None:
        raise AccountError(f"Mã đơn vị '{unit[:40]}' không có trong danh mục cơ quan (agencies).")
    return tie


def find_account(conn: Connection, username: str) -> AccountInfo | None:
    found = list_accounts(conn, [normalise_username(username)])
    return found[0] if found else None


def list_accounts(conn: Connection, usernames: Iterable[str] | None = None) -> list[AccountInfo]:
    """Every account (or the named ones) with its roles, by user name."""
    a = accounts.c
    query = select(accounts).order_by(a.username)
    if usernames is not None:
        query = query.where(a.username.in_(list(usernames)))
    rows = conn.execute(query).all()
    roles: dict[int, set[Role]] = {}
    ids = [r.id for r in rows]
    if ids:
        for account_id, role in conn.execute(
            select(account_roles.c.account_id, account_roles.c.role).where(
                account_roles.c.account_id.in_(ids)
            )
        ):
            roles.setdefault(account_id, set()).add(Role(role))
    return [
        AccountInfo(
            r.id,
            r.username,
            r.full_name,
            frozenset(roles.get(r.id, ())),
            r.unit_code,
            r.unit_valid_from,
            r.created_at,
            r.disabled_at,
        )
        for r in rows
    ]


def add_account(
    conn: Connection,
    username: str,
    password: str,
    role_codes: Iterable[str],
    by: Actor,
    unit_code: str | None = None,
    full_name: str | None = None,
    today: date | None = None,
) -> AccountInfo:
    """A new account with its roles (at least one)."""
    authorize(by, Action.MANAGE_ACCOUNTS)
    name = check_username(username)
    try:
        roles = parse_roles(role_codes)
    except ValueError as exc:
        raise AccountError(str(exc)) from None
    if not roles:
        raise AccountError("Tài khoản cần ít nhất một vai trò (--role).")
    now = now_local()
    tie = _check_unit(conn, roles, unit_code, today or now.date())
    try:
        check_new_password(password, name)
    except PasswordProblem as exc:
        raise AccountError(str(exc)) from None
    if find_account(conn, name) is not None:
        raise AccountError(f"Tên đăng nhập '{name}' đã có.")
    full = (full_name or "").strip()[:200] or None
    account_id = conn.execute(
        insert(accounts).values(
            username=name,
            full_name=full,
            password_hash=hash_password(password),
            unit_code=tie.code if tie else None,
            unit_valid_from=tie.valid_from if tie else None,
            created_at=now,
            password_changed_at=now,
        )
    ).inserted_primary_key[0]
    conn.execute(insert(account_roles), [{"account_id": account_id, "role": str(r)} for r in sorted(roles)])
    detail = f"vai trò: {', '.join(sorted(roles))}" + (f"; đơn vị: {tie.code} {tie.name}" if tie else "")
    audit.record(conn, AuditAction.ACCOUNT_ADD, by, target=name, detail=detail, when=now)
    info = find_account(conn, name)
    assert info is not None
    return info


def _existing(conn: Connection, username: str) -> AccountInfo:
    info = find_account(conn, username)
    if info is None:
        raise AccountError(f"Không có tài khoản '{normalise_username(username)[:60]}'.")
    return info


def end_sessions(conn: Connection, account_id: int, reason: str, when: datetime) -> None:
    s = account_sessions.c
    conn.execute(
        update(account_sessions)
        .where(and_(s.account_id == account_id, s.ended_at.is_(None)))
        .values(ended_at=when, end_reason=reason)
    )


def disable_account(conn: Connection, username: str, by: Actor) -> AccountInfo:
    """The account can no longer log in; its open sessions end now."""
    authorize(by, Action.MANAGE_ACCOUNTS)
    info = _existing(conn, username)
    if not info.enabled:
        raise AccountError(
            f"Tài khoản '{info.username}' đã bị vô hiệu hóa từ {format_datetime(info.disabled_at)}."
        )
    now = now_local()
    conn.execute(update(accounts).where(accounts.c.id == info.id).values(disabled_at=now))
    end_sessions(conn, info.id, "disabled", now)
    audit.record(conn, AuditAction.ACCOUNT_DISABLE, by, target=info.username, when=now)
    return _existing(conn, info.username)


def set_password(conn: Connection, username: str, password: str, by: Actor) -> None:
    """A new password; the account's open sessions end (log in again with the new one)."""
    authorize(by, Action.MANAGE_ACCOUNTS)
    info = _existing(conn, username)
    try:
        check_new_password(password, info.username)
    except PasswordProblem as exc:
        raise AccountError(str(exc)) from None
    now = now_local()
    conn.execute(
        update(accounts)
        .where(accounts.c.id == info.id)
        .values(password_hash=hash_password(password), password_changed_at=now)
    )
    end_sessions(conn, info.id, "password", now)
    audit.record(conn, AuditAction.ACCOUNT_PASSWORD, by, target=info.username, when=now)


def actor_of(info: AccountInfo, address: str | None = None) -> Actor:
    """The Actor of an enabled account, as the web session builds it."""
    return Actor(info.username, info.roles, info.unit_code, address)
