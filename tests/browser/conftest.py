"""Real headless Chromium against the real app on a free local port.

The app runs in a background thread (werkzeug) on a temporary SQLite database built
with importer.setup.ensure_database (≈5000 demo dossiers, APP_TODAY fixed). The browser is
launched by driver.py (shared with bench/map_bench.py): the system Chromium and chromedriver
by explicit path, so selenium-manager never downloads anything. Every test's browser logs
console messages and network events; `Browser` (driver.py) checks that nothing is logged as
SEVERE and that no request leaves 127.0.0.1. A screenshot per test goes to test-artifacts/.

One Chromium serves the session's tests (starting one costs seconds): each test gets a new
tab of it with nothing of the tests before — no cookies, HTTP cache, storage, device
emulation, download folder, history or log entries (`SharedChrome.fresh`). A Chromium that
cannot be reset so (a test left it hung or closed it) is replaced by a new one.

Without Chromium/chromedriver the tests skip with the reason — except under CI=true, where
that is a failure.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from config import Settings
from tests.browser.driver import Browser, missing_browser, serving, start_chrome

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
APP_TODAY = "2026-11-27"
DEMO_DOSSIERS = 5000


def require_browser() -> None:
    missing = missing_browser()
    if not missing:
        return
    reason = f"Chromium/chromedriver not found: {', '.join(missing)} (install chromium and chromium-driver)"
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true and {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def app_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    from importer.setup import ensure_database

    data_dir = tmp_path_factory.mktemp("browser-app")
    settings = Settings.from_env({"DATA_DIR": str(data_dir), "APP_TODAY": APP_TODAY})
    # seed 1: with the registry of issue 13 (departments merged in 2025) seed 7 left no
    # dossier overdue on APP_TODAY, which test_details' overdue list needs a few of
    ensure_database(settings, demo_dossiers=DEMO_DOSSIERS, seed=1, progress=False)
    return settings


@pytest.fixture(scope="session")
def app_url(app_settings: Settings) -> Iterator[str]:
    """Base URL of the app served from a background thread on a free port."""
    require_browser()
    from app import create_app

    with serving(create_app(app_settings).server) as url:
        yield url


WINDOW = (1600, 1000)  # driver.CHROME_ARGS' --window-size


class SharedChrome:
    """One Chromium for many tests, each in a fresh tab of a browser reset to as-started."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.driver: Any = None
        self.started = 0
        self.origins: set[str] = set()  # every origin a test's pages requested

    def fresh(self) -> Browser:
        """A Browser on a new tab, nothing left of the tests before, its logs empty."""
        if self.driver is not None:
            try:
                self._reset()
            except Exception:
                self.quit()
        if self.driver is None:
            self.started += 1
            self.driver = start_chrome(self.folder / f"chromium-profile-{self.started}")
        self.driver.get_log("browser")  # log entries of the reset are nobody's
        self.driver.get_log("performance")
        return Browser(self.driver)

    def done(self, session: Browser) -> None:
        """Note the origins the test's pages used (their storage is cleared at the reset)."""
        try:
            session.collect()
        except Exception:
            self.quit()
            return
        for url in session.requested_urls():
            parts = urlsplit(url)
            if parts.scheme in ("http", "https"):
                self.origins.add(f"{parts.scheme}://{parts.netloc}")

    def _reset(self) -> None:
        driver = self.driver
        old = driver.window_handles
        driver.switch_to.new_window("tab")
        tab = driver.current_window_handle
        for handle in old:  # with them go their history, page state and device emulation
            driver.switch_to.window(handle)
            driver.close()
        driver.switch_to.window(tab)
        driver.set_window_size(*WINDOW)
        driver.execute_cdp_cmd("Network.clearBrowserCookies", {})
        driver.execute_cdp_cmd("Network.clearBrowserCache", {})
        for origin in sorted(self.origins):
            driver.execute_cdp_cmd("Storage.clearDataForOrigin", {"origin": origin, "storageTypes": "all"})
        driver.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "default"})
        if driver.get_cookies() or len(driver.window_handles) != 1:
            raise RuntimeError("the shared Chromium did not reset")

    def quit(self) -> None:
        if self.driver is not None:
            with contextlib.suppress(Exception):
                self.driver.quit()
            self.driver = None


@pytest.fixture(scope="session")
def chromium(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SharedChrome]:
    require_browser()
    shared = SharedChrome(tmp_path_factory.mktemp("chromium"))
    try:
        yield shared
    finally:
        shared.quit()


@pytest.fixture
def browser(request: pytest.FixtureRequest, chromium: SharedChrome) -> Iterator[Browser]:
    session = chromium.fresh()
    try:
        yield session
    finally:
        ARTIFACTS.mkdir(exist_ok=True)
        try:
            session.driver.save_screenshot(str(ARTIFACTS / f"{request.node.name}.png"))
        except Exception:
            chromium.quit()  # a browser that cannot take a screenshot is not handed on
        else:
            chromium.done(session)
