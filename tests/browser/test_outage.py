"""Every page when its database goes away and comes back (real PostgreSQL, real Chromium).

The app runs on its own PostgreSQL test database, polling every second (LIVE_POLL_SECONDS).
Taking the database away (tests/browser/test_wall_fault.set_connections: no new connection,
every open one terminated) must leave what is on screen as it is — the map, a scorecard, a
form being typed — with the badge "mất kết nối dữ liệu — số liệu lúc hh:mm"; the badge must go
by itself once the database answers again, and what failed must work then. End users never
see a command to run.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace

import pytest
from selenium.webdriver.common.by import By

from accounts.permissions import Role
from config import Settings
from layouts.home.ids import Ids
from layouts.scoring.ids import ScoringIds
from tests.accounts_fixtures import ensure_account
from tests.browser.conftest import APP_TODAY, require_browser
from tests.browser.driver import Browser, serving
from tests.browser.login import login
from tests.browser.test_home import LARGEST_JS, click_unit, locations, map_title
from tests.browser.test_wall_fault import set_connections
from tests.conftest import create_pg_database, drop_pg_database, require_pg

pytestmark = pytest.mark.browser

YEAR = 2025
BADGE_RE = re.compile(r"^mất kết nối dữ liệu — số liệu lúc \d\d:\d\d$")
BADGE_JS = """
const b = document.getElementById('data-link-badge');
if (!b || !b.classList.contains('on')) return null;
return Array.from(b.children).map(c => c.textContent);
"""


class OutageApp:
    def __init__(self, url: str, settings: Settings, database: str) -> None:
        self.url, self.settings, self.database = url, settings, database

    def down(self) -> None:
        set_connections(self.database, False)

    def up(self) -> None:
        set_connections(self.database, True)


@pytest.fixture(scope="module")
def outage_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OutageApp]:
    require_browser()
    require_pg()
    from app import create_app
    from db.engine import make_engine
    from importer.setup import ensure_database
    from scoring.demo import fill_demo

    url = create_pg_database()
    database = url.rsplit("/", 1)[1]
    env = {"DATABASE_URL": url, "DATA_DIR": str(tmp_path_factory.mktemp("outage")), "APP_TODAY": APP_TODAY}
    settings = replace(Settings.from_env(env), extra={"live_poll_seconds": "1"})
    ensure_database(settings, demo_dossiers=1500, seed=13, progress=False)
    engine = make_engine(url)
    fill_demo(engine, YEAR)
    engine.dispose()
    app = create_app(settings)
    try:
        with serving(app.server, "outage-app") as served:
            yield OutageApp(served, settings, database)
    finally:
        app.server.extensions["bando"].stats.engine.dispose()
        set_connections(database, True)
        drop_pg_database(url)


@pytest.fixture
def database(outage_app: OutageApp) -> Iterator[OutageApp]:
    """The app, its database given back after the test whatever happens."""
    try:
        yield outage_app
    finally:
        outage_app.up()


def badge(browser: Browser) -> list[str] | None:
    return browser.js(BADGE_JS)


def wait_badge(browser: Browser, *notice: str) -> list[str]:
    lines = browser.wait_until(lambda: badge(browser), "the connection badge")
    assert BADGE_RE.match(lines[0]), lines
    for text in notice:
        browser.wait_until(lambda t=text: any(t in line for line in badge(browser) or []), f"notice {text}")
    return badge(browser) or []


def wait_no_badge(browser: Browser) -> None:
    browser.wait_until(lambda: badge(browser) is None, "the badge gone by itself", timeout=60)


def page_text(browser: Browser) -> str:
    return browser.driver.find_element(By.TAG_NAME, "body").text


def assert_no_command(browser: Browser) -> None:
    text = page_text(browser)
    assert "cli.py" not in text and "make run" not in text and "Traceback" not in text, text


def test_the_map_keeps_its_view_shows_the_badge_and_recovers(browser, database):
    browser.open(database.url + "/")
    browser.wait_until(lambda: len(locations(browser)) == 18, "the districts")
    browser.wait_network_idle()
    title, ranking = map_title(browser), browser.driver.find_element(By.ID, Ids.UNIT_RANKING).text
    assert badge(browser) is None

    database.down()
    lines = wait_badge(browser)  # the poll
    district = browser.js(LARGEST_JS)
    click_unit(browser, district)  # a drill-down while the data are away: nothing changes
    wait_badge(browser, "Thao tác vừa rồi chưa thực hiện được; trang giữ nguyên nội dung")
    assert len(locations(browser)) == 18 and map_title(browser) == title
    assert browser.driver.find_element(By.ID, Ids.UNIT_RANKING).text == ranking
    assert BADGE_RE.match(lines[0])
    assert_no_command(browser)

    browser.js("window.beforeRecovery = true;")
    database.up()
    wait_no_badge(browser)
    # a click failed meanwhile: the page reopens the URL's view once the data answer
    browser.wait_until(lambda: browser.js("return window.beforeRecovery === undefined;"), "the page reopened")
    browser.wait_until(lambda: len(locations(browser)) == 18, "the districts again")
    click_unit(browser, district)  # works again
    browser.wait_until(lambda: len(locations(browser)) not in (0, 18), "the district's communes")
    assert_no_command(browser)


def test_a_failed_save_keeps_what_was_typed_and_saves_once_the_data_are_back(browser, database):
    from sqlalchemy import create_engine

    from scoring.service import ScoringService

    engine = create_engine(database.settings.database_url)
    try:
        service = ScoringService(engine)
        group = service.groups(YEAR)[0]
        card = next(
            c
            for r in service.results(YEAR, group)
            if not (c := service.scorecard(r.unit_code, YEAR, group)).self_locked
        )
        ensure_account(engine, f"kiemthu.{card.unit_code}", {Role.UNIT_STAFF}, card.unit_code)
    finally:
        engine.dispose()
    login(
        browser,
        database.url,
        f"kiemthu.{card.unit_code}",
        f"/scoring/entry?unit={card.unit_code}&year={YEAR}",
    )
    rows = browser.wait_until(
        lambda: browser.driver.find_elements(By.CSS_SELECTOR, ".entry-table tbody tr[data-code]"), "rows"
    )
    codes = [r.get_attribute("data-code") for r in rows][:3]
    notes = {code: f"Ghi chú đang gõ {i} — chưa lưu" for i, code in enumerate(codes)}
    for code, note in notes.items():
        box = browser.driver.find_element(By.CSS_SELECTOR, f'tr[data-code="{code}"] [data-field="note"]')
        box.clear()
        box.send_keys(note)

    database.down()
    browser.driver.find_element(By.XPATH, "//button[normalize-space(.)='Lưu tự đánh giá']").click()
    wait_badge(browser, "Chưa lưu được", "Nội dung đang nhập vẫn giữ nguyên")
    for code, note in notes.items():
        box = browser.driver.find_element(By.CSS_SELECTOR, f'tr[data-code="{code}"] [data-field="note"]')
        assert box.get_attribute("value") == note
    assert_no_command(browser)

    database.up()
    browser.wait_until(
        lambda: not any(BADGE_RE.match(line) for line in badge(browser) or []), "the poll reaching the data"
    )
    assert any("Chưa lưu được" in line for line in badge(browser) or []), "the failed save is still said"
    browser.driver.find_element(By.XPATH, "//button[normalize-space(.)='Lưu tự đánh giá']").click()
    saved = browser.wait_until(
        lambda: browser.driver.find_element(By.CSS_SELECTOR, ".entry-notice.ok").text, "the saved notice"
    )
    assert "Đã lưu" in saved
    wait_no_badge(browser)  # the notice of the failed save goes with the save that worked
    for code, note in notes.items():
        box = browser.driver.find_element(By.CSS_SELECTOR, f'tr[data-code="{code}"] [data-field="note"]')
        assert box.get_attribute("value") == note


def test_a_scorecard_stays_on_screen_and_the_badge_goes_by_itself(browser, database):
    browser.open(f"{database.url}/scoring/results?year={YEAR}")
    table = f"#{ScoringIds.RESULTS_TABLE} tbody tr"
    browser.wait_until(lambda: browser.driver.find_elements(By.CSS_SELECTOR, table), "the results")
    shown = browser.driver.find_element(By.ID, ScoringIds.RESULTS_CONTENT).text

    database.down()
    wait_badge(browser)  # the page's own poll
    assert browser.driver.find_element(By.ID, ScoringIds.RESULTS_CONTENT).text == shown
    assert_no_command(browser)
    database.up()
    wait_no_badge(browser)
    assert browser.driver.find_element(By.ID, ScoringIds.RESULTS_CONTENT).text == shown


def test_a_page_opened_during_the_outage_says_so_and_opens_by_itself(browser, database):
    database.down()
    browser.open(database.url + "/")
    message = browser.wait_until(lambda: browser.driver.find_element(By.ID, Ids.MESSAGE).text, "the message")
    assert "Chưa hiển thị được bản đồ" in message and "tự thử lại" in message
    assert_no_command(browser)
    database.up()
    browser.wait_until(lambda: len(locations(browser)) == 18, "the map, by itself", timeout=60)
