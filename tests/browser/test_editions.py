"""The map follows the period's edition (issue 13), in a real browser, offline.

Before July 2025 the three-level Quảng Nam map (18 districts, a click opens a district's
communes); after it the two-level city of Đà Nẵng: its 94 communes, wards and special zone
at once, the units without data marked "chưa có dữ liệu" (the shipped registry covers the
former Quảng Nam only), no district step; the edition control switches both ways and is in
the URL. Biểu 06 of June 2026 has no district level; the department ranking of 2026 lists
no department abolished in March 2025.
"""

from __future__ import annotations

import csv
import io

import pytest
from selenium.webdriver.common.by import By

from accounts.permissions import Role
from db.engine import make_engine
from dossier_stats.editions import edition_coverage
from dossier_stats.periods import Period
from layouts.home.details.ids import DetailsIds
from layouts.home.ids import Ids
from tests.accounts_fixtures import ensure_account_at
from tests.browser.test_details import LEADER, download_report
from tests.browser.test_home import click_unit, locations, query, text_of, wait_for_locations

pytestmark = pytest.mark.browser

QN, DN = "quang-nam-2020", "da-nang-2025"
ABOLISHED_MARCH_2025 = (
    "Sở Kế hoạch và Đầu tư",
    "Sở Giao thông vận tải",
    "Sở Tài nguyên và Môi trường",
    "Sở Thông tin và Truyền thông",
    "Sở Lao động - Thương binh và Xã hội",
    "Ban Dân tộc",
)
NO_DATA_POINTS_JS = """
const gd = document.getElementById('map').querySelector('.js-plotly-plot');
const marks = gd.data.filter(t => t.type === 'scattergeo');
return marks.length ? marks.reduce((n, t) => n + (t.lon || []).length, 0) : null;
"""
HOVERS_JS = """
const gd = document.getElementById('map').querySelector('.js-plotly-plot');
const layers = gd.data.filter(t => t.type === 'choropleth' && (t.customdata || []).length);
return layers.flatMap(t => t.customdata.map(c => c[0]));
"""


@pytest.fixture(scope="module")
def coverage(app_settings):
    engine = make_engine(app_settings.database_url)
    try:
        with engine.connect() as conn:
            return edition_coverage(conn, Period("month", 2026, 6), DN)
    finally:
        engine.dispose()


@pytest.fixture(scope="module")
def city_codes(app_settings):
    from geodata.editions import load_editions

    edition = load_editions(app_settings.editions_file).get(DN)
    return sorted(u.code for u in edition.units() if u.level == "commune")


def choose_edition(browser, name):
    browser.choose_option(Ids.EDITION, name, exact=False)


def test_before_the_reform_the_districts_and_a_click_opens_a_districts_communes(browser, app_url):
    from tests.browser.test_home import geography_of

    browser.open(f"{app_url}/?period=2024-06")
    wait_for_locations(browser, [f"{c}" for c in range(502, 520)], "the 18 districts")
    assert text_of(browser, Ids.BREADCRUMB) == "Tỉnh Quảng Nam"
    click_unit(browser, "502")
    browser.wait_until(lambda: query(browser).get("unit") == "502", "the district in the URL")
    browser.wait_until(lambda: "502" not in locations(browser) and locations(browser), "the communes of 502")
    assert len(locations(browser)) < 18
    browser.wait_network_idle()
    browser.assert_clean()
    assert geography_of  # the three-level map is the Quảng Nam edition's


def test_after_the_reform_the_94_units_of_the_city_at_once(browser, app_url, coverage, city_codes):
    browser.open(f"{app_url}/?period=2026-06")
    wait_for_locations(browser, city_codes, "the 94 units of the city")
    assert len(city_codes) == 94
    assert text_of(browser, Ids.BREADCRUMB) == "Thành phố Đà Nẵng"
    # the side panel and the rankings follow the map (callbacks/home/interaction.py)
    browser.wait_until(lambda: "Thành phố Đà Nẵng" in text_of(browser, Ids.UNIT_PANEL), "the city's panel")
    browser.wait_network_idle()
    assert 70 <= len(coverage.with_data) <= 78  # the registry covers former Quảng Nam (78 units)
    missing = 94 - len(coverage.with_data)
    browser.wait_until(
        lambda: browser.js(NO_DATA_POINTS_JS) == missing, f"{missing} units marked without data"
    )
    hovers = browser.js(HOVERS_JS)
    assert sum("Chưa có dữ liệu" in h for h in hovers) == missing
    subtitle = browser.driver.find_element(By.CSS_SELECTOR, "#map .gtitle").text
    assert f"Số liệu của {len(coverage.with_data)}/94 đơn vị" in browser.driver.page_source or subtitle
    rows = browser.driver.find_elements(By.CSS_SELECTOR, f"#{Ids.UNIT_RANKING} td.name")
    assert len(rows) == len(coverage.with_data)  # units without data are not ranked

    # no district step: a click selects the commune, the 94 units stay
    code = sorted(coverage.with_data)[0]
    click_unit(browser, code)
    browser.wait_until(lambda: query(browser).get("unit") == code, "the commune in the URL")
    assert sorted(locations(browser)) == city_codes
    browser.wait_network_idle()
    browser.assert_clean()


def test_the_edition_switch_works_both_ways_and_is_in_the_url(browser, app_url, city_codes):
    browser.open(f"{app_url}/?period=2026-06")
    wait_for_locations(browser, city_codes, "the city")
    choose_edition(browser, "Tỉnh Quảng Nam (2020 – 30/6/2025)")
    wait_for_locations(browser, [f"{c}" for c in range(502, 520)], "the 18 former districts")
    assert query(browser).get("edition") == QN
    assert text_of(browser, Ids.BREADCRUMB) == "Tỉnh Quảng Nam"

    browser.open(f"{app_url}/?period=2024-06&edition={DN}")
    wait_for_locations(browser, city_codes, "pre-reform data on the city's communes")
    choose_edition(browser, "Tỉnh Quảng Nam (2020 – 30/6/2025)")
    wait_for_locations(browser, [f"{c}" for c in range(502, 520)], "back to the districts")
    assert "edition" not in query(browser)  # the period's own edition needs no parameter
    browser.wait_network_idle()
    browser.assert_clean()


@pytest.fixture(scope="module")
def leader(app_settings):
    """The leader's account the report tab is opened with (the lists there are restricted)."""
    ensure_account_at(app_settings.database_url, LEADER, {Role.LEADER})


def test_bieu06_of_june_2026_has_no_district_level_and_2026_ranks_no_abolished_department(
    browser, app_url, leader, tmp_path
):
    name = "bieu06_49_2026-06.csv"
    path = download_report(browser, app_url, tmp_path, "?period=2026-06", DetailsIds.REPORT_CSV, name)
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    levels = {r["level"] for r in rows if r["level"]}
    assert "district" not in levels and "commune" in levels

    browser.open(f"{app_url}/?period=2026")
    browser.wait_until(
        lambda: browser.driver.find_elements(By.CSS_SELECTOR, f"#{Ids.DEPARTMENT_RANKING} td.name"),
        "the department ranking of 2026",
    )
    names = [
        e.text for e in browser.driver.find_elements(By.CSS_SELECTOR, f"#{Ids.DEPARTMENT_RANKING} td.name")
    ]
    assert names and not [n for n in names if n in ABOLISHED_MARCH_2025]
    assert "Sở Nông nghiệp và Môi trường" in names
    browser.wait_network_idle()
    browser.assert_clean()


BOXES_JS = """
const map = document.querySelector('#map .main-svg').getBoundingClientRect();
const size = document.getElementById('map').querySelector('.js-plotly-plot')._fullLayout._size;
const out = {map: [map.left, map.top, map.right, map.bottom], plot: [size.w, size.h], units: {}};
for (const p of document.querySelectorAll('#map .choroplethlocation')) {
    if (!p.__data__ || !p.__data__.loc) continue;
    const r = p.getBoundingClientRect();
    out.units[p.__data__.loc] = [r.left, r.top, r.right, r.bottom];
}
return out;
"""
HOANG_SA = "20333"  # Đặc khu Hoàng Sa, some 300 km out at sea


def test_the_city_map_fits_the_mainland_and_draws_hoang_sa_in_an_inset(browser, app_url, city_codes):
    browser.open(f"{app_url}/?period=2026-06")
    wait_for_locations(browser, city_codes, "the 94 units of the city")
    browser.wait_network_idle()
    boxes = browser.js(BOXES_JS)
    left, top, right, bottom = boxes["map"]
    mainland = [b for code, b in boxes["units"].items() if code != HOANG_SA]
    width = max(b[2] for b in mainland) - min(b[0] for b in mainland)
    height = max(b[3] for b in mainland) - min(b[1] for b in mainland)
    # fitted to the mainland: it fills the plot area's height (with Hoàng Sa in the fit it
    # took under a third of the width and two fifths of the height)
    plot_w, plot_h = boxes["plot"]
    assert height > 0.7 * plot_h or width > 0.7 * plot_w, (width, height, boxes["plot"])
    sa = boxes["units"][HOANG_SA]  # drawn apart, in the inset at the upper right
    assert sa[0] > left + 0.5 * (right - left) and sa[3] < top + 0.6 * (bottom - top), sa
    assert not any(b[0] < sa[2] and sa[0] < b[2] and b[1] < sa[3] and sa[1] < b[3] for b in mainland)
    click_unit(browser, HOANG_SA)  # still a unit of the map: a click selects it
    browser.wait_until(lambda: query(browser).get("unit") == HOANG_SA, "Hoàng Sa in the URL")
    browser.wait_until(lambda: "Hoàng Sa" in text_of(browser, Ids.BREADCRUMB), "Hoàng Sa in the breadcrumb")
    browser.driver.save_screenshot("/tmp/city_map.png")
    browser.open(f"{app_url}/?period=2026-06&edition={QN}")  # the inset only in the city view
    wait_for_locations(browser, [f"{c}" for c in range(502, 520)], "the 18 former districts")
    browser.wait_until(lambda: HOANG_SA not in locations(browser), "no inset")
    browser.wait_network_idle()
    browser.assert_clean()
