"""Real headless Chromium against the real app on a free local port.

The app runs in a background thread (werkzeug) on a temporary SQLite database built
with importer.setup.ensure_database (≈5000 demo dossiers, APP_TODAY fixed). The browser is
launched by driver.py (shared with bench/map_bench.py): the system Chromium and chromedriver
by explicit path, so selenium-manager never downloads anything. Every test's browser logs
console messages and network events; `Browser` (driver.py) checks that nothing is logged as
SEVERE and that no request leaves 127.0.0.1. A screenshot per test goes to test-artifacts/.

Without Chromium/chromedriver the tests skip with the reason — except under CI=true, where
that is a failure.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

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


@pytest.fixture
def browser(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Browser]:
    require_browser()
    driver = start_chrome(tmp_path / "chromium-profile")
    session = Browser(driver)
    try:
        yield session
    finally:
        ARTIFACTS.mkdir(exist_ok=True)
        try:
            driver.save_screenshot(str(ARTIFACTS / f"{request.node.name}.png"))
        finally:
            driver.quit()
