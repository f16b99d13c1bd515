"""accounts: accounts, roles, sessions, kiosk tokens, login counters, audit trail, handler names

Revision ID: accounts_0001
Revises: 0001
Create Date: 2026-12-01 09:00:00

The audit trail is append-only in the database too: a trigger refuses every UPDATE and
DELETE of audit_log (and TRUNCATE on PostgreSQL), so not even a bug or a hand-typed
statement of the application's own database user rewrites it. Only the database owner
dropping the trigger could; that is an act outside the product.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from db.migrations.helpers import columns, drop_tables, foreign_key, primary_key, serial_id

revision = "accounts_0001"
down_revision = "0001"
branch_labels = ("accounts",)
depends_on = None

ROLE_CODES = ("leader", "unit_staff", "appraiser", "admin")
APPEND_ONLY = "audit_log is append-only (nhật ký chỉ được ghi thêm)"

PG_FUNCTION = f"""
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '{APPEND_ONLY}: % refused', TG_OP;
END
$$
"""
PG_TRIGGERS = (
    "CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log "
    "FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()",
    "CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log "
    "FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()",
)
SQLITE_TRIGGERS = tuple(
    f"CREATE TRIGGER audit_log_no_{op_name.lower()} BEFORE {op_name} ON audit_log "
    f"BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY}: {op_name} refused'); END"
    for op_name in ("UPDATE", "DELETE")
)


def upgrade() -> None:
    op.create_table(
        "accounts",
        serial_id(),
        *columns(sa.String(length=60), "username"),
        *columns(sa.String(length=200), "full_name", nullable=True),
        *columns(sa.String(length=255), "password_hash"),
        *columns(sa.String(length=20), "unit_code", nullable=True),
        *columns(sa.Date(), "unit_valid_from", nullable=True),
        *columns(sa.DateTime(), "created_at", "password_changed_at"),
        *columns(sa.DateTime(), "disabled_at", nullable=True),
        primary_key("accounts", "id"),
        sa.UniqueConstraint("username", name=op.f("uq_accounts_username")),
    )
    op.create_table(
        "account_roles",
        *columns(sa.Integer(), "account_id"),
        *columns(sa.String(length=20), "role"),
        sa.CheckConstraint(
            "role IN (" + ", ".join(f"'{r}'" for r in ROLE_CODES) + ")", name="ck_account_roles_role"
        ),
        foreign_key("account_roles", "account_id", "accounts"),
        primary_key("account_roles", "account_id", "role"),
    )
    op.create_table(
        "account_sessions",
        *columns(sa.String(length=64), "id_hash"),
        *columns(sa.Integer(), "account_id"),
        *columns(sa.DateTime(), "started_at"),
        *columns(sa.String(length=64), "address", nullable=True),
        *columns(sa.DateTime(), "ended_at", nullable=True),
        *columns(sa.String(length=20), "end_reason", nullable=True),
        foreign_key("account_sessions", "account_id", "accounts"),
        primary_key("account_sessions", "id_hash"),
    )
    op.create_index("ix_account_sessions_account", "account_sessions", ["account_id"])
    op.create_table(
        "kiosk_tokens",
        serial_id(),
        *columns(sa.String(length=100), "label"),
        *columns(sa.String(length=64), "token_hash"),
        *columns(sa.DateTime(), "created_at"),
        *columns(sa.String(length=200), "created_by"),
        *columns(sa.DateTime(), "last_used_at", "revoked_at", nullable=True),
        *columns(sa.String(length=200), "revoked_by", nullable=True),
        primary_key("kiosk_tokens", "id"),
        sa.UniqueConstraint("token_hash", name=op.f("uq_kiosk_tokens_token_hash")),
    )
    op.create_table(
        "login_attempts",
        serial_id(),
        *columns(sa.String(length=60), "username"),
        *columns(sa.String(length=64), "address"),
        *columns(sa.DateTime(), "attempted_at"),
        *columns(sa.Boolean(), "succeeded"),
        primary_key("login_attempts", "id"),
    )
    op.create_index("ix_login_attempts_username", "login_attempts", ["username", "attempted_at"])
    op.create_index("ix_login_attempts_address", "login_attempts", ["address", "attempted_at"])
    op.create_table(
        "login_lockouts",
        serial_id(),
        *columns(sa.String(length=10), "scope"),
        *columns(sa.String(length=124), "key"),
        *columns(sa.DateTime(), "locked_at", "locked_until"),
        sa.CheckConstraint("scope IN ('account', 'address')", name="ck_login_lockouts_scope"),
        primary_key("login_lockouts", "id"),
    )
    op.create_index("ix_login_lockouts_key", "login_lockouts", ["scope", "key", "locked_until"])
    op.create_table(
        "audit_log",
        serial_id(),
        *columns(sa.DateTime(), "at"),
        *columns(sa.String(length=200), "account", nullable=True),
        *columns(sa.String(length=64), "address", nullable=True),
        *columns(sa.String(length=40), "action"),
        *columns(sa.Text(), "target", "detail", nullable=True),
        primary_key("audit_log", "id"),
    )
    op.create_index("ix_audit_log_at", "audit_log", ["at"])
    op.create_index("ix_audit_log_account", "audit_log", ["account", "at"])
    op.create_table(
        "official_handlers",
        *columns(sa.String(length=64), "handler_id"),
        *columns(sa.String(length=200), "full_name"),
        *columns(sa.String(length=20), "unit_code"),
        *columns(sa.Integer(), "import_run_id"),
        *columns(sa.DateTime(), "updated_at"),
        foreign_key("official_handlers", "import_run_id", "import_runs"),
        primary_key("official_handlers", "handler_id"),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(sa.text(PG_FUNCTION))
        for statement in PG_TRIGGERS:
            op.execute(sa.text(statement))
    else:
        for statement in SQLITE_TRIGGERS:
            op.execute(sa.text(statement))


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(sa.text("DROP TRIGGER audit_log_no_truncate ON audit_log"))
        op.execute(sa.text("DROP TRIGGER audit_log_no_change ON audit_log"))
        op.execute(sa.text("DROP FUNCTION audit_log_append_only()"))
    drop_tables(
        "official_handlers",
        "audit_log",
        "login_lockouts",
        "login_attempts",
        "kiosk_tokens",
        "account_sessions",
        "account_roles",
        "accounts",
    )
