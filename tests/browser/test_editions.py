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
from tests.accounts_fixtures import ensure_account
from tests.browser.test_details import LEADER, allow_downloads, click_tab, downloaded, exists, open_details
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
const trace = gd.data.find(t => t.type === 'scattergeo');
return trace ? (trace.lon || []).length : null;
"""
HOVERS_JS = """
const gd = document.getElementById('map').querySelector('.js-plotly-plot');
const trace = gd.data[1];
return (trace.customdata || []).map(c => c[0]);
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
    browser.driver.find_element(By.ID, Ids.EDITION).click()
    option = browser.wait_until(
        lambda: browser.driver.find_element(By.XPATH, f"//*[@role='option'][contains(., '{name}')]"),
        f"the option {name}",
    )
    option.click()


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
    engine = make_engine(app_settings.database_url)
    try:
        ensure_account(engine, LEADER, {Role.LEADER})
    finally:
        engine.dispose()


def test_bieu06_of_june_2026_has_no_district_level_and_2026_ranks_no_abolished_department(
    browser, app_url, leader, tmp_path
):
    allow_downloads(browser, tmp_path)
    open_details(browser, app_url, "?period=2026-06")
    click_tab(browser, "Báo cáo")
    browser.wait_until(lambda: exists(browser, DetailsIds.REPORT_CSV), "the report tab")
    browser.driver.find_element(By.ID, DetailsIds.REPORT_CSV).click()
    path = downloaded(browser, tmp_path, "bieu06_49_2026-06.csv")
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
