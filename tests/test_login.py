"""Logging in on both backends: sessions, the Vietnamese refusals, the audit rows, and the
brute-force limits (5 failures per account or 20 per address within 15 minutes lock for
15 minutes), counted in the database so two engines — two server processes — share them."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from accounts.audit import entries
from accounts.login import WRONG, attempt_login
from accounts.permissions import COMMAND_LINE, Role
from accounts.store import add_account, disable_account
from db.engine import make_engine
from db.schema_accounts import account_sessions, login_attempts

T0 = datetime(2026, 3, 2, 9, 0, 0)
PASSWORD = "dung-mat-khau"


@pytest.fixture
def engines(db_engine):
    """Two engines on one database, as two server processes would have."""
    with db_engine.begin() as conn:
        add_account(conn, "tdv", PASSWORD, ["appraiser"], COMMAND_LINE)
        add_account(conn, "lanhdao", PASSWORD, ["leader"], COMMAND_LINE)
    other = make_engine(db_engine.url.render_as_string(hide_password=False))
    try:
        yield db_engine, other
    finally:
        other.dispose()


def login(engine, username, password, when, address="10.0.0.1"):
    with engine.begin() as conn:
        return attempt_login(conn, username, password, address, when)


def actions(engine):
    with engine.connect() as conn:
        return [(e.action, e.account, e.address) for e in entries(conn) if e.action != "account_add"]


def test_a_right_password_opens_a_session_and_is_audited(engines):
    engine, _ = engines
    result = login(engine, " TDV ", PASSWORD, T0)
    assert result.ok and result.actor.name == "tdv" and result.actor.roles == {Role.APPRAISER}
    assert result.message == "Đã đăng nhập: tdv (Thẩm định)."
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(account_sessions)).scalar_one() == 1
    assert actions(engine) == [("login", "tdv", "10.0.0.1")]


def test_a_wrong_password_and_an_unknown_user_get_the_same_answer(engines):
    engine, _ = engines
    wrong = login(engine, "tdv", "sai", T0)
    unknown = login(engine, "khong.co", "sai", T0)
    empty = login(engine, "tdv", "", T0)
    assert (wrong.ok, wrong.message) == (False, WRONG) == (unknown.ok, unknown.message)
    assert empty.message == "Nhập tên đăng nhập và mật khẩu."
    assert actions(engine) == [("login_failed", "tdv", "10.0.0.1"), ("login_failed", "khong.co", "10.0.0.1")]


def test_a_disabled_account_is_named_only_to_whoever_knows_its_password(engines):
    engine, _ = engines
    with engine.begin() as conn:
        disable_account(conn, "tdv", COMMAND_LINE)
    assert login(engine, "tdv", "sai", T0).message == WRONG
    refused = login(engine, "tdv", PASSWORD, T0)
    assert not refused.ok
    assert refused.message == "Tài khoản tdv đã bị vô hiệu hóa: liên hệ quản trị hệ thống."


def test_five_failures_lock_the_account_for_15_minutes_whichever_process_counts(engines):
    first, second = engines
    for i in range(4):
        assert login((first, second)[i % 2], "tdv", "sai", T0 + timedelta(minutes=i)).message == WRONG
    fifth = login(second, "tdv", "sai", T0 + timedelta(minutes=4))
    assert fifth.message.startswith(
        WRONG + " Đăng nhập sai quá nhiều lần: tạm khóa đăng nhập đến 09:19 02/03/2026"
    )
    refused = login(first, "tdv", PASSWORD, T0 + timedelta(minutes=10))
    assert not refused.ok
    assert refused.message == (
        "Đăng nhập sai quá nhiều lần: tạm khóa đăng nhập đến 09:19 02/03/2026 (15 phút). "
        "Thử lại sau thời gian này."
    )
    assert login(first, "lanhdao", PASSWORD, T0 + timedelta(minutes=10)).ok  # another account is not locked
    assert login(second, "tdv", PASSWORD, T0 + timedelta(minutes=19, seconds=1)).ok
    kinds = [a for a, who, _ in actions(first) if who == "tdv"]
    assert kinds == ["login_failed"] * 5 + ["lockout", "login_refused", "login"]
    with first.connect() as conn:  # an attempt refused while locked is not counted again
        failures = conn.execute(
            select(func.count()).where(login_attempts.c.succeeded.is_(False))
        ).scalar_one()
    assert failures == 5


def test_failures_older_than_15_minutes_or_before_a_success_do_not_count(engines):
    engine, _ = engines
    for minute in (0, 4, 8, 12, 16):  # five failures, but never five within 15 minutes
        assert login(engine, "tdv", "sai", T0 + timedelta(minutes=minute)).message == WRONG
    assert login(engine, "tdv", PASSWORD, T0 + timedelta(minutes=17)).ok
    for minute in (18, 19, 20, 21):  # 3 before the success + 4 after: the success resets the count
        assert login(engine, "tdv", "sai", T0 + timedelta(minutes=minute)).message == WRONG
    assert login(engine, "tdv", PASSWORD, T0 + timedelta(minutes=22)).ok


def test_twenty_failures_from_one_address_lock_that_address_only(engines):
    first, second = engines
    for i in range(19):
        login((first, second)[i % 2], f"doan.{i}", "sai", T0 + timedelta(seconds=20 * i), "203.0.113.5")
    last = login(first, "doan.19", "sai", T0 + timedelta(minutes=7), "203.0.113.5")
    assert "tạm khóa đăng nhập đến 09:22 02/03/2026" in last.message
    refused = login(second, "tdv", PASSWORD, T0 + timedelta(minutes=8), "203.0.113.5")
    assert not refused.ok and "tạm khóa" in refused.message
    assert login(second, "tdv", PASSWORD, T0 + timedelta(minutes=8), "198.51.100.7").ok
    assert login(first, "tdv", PASSWORD, T0 + timedelta(minutes=22, seconds=1), "203.0.113.5").ok
    lockouts = [(who, address) for action, who, address in actions(first) if action == "lockout"]
    assert lockouts == [("doan.19", "203.0.113.5")]
