"""The home page in a real browser: map, drill-down, breadcrumb, URL, selectors — offline."""

from __future__ import annotations

from collections import Counter
from urllib.parse import parse_qs, urlsplit

import pytest
from selenium.webdriver.common.actions.action_builder import ActionBuilder
from selenium.webdriver.common.by import By

from geodata.display import display_geojson
from layouts.home.ids import Ids

pytestmark = pytest.mark.browser

FIRST_LOAD_BUDGET = 600_000  # bytes, excluding the Dash/plotly JS bundles
METRIC_CHANGE_BUDGET = 20_000  # bytes of callback responses for one metric change
BUNDLES = "/_dash-component-suites/"

LOCATIONS_JS = """
return Array.from(document.querySelectorAll('#map .choroplethlocation'))
    .map(p => p.__data__ && p.__data__.loc).filter(Boolean);
"""
# A point inside a unit's polygon, in viewport coordinates: plotly picks the clicked unit
# by geometry under the pointer (its drag layer covers the paths), so scan a grid over the
# path's box for points inside its fill and take the one nearest the box centre.
POINT_INSIDE_JS = """
const code = arguments[0];
const path = Array.from(document.querySelectorAll('#map .choroplethlocation'))
    .find(p => p.__data__ && p.__data__.loc === code);
if (!path) return null;
const box = path.getBBox(), ctm = path.getScreenCTM(), svg = path.ownerSVGElement;
const cx = box.x + box.width / 2, cy = box.y + box.height / 2;
let best = null;
for (let i = 1; i < 30; i++) for (let j = 1; j < 30; j++) {
    const pt = svg.createSVGPoint();
    pt.x = box.x + box.width * i / 30; pt.y = box.y + box.height * j / 30;
    if (path.isPointInFill(pt)) {
        const d = (pt.x - cx) ** 2 + (pt.y - cy) ** 2;
        if (!best || d < best.d) best = {pt: pt, d: d};
    }
}
if (!best) return null;
const screen = best.pt.matrixTransform(ctm);
return [Math.round(screen.x), Math.round(screen.y)];
"""
LARGEST_JS = """
const paths = Array.from(document.querySelectorAll('#map .choroplethlocation'));
const area = p => { const r = p.getBoundingClientRect(); return r.width * r.height; };
return paths.sort((a, b) => area(b) - area(a))[0].__data__.loc;
"""


# The district map is the Quảng Nam edition's; the default period (October 2026) is after
# the reform, so its default map is the city's 94 communes (tests/browser/test_editions.py).
QN_EDITION = "?edition=quang-nam-2020"


def geography_of(settings):
    """District names and commune counts per district, from the shipped boundaries; the
    city's commune codes from the editions file."""
    from geodata.editions import load_editions

    districts = display_geojson(settings.geodata_dir, "district")["features"]
    communes = display_geojson(settings.geodata_dir, "commune")["features"]
    city = load_editions(settings.editions_file).get("da-nang-2025")
    return {
        "district_names": {f["id"]: f["properties"]["name"] for f in districts},
        "communes_per_district": Counter(f["properties"]["parent_code"] for f in communes),
        "commune_names": {f["id"]: f["properties"]["name"] for f in communes},
        "city_codes": sorted(u.code for u in city.units() if u.level == "commune"),
    }


@pytest.fixture(scope="module")
def geography(app_settings):
    return geography_of(app_settings)


def locations(browser):
    return browser.js(LOCATIONS_JS)


def wait_for_locations(browser, expected, what):
    return browser.wait_until(
        lambda: sorted(locations(browser)) == sorted(expected) and locations(browser), what
    )


def text_of(browser, element_id):
    return browser.driver.find_element(By.ID, element_id).text


def map_title(browser):
    return browser.driver.find_element(By.CSS_SELECTOR, "#map .gtitle").text


def query(browser):
    return {k: v[0] for k, v in parse_qs(urlsplit(browser.driver.current_url).query).items()}


def click_unit(browser, code):
    """A real mouse click on the unit's polygon."""
    hit = browser.wait_until(lambda: browser.js(POINT_INSIDE_JS, code), f"a clickable point of unit {code}")
    x, y = hit
    actions = ActionBuilder(browser.driver)
    actions.pointer_action.move_to_location(x - 3, y).move_to_location(x, y).pause(0.2).click()
    actions.perform()


def open_home(browser, app_url, geography, search=""):
    browser.open(f"{app_url}/{search}")
    if not search:
        wait_for_locations(browser, geography["city_codes"], "the 94 units of the city")
    elif search == QN_EDITION:
        wait_for_locations(browser, geography["district_names"], "the 18 districts")
    browser.wait_network_idle()


def test_home_page_shows_the_districts_with_legend_title_and_data_time_offline(browser, app_url, geography):
    open_home(browser, app_url, geography, QN_EDITION)
    assert len(geography["district_names"]) == 18
    assert sorted(locations(browser)) == sorted(geography["district_names"])
    assert map_title(browser).startswith("Tỷ lệ giải quyết đúng hạn — Tháng 10/2026")
    assert browser.driver.find_elements(By.CSS_SELECTOR, "#map .colorbar")
    assert text_of(browser, Ids.DATA_TIME).startswith("Dữ liệu cập nhật lúc ")
    assert text_of(browser, Ids.BREADCRUMB) == "Tỉnh Quảng Nam"
    assert "Tỉnh Quảng Nam" in text_of(browser, Ids.UNIT_PANEL)
    rows = browser.driver.find_elements(By.CSS_SELECTOR, f"#{Ids.UNIT_RANKING} td.name")
    assert len(rows) == 18
    assert browser.driver.find_elements(By.CSS_SELECTOR, f"#{Ids.DEPARTMENT_RANKING} td.name")
    assert text_of(browser, Ids.MESSAGE) == ""
    browser.assert_clean()

    sizes = browser.response_bytes()
    first_load = sum(n for url, n in sizes.items() if url.startswith(app_url) and BUNDLES not in url)
    print(f"\nfirst page load without Dash/plotly bundles: {first_load} bytes")
    assert first_load <= FIRST_LOAD_BUDGET, {u: n for u, n in sizes.items() if u.startswith(app_url)}


def test_metric_change_patches_values_only_and_updates_url(browser, app_url, geography):
    open_home(browser, app_url, geography, QN_EDITION)
    mark = len(browser.network)
    browser.choose_option(Ids.METRIC, "Hồ sơ đang giải quyết quá hạn", exact=False)
    browser.wait_until(
        lambda: map_title(browser).startswith("Hồ sơ đang giải quyết quá hạn"), "the new title"
    )
    browser.wait_network_idle()
    assert query(browser)["metric"] == "pending_overdue"
    assert sorted(locations(browser)) == sorted(geography["district_names"])
    responses = {u: n for u, n in browser.response_bytes(since=mark).items() if "_dash-update-component" in u}
    total = sum(responses.values())
    print(f"\nmetric change: {len(responses)} callback responses, {total} bytes")
    assert responses and total <= METRIC_CHANGE_BUDGET, responses
    browser.assert_clean()


def test_clicking_a_district_shows_its_communes_and_the_breadcrumb_goes_back(browser, app_url, geography):
    open_home(browser, app_url, geography, QN_EDITION)
    district = browser.js(LARGEST_JS)
    name = geography["district_names"][district]
    click_unit(browser, district)

    communes = browser.wait_until(
        lambda: (
            (locs := locations(browser))
            and len(locs) == geography["communes_per_district"][district]
            and locs
        ),
        f"the communes of {name}",
    )
    assert all(code in geography["commune_names"] for code in communes)
    browser.wait_until(
        lambda: (
            text_of(browser, Ids.BREADCRUMB) == f"Tỉnh Quảng Nam\n›\n{name}"
            or text_of(browser, Ids.BREADCRUMB).replace("\n", " ") == f"Tỉnh Quảng Nam › {name}"
        ),
        "the breadcrumb",
    )
    assert query(browser)["unit"] == district
    # the side panel follows the map (callbacks/home/interaction.py)
    browser.wait_until(lambda: name in text_of(browser, Ids.UNIT_PANEL), "the district's panel")
    browser.driver.save_screenshot(str(browser_artifact("district-view")))

    browser.driver.find_element(By.CSS_SELECTOR, f"#{Ids.BREADCRUMB} a").click()
    wait_for_locations(browser, geography["district_names"], "the districts again")
    browser.wait_until(lambda: query(browser).get("unit") == "49", "the province in the URL")
    assert text_of(browser, Ids.BREADCRUMB) == "Tỉnh Quảng Nam"
    browser.wait_network_idle()
    browser.assert_clean()


def open_the_largest_commune_district(browser, app_url, geography, search: str = "") -> str:
    """Opens the district with the most communes (with more of the query: "&metric=…"),
    waits for its communes drawn and the network idle; returns its largest commune's code."""
    district = max(geography["communes_per_district"], key=geography["communes_per_district"].get)
    open_home(browser, app_url, geography, f"?unit={district}{search}")
    browser.wait_until(
        lambda: len(locations(browser)) == geography["communes_per_district"][district], "the communes"
    )
    browser.wait_network_idle()
    return browser.js(LARGEST_JS)


def click_a_commune(browser, app_url, geography, search: str = "") -> str:
    """Clicks the largest commune of the district with the most communes and waits for it
    in the URL; returns its code."""
    commune = open_the_largest_commune_district(browser, app_url, geography, search)
    click_unit(browser, commune)
    browser.wait_until(lambda: query(browser).get("unit") == commune, "the commune in the URL")
    return commune


def test_clicking_a_commune_selects_it_and_shows_its_figures(browser, app_url, geography):
    commune = click_a_commune(browser, app_url, geography)
    name = geography["commune_names"][commune]
    browser.wait_until(lambda: name in text_of(browser, Ids.UNIT_PANEL), "the commune's figures")
    browser.wait_until(
        lambda: text_of(browser, Ids.BREADCRUMB).replace("\n", " ").endswith(f"› {name}"), "crumb"
    )
    browser.wait_until(
        lambda: (
            browser.driver.find_element(By.CSS_SELECTOR, f"#{Ids.UNIT_RANKING} tr.selected td.name").text
            == name
        ),
        "the commune's row highlighted in the ranking",
    )
    # the selected commune is outlined (thicker stroke than its neighbours)
    widths = browser.js(
        "return Array.from(document.querySelectorAll('#map .choroplethlocation'))"
        ".map(p => [p.__data__.loc, parseFloat(getComputedStyle(p).strokeWidth)]);"
    )
    selected = [w for code, w in widths if code == commune]
    others = [w for code, w in widths if code != commune]
    assert selected and others and selected[0] > max(others)
    browser.wait_network_idle()
    browser.assert_clean()


def test_url_reopens_a_district_view_with_its_metric(browser, app_url, geography):
    district = sorted(geography["district_names"])[3]
    open_home(browser, app_url, geography, f"?unit={district}&metric=pending_overdue")
    browser.wait_until(
        lambda: len(locations(browser)) == geography["communes_per_district"][district],
        "the district's communes",
    )
    browser.wait_until(
        lambda: map_title(browser).startswith("Hồ sơ đang giải quyết quá hạn"), "the metric title"
    )
    assert "Hồ sơ đang giải quyết quá hạn" in text_of(browser, Ids.METRIC)
    assert geography["district_names"][district] in text_of(browser, Ids.BREADCRUMB)
    assert text_of(browser, Ids.MESSAGE) == ""
    browser.wait_network_idle()
    browser.assert_clean()


def test_unknown_unit_in_url_shows_a_message_and_the_province(browser, app_url, geography):
    open_home(browser, app_url, geography, "?unit=99999")  # October 2026: the city's edition
    browser.wait_until(
        lambda: (
            text_of(browser, Ids.MESSAGE)
            == "Không tìm thấy đơn vị có mã 99999 — đang hiển thị Thành phố Đà Nẵng."
        ),
        "the message",
    )
    wait_for_locations(browser, geography["city_codes"], "the city's communes")
    assert text_of(browser, Ids.BREADCRUMB) == "Thành phố Đà Nẵng"
    browser.wait_network_idle()
    browser.assert_clean()


def test_choosing_quarters_opens_the_last_full_quarter(browser, app_url, geography):
    open_home(browser, app_url, geography)
    browser.driver.find_element(By.XPATH, f"//*[@id='{Ids.PERIOD_KIND}']//label[contains(., 'Quý')]").click()
    browser.wait_until(lambda: map_title(browser).endswith("Quý III/2026"), "the quarter in the title")
    browser.wait_until(lambda: query(browser).get("period") == "2026-Q3", "the quarter in the URL")
    assert "Quý III/2026" in text_of(browser, Ids.PERIOD)
    browser.wait_network_idle()
    browser.assert_clean()


def browser_artifact(name):
    from tests.browser.conftest import ARTIFACTS

    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS / f"{name}.png"


def test_clicking_a_name_in_the_ranking_opens_that_unit_and_back_returns(browser, app_url, geography):
    open_home(browser, app_url, geography, QN_EDITION)
    district = sorted(geography["district_names"])[0]
    name = geography["district_names"][district]
    browser.driver.find_element(
        By.XPATH, f"//*[@id='{Ids.UNIT_RANKING}']//a[normalize-space(.)='{name}']"
    ).click()
    browser.wait_until(
        lambda: len(locations(browser)) == geography["communes_per_district"][district],
        f"the communes of {name}",
    )
    browser.wait_until(lambda: query(browser).get("unit") == district, "the district in the URL")
    browser.wait_network_idle()

    browser.driver.back()
    wait_for_locations(browser, geography["district_names"], "the districts after going back")
    assert "unit" not in query(browser)
    browser.wait_network_idle()
    browser.assert_clean()


def test_district_view_notes_dossiers_of_old_communes_without_successor(browser, app_url, app_settings):
    from callbacks.home.view_data import unmapped_district_of
    from db.engine import make_engine
    from dossier_stats.periods import Period
    from dossier_stats.service import StatsService

    stats = StatsService(make_engine(app_settings.database_url), app_settings.province_code)
    district_of = unmapped_district_of(app_settings.geodata_dir)
    found = None
    for year in range(stats.first_data_date().year, 2026):
        for unit in stats.unmapped_kpis(Period("year", year, 0)):
            if unit.kpis.received_total and unit.code in district_of:
                found = (district_of[unit.code], year)
                break
        if found:
            break
    assert found is not None, "the demo data should have dossiers of old communes without successor"
    district, year = found
    expected = sum(
        u.kpis.received_total
        for u in stats.unmapped_kpis(Period("year", year, 0))
        if district_of.get(u.code) == district
    )
    browser.open(f"{app_url}/?unit={district}&period={year}")
    note = browser.wait_until(lambda: text_of(browser, Ids.UNMAPPED_NOTE), "the unmapped-communes note")
    assert note.startswith(f"{expected} hồ sơ của xã cũ không xác định được xã mới (tính vào huyện và tỉnh)")
    browser.wait_network_idle()
    browser.assert_clean()
