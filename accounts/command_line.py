"""What other parts' commands need from accounts: the Actor of `--by ACCOUNT`, and an audit
row for what a command did (an import, an export of restricted data).

Whoever runs `python cli.py` holds the database, so the command line acts as itself
(`COMMAND_LINE`, recorded as "dòng lệnh") unless it names an account; a named account must
exist and be enabled, and its roles then decide what the command may do.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine

from accounts import audit
from accounts.audit import AuditAction
from accounts.permissions import COMMAND_LINE, SERVER_CONSOLE, Actor
from accounts.store import AccountError, actor_of, find_account


def account_actor(engine: Engine, username: str) -> Actor:
    """The Actor of an enabled account, acting from the command line; AccountError otherwise."""
    with engine.connect() as conn:
        info = find_account(conn, username)
    if info is None:
        raise AccountError(f"Không có tài khoản '{username[:60]}' (--by phải là một tài khoản đã tạo).")
    if not info.enabled:
        raise AccountError(f"Tài khoản '{info.username}' đã bị vô hiệu hóa.")
    return actor_of(info, SERVER_CONSOLE)


def record_command(
    engine: Engine,
    action: AuditAction,
    target: str,
    path: Path | None = None,
    detail: str | None = None,
    actor: Actor = COMMAND_LINE,
) -> None:
    """One audit row for a command's import or export (in its own transaction)."""
    text = "; ".join(t for t in (f"tệp {path}" if path else None, detail) if t) or None
    with engine.begin() as conn:
        audit.record(conn, action, actor, target=target, detail=text)
