"""The home page's index metrics in a real browser: the PAR index (Chỉ số CCHC) colours the
districts for a year, the department ranking shows the published PAR ranks, a commune
clicked on the map offers its scorecard; the 766 index from the URL. Scores come from the
scoring demo (the shipped 2025 sample definitions) loaded into the session's database."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pytest
from selenium.webdriver.common.by import By

from accounts.permissions import Role
from layouts.home.ids import Ids
from tests.accounts_fixtures import ensure_account_at
from tests.browser.login import login
from tests.browser.test_home import (
    QN_EDITION,
    click_a_commune,
    geography_of,
    map_title,
    open_home,
    query,
    text_of,
)
from vi_format import format_number, vietnamese_sort_key

pytestmark = pytest.mark.browser

YEAR = 2025
LAYER_JS = """
const gd = document.querySelector('#map .js-plotly-plot');
const t = gd.data[arguments[0]];
return {locations: t.locations, z: t.z, zmin: t.zmin, ticktext: (t.colorbar || {}).ticktext || []};
"""
RANKING_ROWS_JS = """
return Array.from(document.querySelectorAll('#' + arguments[0] + ' tbody tr'))
    .map(tr => Array.from(tr.querySelectorAll('td')).map(td => td.textContent));
"""


@pytest.fixture(autouse=True)
def as_leader(browser, app_url, app_settings):
    """These tests read as a leader: the demo's PAR scores are mostly provisional, which
    anonymous visitors do not see (test_map_metric_sources checks that)."""
    ensure_account_at(app_settings.database_url, "kiemthu.lanhdao", {Role.LEADER})
    login(browser, app_url, "kiemthu.lanhdao", "/healthz")


@pytest.fixture(scope="module")
def geography(app_settings):
    return geography_of(app_settings)


@pytest.fixture(scope="module")
def par_results(app_settings):
    """Demo PAR scores of 2025 in the session's database (the sample definitions are loaded
    first); the district and commune rows by polygon and the department rows."""
    from db.engine import make_engine
    from scoring.demo import fill_demo
    from scoring.service import ScoringService

    engine = make_engine(app_settings.database_url)
    try:
        fill_demo(engine, YEAR)
        scoring = ScoringService(engine)
        yield {
            "city_departments": {
                r.unit_code for r in scoring.edition_table(YEAR, "departments", "da-nang-2025").rows
            },
            "districts": scoring.map_rows(YEAR, "districts"),
            "communes": scoring.map_rows(YEAR, "communes"),
            "departments": scoring.results(YEAR, "departments"),
        }
    finally:
        engine.dispose()


def choose_metric(browser, label):
    browser.choose_option(Ids.METRIC, label)


def test_choosing_chi_so_cchc_colours_districts_by_their_2025_index(browser, app_url, geography, par_results):
    open_home(browser, app_url, geography, QN_EDITION)  # 2025 ends in the city's edition: ask for districts
    choose_metric(browser, "Chỉ số CCHC (tổng điểm)")
    browser.wait_until(
        lambda: map_title(browser).startswith(f"Chỉ số CCHC (tổng điểm) — Năm {YEAR}"), "the PAR title"
    )
    browser.wait_until(lambda: query(browser).get("period") == str(YEAR), "the year in the URL")
    browser.wait_network_idle()
    assert query(browser)["metric"] == "par"
    assert f"Năm {YEAR}" in text_of(browser, Ids.PERIOD)
    month = browser.driver.find_element(
        By.XPATH, f"//*[@id='{Ids.PERIOD_KIND}']//label[contains(., 'Tháng')]//input"
    )
    assert not month.is_enabled()  # the PAR index is yearly

    layer = browser.js(LAYER_JS, 0)
    rows = par_results["districts"]
    assert sorted(layer["locations"]) == sorted(geography["district_names"])
    for code, z in zip(layer["locations"], layer["z"], strict=True):
        if code in rows:
            assert z == pytest.approx(rows[code].total), code
        else:  # no district committee scored (Nông Sơn merged on 2025-01-01): grey
            assert z == layer["zmin"], code
    assert len(rows) < len(layer["locations"])
    assert layer["ticktext"][0] == "Chưa có điểm"
    assert "Tỉnh Quảng Nam" in text_of(browser, Ids.UNIT_PANEL) and f"Năm {YEAR}" in text_of(
        browser, Ids.UNIT_PANEL
    )
    browser.assert_clean()


def shown_department_ranking(browser, ranked: Iterable[tuple[int, Any]], what: str) -> list[list[str]]:
    """Waits for the department ranking to show one row per (rank, result) of `ranked`,
    checks its rank, name and total columns (by rank, then name) and returns its rows."""
    expected = sorted(
        ([str(rank), r.name, format_number(r.total, 2)] for rank, r in ranked),
        key=lambda row: (int(row[0]), vietnamese_sort_key(row[1])),
    )
    shown = browser.wait_until(
        lambda: (
            (rows := browser.js(RANKING_ROWS_JS, Ids.DEPARTMENT_RANKING))
            and len(rows) == len(expected)
            and rows
        ),
        what,
    )
    assert [row[:3] for row in shown] == expected
    return shown


def test_department_ranking_shows_the_par_ranks_of_2025(browser, app_url, geography, par_results):
    # Quảng Nam's edition holds the whole 2025 group with its ranks (the city's: below)
    open_home(browser, app_url, geography, f"?metric=par&period={YEAR}&edition=quang-nam-2020")
    browser.wait_until(lambda: map_title(browser).startswith("Chỉ số CCHC (tổng điểm)"), "the PAR title")
    ranked = ((r.rank, r) for r in par_results["departments"])
    shown = shown_department_ranking(browser, ranked, "every department in the ranking")
    assert any(row[3].startswith(("Tốt", "Khá", "Trung bình", "Yếu")) for row in shown)
    assert text_of(browser, Ids.DEPARTMENT_RANKING_CAPTION) == f"Theo chỉ số CCHC (tổng điểm) — Năm {YEAR}"
    header = browser.driver.find_element(By.CSS_SELECTOR, f"#{Ids.DEPARTMENT_RANKING} thead").text
    assert "Điểm" in header and "Xếp loại" in header
    browser.wait_network_idle()
    browser.assert_clean()


def test_the_citys_department_ranking_of_2025_ranks_its_own_departments(
    browser, app_url, geography, par_results
):
    """2025 ends in the city's edition: its departments (none abolished in March 2025), ranked
    among themselves (scoring/editions.py)."""
    open_home(browser, app_url, geography, f"?metric=par&period={YEAR}")
    browser.wait_until(lambda: map_title(browser).startswith("Chỉ số CCHC (tổng điểm)"), "the PAR title")
    city = [r for r in par_results["departments"] if r.unit_code in par_results["city_departments"]]
    assert 0 < len(city) < len(par_results["departments"])
    ranks = [1 + sum(o.percent > r.percent for o in city) for r in city]
    ranked = zip(ranks, city, strict=True)
    shown = shown_department_ranking(browser, ranked, "the city's departments in the ranking")
    assert not [row for row in shown if row[1] == "Sở Kế hoạch và Đầu tư"]
    browser.wait_network_idle()
    browser.assert_clean()


def test_clicking_a_commune_under_chi_so_cchc_offers_its_scorecard(browser, app_url, geography, par_results):
    commune = click_a_commune(browser, app_url, geography, f"&metric=par&period={YEAR}")
    row = par_results["communes"][commune]
    browser.wait_network_idle()
    # Read text and href in one script: the panel may be redrawn between two driver calls.
    text, href = browser.wait_until(
        lambda: browser.js(
            "const a = document.querySelector(arguments[0]);"
            " return a ? [a.innerText, a.getAttribute('href')] : null;",
            f"#{Ids.UNIT_PANEL} a.scorecard-link",
        ),
        "the scorecard link",
    )
    assert text.startswith("Xem phiếu điểm")
    assert href.endswith(f"/scorecard?unit={row.unit_code}&year={YEAR}")
    panel = text_of(browser, Ids.UNIT_PANEL)
    assert f"Chỉ số CCHC năm {YEAR}" in panel
    assert f"{row.rank}/{len(par_results['communes'])}" in panel  # its rank among all communes
    assert "hạng chung toàn tỉnh" in text_of(browser, Ids.RANKING_CAPTION)
    browser.wait_network_idle()
    browser.assert_clean()


def test_766_index_from_the_url_colours_districts_and_ranks_departments(browser, app_url, geography):
    open_home(
        browser, app_url, geography, "?metric=index766_timeliness&period=2026-Q3&edition=quang-nam-2020"
    )
    browser.wait_until(
        lambda: map_title(browser).startswith("Chỉ số 766: Tiến độ, kết quả giải quyết — Quý III/2026"),
        "the 766 title",
    )
    browser.wait_network_idle()
    layer = browser.js(LAYER_JS, 0)
    present = [z for z in layer["z"] if z != layer["zmin"]]
    assert present and all(0 <= z <= 20 for z in present)  # the timeliness group has 20 points
    assert "Chỉ số 766 — Quý III/2026" in text_of(browser, Ids.UNIT_PANEL)
    header = browser.driver.find_element(By.CSS_SELECTOR, f"#{Ids.DEPARTMENT_RANKING} thead").text
    assert "Điểm" in header and "Xếp loại" in header and "Ghi chú" in header
    # the rule set that produced the figures, beside them (issue 16)
    rules = "Bộ quy tắc 766 mặc định, phiên bản 2026.1"
    assert rules in text_of(browser, Ids.UNIT_PANEL)
    assert text_of(browser, Ids.DEPARTMENT_RANKING_CAPTION).endswith(rules)
    assert text_of(browser, Ids.MESSAGE) == ""
    browser.assert_clean()
