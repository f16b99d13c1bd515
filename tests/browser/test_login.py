"""The login form in a real browser, offline: a wrong password is refused in Vietnamese,
the right one goes back to the page asked for, and logging out ends the session."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By

from accounts.permissions import Role
from tests.accounts_fixtures import ensure_account_at
from tests.browser.login import login

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def leader(app_settings):
    return ensure_account_at(app_settings.database_url, "kiemthu.lanhdao", {Role.LEADER})


def test_wrong_password_then_login_back_to_the_page_then_logout(browser, app_url, leader):
    login(browser, app_url, leader.name, "/scoring/results?year=2025", password="sai-mat-khau", wait=False)
    notice = browser.wait_until(
        lambda: browser.driver.find_element(By.CSS_SELECTOR, ".login-notice.alert"), "refusal"
    )
    assert notice.text == "Tên đăng nhập hoặc mật khẩu không đúng."
    assert browser.driver.find_element(By.ID, "username").get_attribute("value") == leader.name
    login(browser, app_url, leader.name, "/scoring/results?year=2025")
    assert browser.driver.current_url == f"{app_url}/scoring/results?year=2025"
    cookies = {c["name"]: c for c in browser.driver.get_cookies()}
    assert cookies["bando_session"]["httpOnly"] and cookies["bando_session"]["sameSite"] == "Lax"
    assert browser.js("return document.cookie") == ""  # not readable by scripts
    browser.open(f"{app_url}/logout")
    browser.driver.find_element(By.CSS_SELECTOR, "button.login-submit").click()
    status = browser.wait_until(
        lambda: browser.driver.find_element(By.CSS_SELECTOR, ".login-notice"), "logged out"
    )
    assert status.text == "Đã đăng xuất."
    browser.open(f"{app_url}/logout")
    assert "Bạn chưa đăng nhập." in browser.driver.find_element(By.TAG_NAME, "body").text
    browser.assert_clean()
