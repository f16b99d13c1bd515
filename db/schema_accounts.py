"""Tables of accounts, roles and the audit trail (tài khoản, vai trò, nhật ký), on db.schema.metadata.

- accounts: one row per person (or service) who logs in; the password as an argon2 hash;
  a staff account is tied to the agency code of its unit; disabled, never deleted.
- account_roles: the roles an account holds (several allowed).
- account_sessions: one row per login; the browser's signed cookie carries the session's
  random id, the table keeps its sha256 so that a logout or a disabled account ends it on
  every server process.
- kiosk_tokens: long random tokens for the wall display (sha256 stored), revocable.
- login_attempts, login_lockouts: the brute-force counters, in the database so that they
  hold whatever process answers.
- audit_log: append-only trail of who did what (triggers refuse UPDATE and DELETE on both
  backends, see migration accounts_0001).
- official_handlers: the optional mapping handler_id -> full name and unit
  (`python cli.py import-handlers FILE`), read only for the roles that may see names.

Timestamps are naive local time (Asia/Ho_Chi_Minh), as everywhere in the schema.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
)

from db.schema import metadata

ROLE_CODES = ("leader", "unit_staff", "appraiser", "admin")
USERNAME = 60
WHO = 200  # as db.schema_scoring.WHO: an account name or a system actor's name
ADDRESS = 64  # an IPv6 address with zone fits

accounts = Table(
    "accounts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("username", String(USERNAME), nullable=False, unique=True),  # lower case
    Column("full_name", String(200), nullable=True),
    Column("password_hash", String(255), nullable=False),
    Column("unit_code", String(20), nullable=True),  # agencies.code of a staff account's unit
    Column("unit_valid_from", Date, nullable=True),  # which version of that code (codes are reused)
    Column("created_at", DateTime, nullable=False),
    Column("password_changed_at", DateTime, nullable=False),
    Column("disabled_at", DateTime, nullable=True),
)

account_roles = Table(
    "account_roles",
    metadata,
    Column("account_id", Integer, ForeignKey("accounts.id"), primary_key=True),
    Column("role", String(20), primary_key=True),
    CheckConstraint(
        "role IN (" + ", ".join(f"'{r}'" for r in ROLE_CODES) + ")", name="ck_account_roles_role"
    ),
)

account_sessions = Table(
    "account_sessions",
    metadata,
    Column("id_hash", String(64), primary_key=True),  # sha256 hex of the cookie's session id
    Column("account_id", Integer, ForeignKey("accounts.id"), nullable=False),
    Column("started_at", DateTime, nullable=False),
    Column("address", String(ADDRESS), nullable=True),
    Column("ended_at", DateTime, nullable=True),
    Column("end_reason", String(20), nullable=True),  # logout | expired | password | disabled
    Index("ix_account_sessions_account", "account_id"),
)

kiosk_tokens = Table(
    "kiosk_tokens",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("label", String(100), nullable=False),
    Column("token_hash", String(64), nullable=False, unique=True),  # sha256 hex
    Column("created_at", DateTime, nullable=False),
    Column("created_by", String(WHO), nullable=False),
    Column("last_used_at", DateTime, nullable=True),
    Column("revoked_at", DateTime, nullable=True),
    Column("revoked_by", String(WHO), nullable=True),
)

login_attempts = Table(
    "login_attempts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("username", String(USERNAME), nullable=False),  # as typed (lower case, cut)
    Column("address", String(ADDRESS), nullable=False),
    Column("attempted_at", DateTime, nullable=False),
    Column("succeeded", Boolean, nullable=False),
    Index("ix_login_attempts_username", "username", "attempted_at"),
    Index("ix_login_attempts_address", "address", "attempted_at"),
)

login_lockouts = Table(
    "login_lockouts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("scope", String(10), nullable=False),  # account | address
    Column("key", String(USERNAME + ADDRESS), nullable=False),
    Column("locked_at", DateTime, nullable=False),
    Column("locked_until", DateTime, nullable=False),
    CheckConstraint("scope IN ('account', 'address')", name="ck_login_lockouts_scope"),
    Index("ix_login_lockouts_key", "scope", "key", "locked_until"),
)

audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", DateTime, nullable=False),
    Column("account", String(WHO), nullable=True),  # None: anonymous
    Column("address", String(ADDRESS), nullable=True),
    Column("action", String(40), nullable=False),
    Column("target", Text, nullable=True),
    Column("detail", Text, nullable=True),
    Index("ix_audit_log_at", "at"),
    Index("ix_audit_log_account", "account", "at"),
)

official_handlers = Table(
    "official_handlers",
    metadata,
    Column("handler_id", String(64), primary_key=True),
    Column("full_name", String(200), nullable=False),
    Column("unit_code", String(20), nullable=False),
    Column("import_run_id", Integer, ForeignKey("import_runs.id"), nullable=False),
    Column("updated_at", DateTime, nullable=False),
)
