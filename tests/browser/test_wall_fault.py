"""The wall when its database goes away and comes back (real PostgreSQL, real Chromium).

The app runs on its own PostgreSQL test database. Taking it away: the database stops
accepting connections (ALTER DATABASE … ALLOW_CONNECTIONS false) and every open connection
is terminated, as when the server restarts or the network drops. The wall must keep its last
data with the badge "mất kết nối dữ liệu — số liệu lúc hh:mm", lose the badge by itself when
the database accepts connections again, and show new data once a dossier is imported.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from sqlalchemy import text

from config import Settings
from tests.browser.conftest import APP_TODAY, ARTIFACTS, require_browser
from tests.browser.driver import Browser, serving, start_chrome
from tests.conftest import _pg_admin, create_pg_database, drop_pg_database, require_pg
from tests.import_fixtures import import_october_dossier

pytestmark = pytest.mark.browser

BADGE = "wall-badge"
TREND_RECEIVED_JS = """
const stats = document.querySelectorAll('.wall-scene[data-scene=trend] .wall-stat');
for (const s of stats) {
  if (s.querySelector('.wall-stat-label').textContent === 'Tiếp nhận mới')
    return s.querySelector('.wall-stat-value').textContent;
}
return null;
"""


def set_connections(database: str, allowed: bool) -> None:
    """Let the database accept connections again, or refuse new ones and end every open one
    (repeated until none is left: a connection being opened during the first round survives it)."""
    with _pg_admin().connect() as conn:
        conn.execute(text(f'ALTER DATABASE "{database}" ALLOW_CONNECTIONS {"true" if allowed else "false"}'))
        for _ in range(50):
            if allowed:
                return
            left = conn.execute(
                text(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                    "WHERE datname = :name AND pid <> pg_backend_pid()"
                ),
                {"name": database},
            ).scalar()
            if not left:
                return
            time.sleep(0.1)
        raise AssertionError(f"connections to {database} still open")


@pytest.fixture
def pg_app(tmp_path: Path) -> Iterator[tuple[str, Settings]]:
    """The app on its own PostgreSQL database with a little demo data."""
    require_browser()
    require_pg()
    from app import create_app
    from importer.setup import ensure_database

    url = create_pg_database()
    database = url.rsplit("/", 1)[1]
    settings = Settings.from_env({"DATABASE_URL": url, "DATA_DIR": str(tmp_path), "APP_TODAY": APP_TODAY})
    ensure_database(settings, demo_dossiers=1500, seed=11, progress=False)
    app = create_app(settings)
    try:
        with serving(app.server, "wall-fault-app") as served:  # `url` stays the database's, dropped below
            yield served, settings
    finally:
        app.server.extensions["bando"].stats.engine.dispose()
        set_connections(database, True)
        drop_pg_database(url)


def import_one_dossier(settings: Settings, folder: Path) -> None:
    """One more dossier received in October 2026 (the wall's period): the data version changes."""
    summary = import_october_dossier(settings, folder / "one.csv", "WALL-FAULT")
    assert summary.format_vi()  # imported, not quarantined: checked through the wall below


def test_badge_appears_when_the_database_goes_away_and_new_data_show_when_it_is_back(pg_app, tmp_path):
    base_url, settings = pg_app
    database = settings.database_url.rsplit("/", 1)[1]
    driver = start_chrome(tmp_path / "profile")
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": 1920, "height": 1080, "deviceScaleFactor": 1, "mobile": False},
    )
    browser = Browser(driver)
    try:
        # the former districts' map (October 2026 is drawn in the city's edition by default)
        browser.open(f"{base_url}/wall?scenes=trend,map&seconds=600&poll=1&edition=quang-nam-2020")
        received = browser.wait_until(lambda: browser.js(TREND_RECEIVED_JS), "the trend's figures")
        browser.wait_until(
            lambda: len(driver.find_elements(By.CSS_SELECTOR, ".choroplethlocation")) == 18, "map"
        )
        badge = driver.find_element(By.ID, BADGE)
        assert not badge.is_displayed()

        set_connections(database, False)
        browser.wait_until(badge.is_displayed, "the badge", timeout=20)
        message = badge.text
        assert message.startswith("mất kết nối dữ liệu — số liệu lúc "), message
        hhmm = message.rsplit(" ", 1)[1]
        assert len(hhmm) == 5 and hhmm[2] == ":"
        browser.wait_until(
            lambda: browser.js("return window.bandoWall.state.changes") >= 1, "the wall running"
        )
        assert browser.js(TREND_RECEIVED_JS) == received  # the last data stay
        assert badge.is_displayed()
        assert len(driver.find_elements(By.CSS_SELECTOR, ".choroplethlocation")) == 18
        ARTIFACTS.mkdir(exist_ok=True)
        driver.save_screenshot(str(ARTIFACTS / "wall-database-away.png"))

        set_connections(database, True)
        browser.wait_until(lambda: not badge.is_displayed(), "the badge gone", timeout=20)
        import_one_dossier(settings, tmp_path)
        expected = str(int(received.replace(".", "")) + 1)
        browser.wait_until(
            lambda: browser.js(TREND_RECEIVED_JS).replace(".", "") == expected, "the new dossier", timeout=20
        )
        driver.save_screenshot(str(ARTIFACTS / "wall-database-back.png"))
        browser.assert_clean()
    finally:
        driver.quit()
