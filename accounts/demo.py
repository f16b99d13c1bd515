"""Demo accounts for `make run`: one per role and unit staff of one district and one commune,
with random passwords, created only while there is no account at all — so they are shown
once, when created, and never again (later runs find accounts and create nothing). A
kiosk token for the wall comes with them.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Connection, func, or_, select

from accounts.kiosk import create_token
from accounts.permissions import COMMAND_LINE, ROLE_LABELS, Role
from accounts.store import add_account
from db.schema import agencies
from db.schema_accounts import accounts


@dataclass(frozen=True)
class DemoAccount:
    username: str
    password: str
    role: Role
    unit: str | None  # "code name" of a staff account's unit


@dataclass(frozen=True)
class DemoSet:
    accounts: list[DemoAccount]
    kiosk_token: str

    def format_vi(self, base_url: str) -> str:
        lines = [
            "Tài khoản mẫu (chỉ hiện MỘT LẦN — ghi lại; đổi bằng python cli.py users set-password TÊN):",
        ]
        for a in self.accounts:
            unit = f" — {a.unit}" if a.unit else ""
            lines.append(f"  {a.username:<12} mật khẩu {a.password:<16} {ROLE_LABELS[a.role]}{unit}")
        lines.append(f"Màn hình trình chiếu (không cần đăng nhập): {base_url}wall?token={self.kiosk_token}")
        lines.append(f"Đăng nhập: {base_url}login")
        return "\n".join(lines)


def _first_unit(conn: Connection, kind: str, today: date) -> tuple[str, str] | None:
    """The first agency code of a kind, preferring one valid today (districts ended on
    30/06/2025: the first district committee then)."""
    a = agencies.c
    valid = or_(a.valid_to.is_(None), a.valid_to >= today)
    for where in ((a.kind == kind, a.valid_from <= today, valid), (a.kind == kind,)):
        row = conn.execute(
            select(a.code, a.name).where(*where).order_by(a.code, a.valid_from.desc()).limit(1)
        ).first()
        if row is not None:
            return row.code, row.name
    return None


def create_demo_accounts(conn: Connection, today: date) -> DemoSet | None:
    """The demo accounts and a kiosk token; None when any account exists already."""
    if conn.execute(select(func.count()).select_from(accounts)).scalar_one():
        return None
    wanted: list[tuple[str, Role, tuple[str, str] | None]] = [
        ("lanhdao", Role.LEADER, None),
        ("thamdinh", Role.APPRAISER, None),
        ("quantri", Role.ADMIN, None),
    ]
    for prefix, kind in (("cbhuyen", "district"), ("cbxa", "commune")):
        unit = _first_unit(conn, kind, today)
        if unit is not None:
            wanted.append((prefix, Role.UNIT_STAFF, unit))
    made: list[DemoAccount] = []
    for username, role, unit in wanted:
        password = secrets.token_urlsafe(9)
        add_account(conn, username, password, [role], COMMAND_LINE, unit[0] if unit else None, today=today)
        made.append(DemoAccount(username, password, role, f"{unit[0]} {unit[1]}" if unit else None))
    _, token = create_token(conn, "Màn hình mẫu (phòng họp)", COMMAND_LINE)
    return DemoSet(made, token)
