"""One server round trip per interaction on the home page, in a real browser.

A fetch wrapper injected into the open page records every request to
/_dash-update-component (its callback's outputs); a MutationObserver on the map notes how
many had been sent when the map first shows the expected units. A click on a district
must have sent exactly one callback request by the time its communes are drawn, and that
one request must carry the map (and the breadcrumb, panel and rankings with it).
"""

from __future__ import annotations

import pytest

from geodata.display import display_geojson
from layouts.home.ids import Ids
from tests.browser.test_home import LARGEST_JS, click_unit, geography_of, open_home, text_of

pytestmark = pytest.mark.browser

# Records callback requests and, once, how many had been sent when the map's locations
# became exactly arguments[0] (sorted codes). Installed on the open page before the click.
WATCH_JS = """
const expected = arguments[0].slice().sort().join(',');
window.__dashRequests = [];
window.__sentAtRedraw = null;
if (!window.__fetchWrapped) {
    const original = window.fetch;
    window.fetch = function (input, init) {
        const url = typeof input === 'string' ? input : input.url;
        if (url.indexOf('_dash-update-component') >= 0) {
            let output = '?';
            try { output = JSON.parse(init.body).output; } catch (e) { /* not JSON */ }
            window.__dashRequests.push(output);
        }
        return original.apply(this, arguments);
    };
    window.__fetchWrapped = true;
}
const map = document.getElementById('map');
const locations = () => Array.from(map.querySelectorAll('.choroplethlocation'))
    .map(p => p.__data__ && p.__data__.loc).filter(Boolean).sort().join(',');
if (window.__mapObserver) window.__mapObserver.disconnect();
window.__mapObserver = new MutationObserver(() => {
    if (window.__sentAtRedraw === null && locations() === expected) {
        window.__sentAtRedraw = window.__dashRequests.slice();
    }
});
window.__mapObserver.observe(map, {childList: true, subtree: true, attributes: true});
"""


def communes_of(settings, district: str) -> list[str]:
    """Codes of the district's communes, from the shipped boundaries."""
    features = display_geojson(settings.geodata_dir, "commune")["features"]
    return [f["id"] for f in features if f["properties"]["parent_code"] == district]


@pytest.fixture(scope="module")
def geography(app_settings):
    return geography_of(app_settings)


def test_a_district_click_is_one_round_trip_carrying_map_breadcrumb_panel_and_rankings(
    browser, app_url, app_settings, geography
):
    open_home(browser, app_url, geography)
    district = browser.js(LARGEST_JS)
    communes = communes_of(app_settings, district)
    browser.js(WATCH_JS, communes)
    click_unit(browser, district)

    sent = browser.wait_until(lambda: browser.js("return window.__sentAtRedraw;"), "the communes drawn")
    assert len(sent) == 1, f"callback requests before the communes were drawn: {sent}"
    outputs = sent[0]
    for component in (Ids.MAP, Ids.BREADCRUMB, Ids.UNIT_PANEL, Ids.UNIT_RANKING_DATA):
        assert f"{component}." in outputs, f"{component} not in the one request: {outputs}"
    name = geography["district_names"][district]
    assert name in text_of(browser, Ids.BREADCRUMB)
    assert name in text_of(browser, Ids.UNIT_PANEL)
    browser.wait_network_idle()
    browser.assert_clean()
