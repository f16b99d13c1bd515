"""Reading the dashboard on a phone (390 px wide) and in Vietnamese: no sideways scrolling,
the map full width above the panels, the title on one or two lines, `<html lang="vi">`."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By

from tests.browser.test_scoring_pages import scoring  # noqa: F401  (the scoring demo in the app's database)

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844, "deviceScaleFactor": 2, "mobile": True}
OVERFLOW_JS = """
const doc = document.documentElement;
return {scroll: doc.scrollWidth, client: doc.clientWidth,
        wide: Array.from(document.querySelectorAll('body *'))
            .filter(e => e.getBoundingClientRect().right > doc.clientWidth + 1
                         && getComputedStyle(e).position !== 'fixed'
                         && e.getClientRects().length)
            .slice(0, 5).map(e => (e.id || e.className || e.tagName) + ':' +
                             Math.round(e.getBoundingClientRect().right))};
"""


def on_phone(browser):
    browser.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", PHONE)


def wait_for_map(browser):
    browser.wait_until(
        lambda: browser.js("return document.querySelectorAll('#map .choroplethlocation').length"),
        "the map's units are drawn",
    )
    browser.wait_network_idle()


@pytest.mark.parametrize("path", ["/", "/?period=2025-06&level=commune&parent=502"])
def test_home_on_a_phone_has_no_sideways_scroll(browser, app_url, path):
    on_phone(browser)
    browser.open(app_url + path)
    wait_for_map(browser)
    overflow = browser.js(OVERFLOW_JS)
    assert overflow["scroll"] <= overflow["client"], overflow
    map_box = browser.driver.find_element(By.ID, "map").rect
    assert map_box["width"] >= 0.9 * overflow["client"], map_box
    title = browser.driver.find_element(By.TAG_NAME, "h1")
    # "normal" line height is at most about 1.4 em in the system fonts: two lines < 3 em
    font_size = float(browser.js("return parseFloat(getComputedStyle(arguments[0]).fontSize)", title))
    assert title.rect["height"] < 3 * font_size, (title.text, title.rect, font_size)
    browser.assert_clean()


@pytest.mark.parametrize("path", ["/scoring/results?year=2025", "/scorecard?unit=502&year=2025"])
def test_scoring_pages_on_a_phone_have_no_sideways_scroll(browser, app_url, scoring, path):  # noqa: F811
    on_phone(browser)
    browser.open(app_url + path)
    browser.wait_until(
        lambda: browser.js("return document.querySelectorAll('tbody tr').length"), "table rows"
    )
    browser.wait_network_idle()
    overflow = browser.js(OVERFLOW_JS)
    assert overflow["scroll"] <= overflow["client"], overflow
    browser.assert_clean()


def test_pages_declare_vietnamese_and_fit_the_device(browser, app_url):
    browser.open(app_url + "/")
    assert browser.js("return document.documentElement.lang") == "vi"
    viewport = browser.js("const m = document.querySelector('meta[name=viewport]'); return m && m.content")
    assert viewport and "width=device-width" in viewport
