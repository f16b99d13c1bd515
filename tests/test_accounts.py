"""Accounts on both backends: adding (every refusal named), roles, the unit a staff account
is tied to, disabling, passwords (argon2, never stored in clear), sessions ended everywhere,
kiosk tokens, and the append-only audit trail."""

from __future__ import annotations

import csv
import io
import re
from datetime import date, datetime

import pytest
from sqlalchemy import delete, select, text, update
from sqlalchemy.exc import DBAPIError

from accounts import audit
from accounts.audit import AuditAction, audit_csv, entries
from accounts.kiosk import create_token, kiosk_actor, list_tokens, redeem, revoke_token
from accounts.passwords import verify_password
from accounts.permissions import (
    COMMAND_LINE,
    Action,
    Actor,
    PermissionDenied,
    Read,
    Role,
    authorize,
    may_read,
)
from accounts.sessions import end_session, session_actor, start_session
from accounts.store import (
    AccountError,
    add_account,
    disable_account,
    find_account,
    list_accounts,
    set_password,
)
from db.schema_accounts import account_roles, accounts, audit_log, kiosk_tokens
from tests.test_scoring_workflow import load_small_registry

T = datetime(2026, 3, 2, 9, 0)
ADMIN = Actor("quan.tri", frozenset({Role.ADMIN}))


@pytest.fixture
def registry(db_engine):
    load_small_registry(db_engine)
    return db_engine


def add(engine, name, roles, unit=None, password="mat-khau-1", by=COMMAND_LINE, today=date(2026, 3, 2)):
    with engine.begin() as conn:
        return add_account(conn, name, password, roles, by, unit, today=today)


def test_an_account_keeps_its_roles_unit_and_an_argon2_hash_never_the_password(registry):
    info = add(registry, "  CB.SNV ", ["unit_staff", "leader"], "SNV")
    assert (info.username, info.roles, info.unit_code, info.enabled) == (
        "cb.snv",
        frozenset({Role.UNIT_STAFF, Role.LEADER}),
        "SNV",
        True,
    )
    with registry.connect() as conn:
        stored = conn.execute(
            select(accounts.c.password_hash).where(accounts.c.username == "cb.snv")
        ).scalar_one()
        roles = sorted(conn.execute(select(account_roles.c.role)).scalars())
        rows = entries(conn)
    assert stored.startswith("$argon2id$") and "mat-khau-1" not in stored
    assert verify_password(stored, "mat-khau-1") and not verify_password(stored, "mat-khau-2")
    assert roles == ["leader", "unit_staff"]
    assert [(e.action, e.account, e.target) for e in rows] == [("account_add", "dòng lệnh", "cb.snv")]
    assert "mat-khau-1" not in rows[0].detail


def test_a_reused_unit_code_ties_the_account_to_the_version_valid_on_the_day(registry):
    # 20335: phường Tân Thạnh until 30/06/2025, phường Bàn Thạch from 01/07/2025
    before = add(registry, "cb.tanthanh", ["unit_staff"], "20335", today=date(2025, 3, 1))
    after = add(registry, "cb.banthach", ["unit_staff"], "20335", today=date(2026, 3, 1))
    assert (before.unit_valid_from, after.unit_valid_from) == (date(2020, 6, 1), date(2025, 7, 1))
    # a district committee dissolved on 30/06/2025 is still a unit its staff can be tied to
    assert add(registry, "cb.tamky", ["unit_staff"], "502").unit_valid_from == date(2020, 1, 1)


BAD_ACCOUNTS = [
    ("có dấu", ["leader"], None, "mat-khau-1", "Tên đăng nhập 'có dấu' không hợp lệ"),
    ("a", ["leader"], None, "mat-khau-1", "Tên đăng nhập 'a' không hợp lệ"),
    (
        "x1",
        ["chu_tich"],
        None,
        "mat-khau-1",
        "Vai trò 'chu_tich' không có; các vai trò: leader (Lãnh đạo)",
    ),
    ("x2", [], None, "mat-khau-1", "Tài khoản cần ít nhất một vai trò (--role)."),
    ("x3", ["unit_staff"], None, "mat-khau-1", "phải gắn với một đơn vị: thêm --unit MÃ."),
    (
        "x4",
        ["appraiser"],
        "SNV",
        "mat-khau-1",
        "Chỉ tài khoản cán bộ đơn vị (unit_staff) gắn với một đơn vị",
    ),
    (
        "x5",
        ["unit_staff"],
        "KHONGCO",
        "mat-khau-1",
        "Mã đơn vị 'KHONGCO' không có trong danh mục cơ quan",
    ),
    ("x6", ["leader"], None, "12345", "Mật khẩu phải có ít nhất 6 ký tự."),
    ("x7.abc", ["leader"], None, "X7.ABC", "Mật khẩu không được trùng tên đăng nhập."),
]


def test_a_bad_account_is_refused_with_its_reason_and_nothing_written(registry):
    for name, roles, unit, password, message in BAD_ACCOUNTS:
        with pytest.raises(AccountError, match=re.escape(message)):
            add(registry, name, roles, unit, password)
    with registry.connect() as conn:
        assert list_accounts(conn) == []
        assert entries(conn) == []


def test_the_same_name_twice_and_account_changes_by_a_non_admin_are_refused(registry):
    add(registry, "tdv", ["appraiser"])
    with pytest.raises(AccountError, match=re.escape("Tên đăng nhập 'tdv' đã có.")):
        add(registry, "TDV", ["leader"])
    leader = Actor("lanh.dao", frozenset({Role.LEADER}))
    with pytest.raises(PermissionDenied, match="không có quyền quản lý tài khoản: cần vai trò Quản trị"):
        add(registry, "moi", ["leader"], by=leader)
    with pytest.raises(PermissionDenied), registry.begin() as conn:
        disable_account(conn, "tdv", leader)
    add(registry, "moi", ["leader"], by=ADMIN)
    with registry.connect() as conn:
        assert [a.username for a in list_accounts(conn)] == ["moi", "tdv"]
        assert [e.account for e in entries(conn)] == ["dòng lệnh", "quan.tri"]


def test_disabling_or_a_new_password_ends_every_open_session(registry):
    info = add(registry, "tdv", ["appraiser"])
    with registry.begin() as conn:
        first, second = (
            start_session(conn, info.id, "10.0.0.1", T),
            start_session(conn, info.id, "10.0.0.2", T),
        )
        actor = session_actor(conn, first, "10.0.0.1")
    assert actor == Actor("tdv", frozenset({Role.APPRAISER}), None, "10.0.0.1")
    with registry.begin() as conn:
        set_password(conn, "tdv", "mat-khau-moi", ADMIN)
        assert session_actor(conn, first) is None and session_actor(conn, second) is None
        third = start_session(conn, info.id, None, T)
        disable_account(conn, "tdv", ADMIN)
        assert session_actor(conn, third) is None
        assert not find_account(conn, "tdv").enabled
        with pytest.raises(AccountError, match="đã bị vô hiệu hóa từ"):
            disable_account(conn, "tdv", ADMIN)
        assert [e.action for e in entries(conn)][-2:] == ["account_password", "account_disable"]


def test_logout_ends_only_that_session(registry):
    info = add(registry, "tdv", ["appraiser"])
    with registry.begin() as conn:
        kept, ended = start_session(conn, info.id, None, T), start_session(conn, info.id, None, T)
        assert end_session(conn, ended, "logout", T) == "tdv"
        assert end_session(conn, ended, "logout", T) is None  # already ended
        assert session_actor(conn, ended) is None
        assert session_actor(conn, kept) is not None
        assert session_actor(conn, "forged-session-id") is None


def test_a_kiosk_token_is_shown_once_stored_hashed_reads_as_a_leader_and_can_be_revoked(registry):
    with registry.begin() as conn:
        record, token = create_token(conn, "Phòng họp tầng 3", ADMIN)
        stored = conn.execute(select(kiosk_tokens.c.token_hash)).scalar_one()
    assert len(token) >= 43 and token not in stored
    with registry.begin() as conn:
        assert redeem(conn, "not-a-token", "10.0.0.9", T) is None
        assert redeem(conn, token, "10.0.0.9", T) == record.id
        actor = kiosk_actor(conn, record.id, "10.0.0.9")
    assert actor.kiosk and actor.has(Role.LEADER)
    assert may_read(actor, Read.PROVISIONAL_SCORES, "SNV") and not may_read(actor, Read.AUDIT)
    for action in Action:
        with pytest.raises(PermissionDenied):
            authorize(actor, action, "SNV")
    with registry.begin() as conn:
        revoke_token(conn, record.id, ADMIN)
        assert kiosk_actor(conn, record.id) is None
        assert redeem(conn, token, "10.0.0.9", T) is None
        assert list_tokens(conn)[0].revoked_at is not None
        assert [e.action for e in entries(conn)] == ["kiosk_token_add", "kiosk_login", "kiosk_token_revoke"]


def test_the_audit_trail_refuses_update_and_delete_on_both_backends(registry):
    add(registry, "tdv", ["appraiser"])
    with registry.connect() as conn:
        before = entries(conn)
    for statement in (
        update(audit_log).values(account="ai-do"),
        delete(audit_log),
    ):
        with pytest.raises(DBAPIError, match="append-only"), registry.begin() as conn:
            conn.execute(statement)
    if registry.dialect.name == "postgresql":
        with pytest.raises(DBAPIError, match="append-only"), registry.begin() as conn:
            conn.execute(text("TRUNCATE audit_log"))
    with registry.connect() as conn:
        assert entries(conn) == before


def test_the_audit_csv_neutralises_text_that_a_spreadsheet_would_run(registry):
    with registry.begin() as conn:
        audit.record(
            conn, AuditAction.LOGIN_FAILED, account='=HYPERLINK("http://x")', address="10.0.0.1", when=T
        )
        rows = entries(conn)
    header, line = list(csv.reader(io.StringIO(audit_csv(rows).decode("utf-8-sig"))))
    assert header[:3] == ["Số", "Thời gian", "Tài khoản"]
    assert line[1:6] == [
        "02/03/2026 09:00:00",
        '\'=HYPERLINK("http://x")',
        "10.0.0.1",
        "login_failed",
        "Đăng nhập sai",
    ]
