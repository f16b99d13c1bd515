"""Accounts in a real browser: with PUBLIC_ACCESS=none a page asked for leads to the login
and back to it; an idle session ends (its last-activity time aged in the signed cookie, as
if SESSION_IDLE_MINUTES had passed) with the Vietnamese reason and the login returns to the
page; the header names the account and logs it out; an anonymous visitor's login link
returns to the page it was on. Two browser sessions on one scorecard: the later save sees
who changed the row, when, and both values, and nothing of that row is written."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import replace

import pytest
from selenium.webdriver.common.by import By

from accounts.permissions import Role
from tests.accounts_fixtures import PASSWORD, ensure_account_at
from tests.browser.conftest import require_browser
from tests.browser.driver import Browser, serving

pytestmark = pytest.mark.browser
IDLE_MINUTES = 5
LEADER = "kiemthu.lanhdao"
# The account corner of a signed-in leader: name, role, the pages a leader may open, logout.
LEADER_CORNER = [LEADER, "Lãnh đạo", "Thống kê cán bộ", "Nhật ký", "Cảnh báo", "Tra cứu hồ sơ", "Đăng xuất"]


@pytest.fixture(scope="module")
def accounts(app_settings):
    ensure_account_at(app_settings.database_url, LEADER, {Role.LEADER})


@pytest.fixture(scope="module")
def closed_app(app_settings, accounts) -> Iterator[tuple[str, object]]:
    """The same database served with PUBLIC_ACCESS=none and a short idle timeout."""
    require_browser()
    from app import create_app

    app = create_app(replace(app_settings, public_access="none", session_idle_minutes=IDLE_MINUTES))
    with serving(app.server, "closed-app") as url:
        yield url, app.server


def submit_login(browser: Browser, username: str) -> None:
    """Fill the login form the browser is on (it was sent there) and submit it."""
    browser.wait_until(lambda: browser.driver.find_element(By.ID, "username"), "the login form")
    browser.driver.find_element(By.ID, "username").send_keys(username)
    browser.driver.find_element(By.ID, "password").send_keys(PASSWORD)
    browser.driver.find_element(By.CSS_SELECTOR, "button.login-submit").click()
    browser.wait_until(lambda: "/login" not in browser.driver.current_url, "back from the login")


def corner_text(browser: Browser) -> str:
    return browser.wait_until(
        lambda: browser.driver.find_element(By.ID, "account-bar").text, "the account corner"
    )


def age_session(browser: Browser, server, minutes: float) -> None:
    """Move the cookie's last activity `minutes` back (signed with the server's key, as the
    server would have written it that long ago)."""
    serializer = server.session_interface.get_signing_serializer(server)
    cookie = browser.driver.get_cookie("bando_session")
    data = serializer.loads(cookie["value"])
    data["seen"] = time.time() - minutes * 60
    browser.driver.delete_cookie("bando_session")
    browser.driver.add_cookie(
        {
            "name": "bando_session",
            "value": serializer.dumps(data),
            "path": "/",
            "httpOnly": True,
            "sameSite": "Lax",
        }
    )


def test_login_back_to_the_page_idle_timeout_and_logout(browser, closed_app):
    url, server = closed_app
    wanted = "/scoring/results?year=2025"
    browser.open(url + wanted)
    assert browser.driver.current_url == f"{url}/login?next=%2Fscoring%2Fresults%3Fyear%3D2025"
    submit_login(browser, LEADER)
    assert browser.driver.current_url == url + wanted
    assert corner_text(browser).split("\n") == LEADER_CORNER

    age_session(browser, server, IDLE_MINUTES + 1)
    browser.open(f"{url}/scorecard?unit=502&year=2025")
    notice = browser.wait_until(
        lambda: browser.driver.find_element(By.CSS_SELECTOR, ".login-notice.alert"), "why"
    )
    assert notice.text == f"Phiên làm việc đã hết hạn sau {IDLE_MINUTES} phút không thao tác: đăng nhập lại."
    submit_login(browser, LEADER)
    assert browser.driver.current_url == f"{url}/scorecard?unit=502&year=2025"

    browser.wait_until(
        lambda: browser.driver.find_element(By.LINK_TEXT, "Đăng xuất"), "the logout link"
    ).click()
    browser.wait_until(
        lambda: browser.driver.find_element(By.CSS_SELECTOR, "button.login-submit"), "confirm"
    ).click()
    status = browser.wait_until(
        lambda: browser.driver.find_element(By.CSS_SELECTOR, ".login-notice"), "logged out"
    )
    assert status.text == "Đã đăng xuất."
    browser.open(url + wanted)  # the session is over: the login again
    assert "/login?next=" in browser.driver.current_url
    browser.assert_clean()


def test_an_anonymous_visitors_login_link_returns_to_the_page(browser, app_url, accounts):
    page = "/scoring/results?year=2025&group=districts"
    browser.open(app_url + page)
    assert corner_text(browser) == "Đăng nhập"
    browser.driver.find_element(By.CSS_SELECTOR, "#account-bar a.account-login").click()
    submit_login(browser, LEADER)
    assert browser.driver.current_url == app_url + page
    assert corner_text(browser).split("\n") == LEADER_CORNER
    browser.wait_network_idle()
    browser.assert_clean()
