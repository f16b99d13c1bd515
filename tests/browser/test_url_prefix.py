"""The app behind a reverse proxy under /bando/ (URL_PREFIX), in a real Chromium: the map,
its drill-down through a ranking link, the wall and its health poll, the PAR-index pages'
links — every request under /bando/ and none failing; an unknown path says "Không có trang"."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from urllib.parse import urlsplit

import pytest
from selenium.webdriver.common.by import By

from config import Settings
from layouts.home.ids import Ids
from tests.browser.driver import Browser, serving
from tests.browser.test_home import geography_of, locations, wait_for_locations

pytestmark = pytest.mark.browser
PREFIX = "/bando/"


@pytest.fixture(scope="module")
def prefixed_url(app_settings: Settings) -> Iterator[str]:
    """The browser tests' database, served under /bando/ (base URL without the prefix)."""
    from app import create_app

    with serving(create_app(replace(app_settings, url_prefix=PREFIX)).server, "prefix-app") as url:
        yield url


def app_requests(browser: Browser, base: str) -> list[str]:
    return [u for u in browser.requested_urls() if u.startswith(base)]


def assert_all_under_prefix(browser: Browser, base: str) -> None:
    outside = [u for u in app_requests(browser, base) if not urlsplit(u).path.startswith(PREFIX)]
    assert not outside, outside
    browser.assert_clean()  # no request failed (a 404 is a console error), none left 127.0.0.1


def test_the_map_drills_down_through_a_ranking_link_under_the_prefix(browser, prefixed_url, app_settings):
    geography = geography_of(app_settings)
    browser.open(prefixed_url + PREFIX)
    wait_for_locations(browser, geography["district_names"], "the 18 districts")
    browser.wait_network_idle()
    ranking_link = f"#{Ids.UNIT_RANKING} td.name a"
    link = browser.wait_until(lambda: browser.driver.find_element(By.CSS_SELECTOR, ranking_link), "a link")
    assert urlsplit(link.get_attribute("href")).path == PREFIX
    district = next(code for code, name in geography["district_names"].items() if name == link.text)
    link.click()
    communes = geography["communes_per_district"][district]
    browser.wait_until(lambda: len(locations(browser)) == communes, "the district's communes")
    parts = urlsplit(browser.driver.current_url)
    assert parts.path == PREFIX and f"unit={district}" in parts.query
    browser.driver.find_element(By.CSS_SELECTOR, f"#{Ids.BREADCRUMB} a").click()
    wait_for_locations(browser, geography["district_names"], "the districts again")
    browser.wait_network_idle()
    assert urlsplit(browser.driver.current_url).path == PREFIX
    assert any("_dash-update-component" in u for u in app_requests(browser, prefixed_url))
    assert_all_under_prefix(browser, prefixed_url)


def test_the_wall_and_its_health_poll_under_the_prefix(browser, prefixed_url):
    browser.open(prefixed_url + PREFIX + "wall")
    data_time = "#wall .wall-data-time"
    browser.wait_until(lambda: browser.driver.find_element(By.CSS_SELECTOR, data_time).text, "the data time")
    browser.wait_network_idle()
    assert browser.driver.find_elements(By.CSS_SELECTOR, "#wall .wall-scene")
    assert "Không có trang" not in browser.driver.find_element(By.TAG_NAME, "body").text
    health = browser.driver.find_element(By.ID, "wall").get_attribute("data-health-url")
    assert health == PREFIX + "wall/health"
    status = browser.driver.execute_async_script(
        "const done = arguments[1]; fetch(arguments[0], {cache: 'no-store'}).then(r => done(r.status));",
        health,
    )
    assert status == 200
    assert not browser.driver.find_element(By.ID, "wall-badge").text
    assert_all_under_prefix(browser, prefixed_url)


def click_link(browser: Browser, text: str) -> None:
    """Find and click a link, again if the page redrew it in between (stale element)."""

    def click() -> bool:
        browser.driver.find_element(By.LINK_TEXT, text).click()
        return True

    browser.wait_until(click, f"a click on the link {text}")


def test_the_scoring_pages_link_to_each_other_under_the_prefix(browser, prefixed_url):
    browser.open(prefixed_url + PREFIX + "scoring/results")
    click_link(browser, "Phiếu điểm")
    scorecard = PREFIX + "scorecard"
    browser.wait_until(lambda: urlsplit(browser.driver.current_url).path == scorecard, "the scorecard")
    browser.wait_network_idle()
    click_link(browser, "Bản đồ")
    browser.wait_until(lambda: locations(browser), "the map")
    assert urlsplit(browser.driver.current_url).path == PREFIX
    browser.wait_network_idle()
    assert_all_under_prefix(browser, prefixed_url)


def test_an_unknown_path_says_there_is_no_such_page(browser, prefixed_url):
    browser.open(prefixed_url + PREFIX + "khong-co")
    message = browser.wait_until(
        lambda: browser.driver.find_element(By.CSS_SELECTOR, ".message[role=alert]").text, "the message"
    )
    assert "Không có trang /khong-co." in message
    browser.driver.find_element(By.LINK_TEXT, "Về bản đồ").click()
    browser.wait_until(lambda: locations(browser), "the map")
    assert urlsplit(browser.driver.current_url).path == PREFIX
