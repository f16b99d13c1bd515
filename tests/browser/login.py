"""Logging in through the real login form (/login: username, password, POST)."""

from __future__ import annotations

from urllib.parse import quote

from selenium.webdriver.common.by import By

from tests.accounts_fixtures import PASSWORD
from tests.browser.driver import Browser


def login(
    browser: Browser,
    app_url: str,
    username: str,
    next_path: str = "/",
    password: str = PASSWORD,
    wait: bool = True,
) -> None:
    """Fill and submit the form; waits until the browser has left the login page (`wait`)."""
    browser.open(f"{app_url}/login?next={quote(next_path, safe='')}")
    browser.driver.find_element(By.ID, "username").send_keys(username)
    browser.driver.find_element(By.ID, "password").send_keys(password)
    browser.driver.find_element(By.CSS_SELECTOR, "button.login-submit").click()
    if wait:
        browser.wait_until(lambda: "/login" not in browser.driver.current_url, f"logged in as {username}")
