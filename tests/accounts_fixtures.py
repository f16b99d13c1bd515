"""Accounts for tests: created once in a database (through accounts.store, as the command
line would) and returned as the Actor the web session builds for them."""

from __future__ import annotations

from sqlalchemy import Engine

from accounts.permissions import COMMAND_LINE, Actor, Role
from accounts.store import actor_of, add_account, find_account
from db.engine import make_engine

PASSWORD = "kiem-thu-mat-khau"


def ensure_account(engine: Engine, username: str, roles: set[Role], unit: str | None = None) -> Actor:
    """The account (created with PASSWORD when missing) as an Actor."""
    with engine.begin() as conn:
        info = find_account(conn, username)
        if info is None:
            info = add_account(conn, username, PASSWORD, [str(r) for r in roles], COMMAND_LINE, unit)
    return actor_of(info)


def ensure_account_at(database_url: str, username: str, roles: set[Role], unit: str | None = None) -> Actor:
    """ensure_account in the database at `database_url` (an engine of its own, disposed)."""
    engine = make_engine(database_url)
    try:
        return ensure_account(engine, username, roles, unit)
    finally:
        engine.dispose()
