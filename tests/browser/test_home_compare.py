"""The home map's colour modes, comparison of two periods, unit search and "Tải số liệu" in a
real browser (issue 14 items 3, 4, 8)."""

from __future__ import annotations

import csv
import io

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from layouts.home.colour_modes import JUDGEMENT_COLOURS
from layouts.home.ids import Ids
from tests.browser.test_details import allow_downloads, downloaded
from tests.browser.test_home import (
    geography_of,
    locations,
    map_title,
    open_home,
    query,
    text_of,
    wait_for_locations,
)

pytestmark = pytest.mark.browser
QUANG_NAM = "?unit=49&metric=on_time_rate&period=2026-10&edition=quang-nam-2020"  # 18 districts

FILLS_JS = """
return Object.fromEntries(Array.from(document.querySelectorAll('#map .choroplethlocation'))
    .map(p => [p.__data__.loc, getComputedStyle(p).fill]));
"""
COLORBAR_JS = "return Array.from(document.querySelectorAll('#map .colorbar text')).map(t => t.textContent);"
TABLE_JS = """
const table = document.querySelector('#' + arguments[0] + ' table');
return Array.from(table.querySelectorAll('tr')).map(r => Array.from(r.children).map(c => c.textContent));
"""


@pytest.fixture(scope="module")
def geography(app_settings):
    return geography_of(app_settings)


def rgb(hex_colour: str) -> str:
    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgb({r}, {g}, {b})"


def choose(browser, dropdown_id: str, label: str) -> None:
    browser.choose_option(dropdown_id, label)


def open_quang_nam(browser, app_url, geography, search=QUANG_NAM):
    open_home(browser, app_url, geography, search)
    wait_for_locations(browser, geography["district_names"], "the 18 districts")
    browser.wait_network_idle()


def test_default_colours_judge_each_district_against_the_province(browser, app_url, geography):
    open_quang_nam(browser, app_url, geography)
    fills = browser.js(FILLS_JS)
    assert set(fills.values()) <= {rgb(c) for c in JUDGEMENT_COLOURS}
    assert "Tốt hơn" in browser.js(COLORBAR_JS) and "Kém hơn" in browser.js(COLORBAR_JS)
    assert "Wilson" in browser.driver.find_element(By.CSS_SELECTOR, ".method-note").get_attribute(
        "textContent"
    )
    assert "so với toàn tỉnh" in text_of(browser, Ids.MAP_LEGEND)
    browser.assert_clean()


def test_comparing_two_periods_shows_the_change_with_both_periods_in_the_url(browser, app_url, geography):
    open_quang_nam(browser, app_url, geography)
    before = browser.js(FILLS_JS)
    choose(browser, Ids.COMPARE, "Tháng 9/2026")
    browser.wait_until(
        lambda: "thay đổi Tháng 10/2026 so với Tháng 9/2026" in map_title(browser), "the title"
    )
    browser.wait_network_idle()
    assert query(browser)["period"] == "2026-10" and query(browser)["compare"] == "2026-09"
    after = browser.js(FILLS_JS)
    assert sorted(after) == sorted(geography["district_names"])
    assert after != before and not set(after.values()) <= {rgb(c) for c in JUDGEMENT_COLOURS}
    assert any(t.startswith("Thay đổi (điểm %)") for t in browser.js(COLORBAR_JS))
    header = browser.js(TABLE_JS, Ids.UNIT_RANKING)[0]
    assert header[-2:] == ["Thay đổi (điểm %)", "± hạng"]

    # the URL reopens the comparison, in the fixed-scale mode too
    open_home(browser, app_url, geography, f"{QUANG_NAM}&compare=2026-09&colour=fixed")
    browser.wait_until(lambda: "so với Tháng 9/2026" in map_title(browser), "the comparison from the URL")
    wait_for_locations(browser, geography["district_names"], "the districts")
    assert browser.js(FILLS_JS) == after
    browser.assert_clean()


def test_searching_a_unit_without_accents_opens_it_on_the_map(browser, app_url, geography):
    open_quang_nam(browser, app_url, geography)
    district = next(c for c, n in geography["district_names"].items() if n.endswith("Tiên Phước"))
    box = browser.driver.find_element(By.ID, Ids.UNIT_SEARCH)
    box.send_keys("tien phuoc", Keys.ENTER)
    browser.wait_until(lambda: query(browser).get("unit") == district, "Tiên Phước in the URL")
    browser.wait_until(
        lambda: len(locations(browser)) == geography["communes_per_district"][district], "its communes"
    )
    assert "Tiên Phước" in text_of(browser, Ids.BREADCRUMB)

    box.clear()
    box.send_keys("khong co don vi nay", Keys.ENTER)
    browser.wait_until(lambda: "Không tìm thấy đơn vị" in text_of(browser, Ids.MESSAGE), "the message")
    assert query(browser).get("unit") == district  # the view stays
    browser.assert_clean()


def read_csv(path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


def test_downloads_hold_exactly_what_the_map_and_the_ranking_show(browser, app_url, geography, tmp_path):
    open_quang_nam(browser, app_url, geography, QUANG_NAM.replace("2026-10", "2026-11"))
    browser.wait_until(lambda: "Tháng 11/2026" in map_title(browser), "the running month")
    allow_downloads(browser, tmp_path)

    browser.driver.find_element(By.ID, Ids.UNIT_RANKING_CSV).click()
    lines = read_csv(downloaded(browser, tmp_path, "xep_hang_on_time_rate_49_2026-11.csv"))
    assert lines[1] == ["Kỳ báo cáo: Tháng 11/2026"]
    assert lines[2] == ["Số liệu tính đến ngày 27/11/2026 (kỳ chưa kết thúc)"]
    assert lines[3][0].startswith("Cách tính: ") and lines[4][0].startswith("Nguồn: Bản đồ thể chế")
    assert lines[5:] == browser.js(TABLE_JS, Ids.UNIT_RANKING)  # header and rows as on screen

    browser.driver.find_element(By.ID, Ids.MAP_CSV).click()
    lines = read_csv(downloaded(browser, tmp_path, "ban_do_on_time_rate_49_2026-11.csv"))
    start = lines.index(["Mã", "Đơn vị", "Tỷ lệ", "So với toàn tỉnh"])
    rows = {r[0]: r for r in lines[start + 1 :]}
    assert sorted(rows) == sorted(geography["district_names"])
    shown = {r[1]: r[2] for r in browser.js(TABLE_JS, Ids.UNIT_RANKING)[1:]}
    assert {r[1]: r[2] for r in rows.values()} == shown
    browser.assert_clean()
