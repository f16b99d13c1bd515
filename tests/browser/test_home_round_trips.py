"""One server round trip per interaction on the home page, in a real browser.

A fetch wrapper injected into the open page records every request to
/_dash-update-component (its callback's outputs); a MutationObserver on the map notes which
had been sent when the map first shows what the interaction asks for (the district's
communes, the province's districts, a new title). A click on a district, the breadcrumb, a
metric, a period kind or a period must each have sent exactly one callback request by then,
and that request must carry the map and the breadcrumb; the side panel and the rankings
follow in a request sent after the redraw (one answer is applied whole before the browser
paints, so they would delay the map). The wrapper can also hold every callback request: the
outline of a clicked commune is drawn while the server has not answered (a clientside
callback).
"""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By

from geodata.display import display_geojson
from layouts.home.ids import Ids
from tests.browser.test_home import (
    LARGEST_JS,
    click_unit,
    geography_of,
    locations,
    open_home,
    open_the_largest_commune_district,
    text_of,
)

pytestmark = pytest.mark.browser

# Records callback requests (window.__dashRequests: their outputs) and, once, which had been
# sent when the map shows arguments[1]: the sorted unit codes ("locations"), or the start of
# the title ("title"). With window.__holdCallbacks set, callback requests wait until it is
# cleared (window.__releaseCallbacks()).
WATCH_JS = """
const kind = arguments[0], expected = arguments[1];
window.__dashRequests = [];
window.__sentAtRedraw = null;
if (!window.__fetchWrapped) {
    const original = window.fetch;
    window.__held = [];
    window.__releaseCallbacks = () => {
        window.__holdCallbacks = false;
        window.__held.splice(0).forEach(go => go());
    };
    window.fetch = function (input, init) {
        const url = typeof input === 'string' ? input : input.url;
        if (url.indexOf('_dash-update-component') < 0) return original.apply(this, arguments);
        let output = '?';
        try { output = JSON.parse(init.body).output; } catch (e) { /* not JSON */ }
        window.__dashRequests.push(output);
        if (!window.__holdCallbacks) return original.apply(this, arguments);
        const self = this, args = arguments;
        return new Promise(resolve => window.__held.push(() => resolve(original.apply(self, args))));
    };
    window.__fetchWrapped = true;
}
const map = document.getElementById('map');
const shown = () => kind === 'title'
    ? ((map.querySelector('.gtitle') || {}).textContent || '').startsWith(expected)
    : Array.from(map.querySelectorAll('.choroplethlocation'))
        .map(p => p.__data__ && p.__data__.loc).filter(Boolean).sort().join(',')
        === expected.slice().sort().join(',');
if (window.__mapObserver) window.__mapObserver.disconnect();
window.__mapObserver = new MutationObserver(() => {
    if (window.__sentAtRedraw === null && shown()) window.__sentAtRedraw = window.__dashRequests.slice();
});
window.__mapObserver.observe(map, {childList: true, subtree: true, attributes: true, characterData: true});
"""
DISTRICT_PERIOD = "2025-06"
ONE_ANSWER = (Ids.MAP, Ids.BREADCRUMB)
AFTER_THE_MAP = (Ids.UNIT_PANEL, Ids.UNIT_RANKING_DATA)
WIDTHS_JS = """
return Array.from(document.querySelectorAll('#map .choroplethlocation'))
    .map(p => [p.__data__.loc, parseFloat(getComputedStyle(p).strokeWidth)]);
"""


def communes_of(settings, district: str) -> list[str]:
    """Codes of the district's communes, from the shipped boundaries."""
    features = display_geojson(settings.geodata_dir, "commune")["features"]
    return [f["id"] for f in features if f["properties"]["parent_code"] == district]


@pytest.fixture(autouse=True)
def no_poll_during_the_test(monkeypatch):
    """Pages opened by these tests poll for new data once an hour: every callback request
    counted is then one the interaction caused (callbacks/home/live.py reads the variable
    when it builds the page)."""
    monkeypatch.setenv("LIVE_POLL_SECONDS", "3600")


@pytest.fixture(scope="module")
def geography(app_settings):
    return geography_of(app_settings)


def open_districts(browser, app_url, geography) -> None:
    """The province's former districts: a month before 1 July 2025 (later months are drawn in
    the city's edition, without a district step)."""
    open_home(browser, app_url, geography, f"?period={DISTRICT_PERIOD}")
    browser.wait_until(lambda: sorted(locations(browser)) == sorted(geography["district_names"]), "districts")
    browser.wait_network_idle()


def sent_before_redraw(browser, what: str, carries=ONE_ANSWER, follows=AFTER_THE_MAP) -> str:
    """The one callback request sent before the map was redrawn (fails on more than one, or
    when it does not carry `carries`, or when `follows` — the side panel, the rankings — are
    not asked for by a request after it)."""
    sent = browser.wait_until(lambda: browser.js("return window.__sentAtRedraw;"), what)
    assert len(sent) == 1, f"callback requests before {what}: {sent}"
    for component in carries:
        assert f"{component}." in sent[0], f"{component} not in the one request: {sent[0]}"
    for component in follows:
        assert f"{component}." not in sent[0], f"{component} delays the map: {sent[0]}"
        browser.wait_until(
            lambda c=component: any(f"{c}." in r for r in browser.js("return window.__dashRequests;")[1:]),
            f"{component} asked for after {what}",
        )
    return sent[0]


def choose_metric(browser, label: str) -> None:
    browser.choose_option(Ids.METRIC, label, exact=False)


def test_district_click_and_breadcrumb_are_one_round_trip_each(browser, app_url, app_settings, geography):
    open_districts(browser, app_url, geography)
    district = browser.js(LARGEST_JS)
    browser.js(WATCH_JS, "locations", communes_of(app_settings, district))
    click_unit(browser, district)
    sent_before_redraw(browser, "the communes drawn")
    name = geography["district_names"][district]
    browser.wait_until(lambda: name in text_of(browser, Ids.BREADCRUMB), "the breadcrumb")
    browser.wait_until(lambda: name in text_of(browser, Ids.UNIT_PANEL), "the district's panel")
    browser.wait_network_idle()

    browser.js(WATCH_JS, "locations", sorted(geography["district_names"]))
    browser.driver.find_element(By.CSS_SELECTOR, f"#{Ids.BREADCRUMB} a").click()
    sent_before_redraw(browser, "the districts drawn again")
    browser.wait_until(lambda: text_of(browser, Ids.BREADCRUMB) == "Tỉnh Quảng Nam", "the province crumb")
    browser.wait_network_idle()
    browser.assert_clean()


def test_metric_period_kind_and_period_changes_are_one_round_trip_each(browser, app_url, geography):
    open_districts(browser, app_url, geography)
    label = "Hồ sơ đang giải quyết quá hạn"
    browser.js(WATCH_JS, "title", label)
    choose_metric(browser, label)
    # metrics of one family share the panel: what follows the map is the rankings' request
    sent_before_redraw(browser, "the new metric's title")
    browser.wait_network_idle()

    browser.js(WATCH_JS, "title", f"{label} — Quý III/2026")
    browser.driver.find_element(By.XPATH, f"//*[@id='{Ids.PERIOD_KIND}']//label[contains(., 'Quý')]").click()
    sent_before_redraw(browser, "the quarter's title")
    browser.wait_network_idle()

    browser.js(WATCH_JS, "title", f"{label} — Quý II/2026")
    browser.choose_option(Ids.PERIOD, "Quý II/2026", exact=False)
    sent_before_redraw(browser, "the period's title")
    browser.wait_network_idle()
    browser.assert_clean()


def test_a_clicked_commune_is_outlined_before_the_server_answers(browser, app_url, app_settings, geography):
    commune = open_the_largest_commune_district(browser, app_url, geography)
    browser.js(WATCH_JS, "title", "—never—")
    browser.js("window.__holdCallbacks = true;")
    click_unit(browser, commune)

    def outlined():
        widths = dict(browser.js(WIDTHS_JS))
        others = [w for code, w in widths.items() if code != commune]
        return widths.get(commune, 0) > max(others)

    browser.wait_until(outlined, "the clicked commune outlined while the server is held")
    held = browser.js("return window.__dashRequests;")
    assert len(held) == 1 and f"{Ids.MAP}." in held[0], held  # the map's answer, not yet sent back
    assert geography["commune_names"][commune] not in text_of(browser, Ids.UNIT_PANEL)
    browser.js("window.__releaseCallbacks();")
    name = geography["commune_names"][commune]
    browser.wait_until(lambda: name in text_of(browser, Ids.UNIT_PANEL), "the commune's figures")
    assert outlined()
    browser.wait_network_idle()
    browser.assert_clean()
