"""From the map page to the dossiers behind a figure, in a real browser: a count of the side
panel, of the ranking and of the Biểu 06 tab each opens the list whose total is the number
clicked; the running month says "tính đến ngày …" in the title, the panel and the Biểu 06 tab;
the side panel's early warning opens the list of dossiers due soon."""

from __future__ import annotations

from datetime import date

import pytest
from selenium.webdriver.common.by import By

from accounts.permissions import Role
from layouts.dossiers.ids import DossierIds
from layouts.home.ids import Ids
from tests.accounts_fixtures import ensure_account_at
from tests.browser.conftest import APP_TODAY
from tests.browser.login import login

pytestmark = pytest.mark.browser

TODAY = date.fromisoformat(APP_TODAY)
MONTH = f"{TODAY:%Y-%m}"
AS_OF = f"tính đến ngày {TODAY:%d/%m/%Y}"


@pytest.fixture(scope="module")
def leader(app_settings):
    return ensure_account_at(app_settings.database_url, "kiemthu.lienket", {Role.LEADER})


def number(text: str) -> int:
    return int(text.strip().replace(".", ""))


def follow(browser, link) -> int:
    """Click a count; the number it showed, after checking the list's total equals it."""
    browser.wait_network_idle()  # the page is drawn and quiet before the click
    shown = number(link.text)
    href = link.get_attribute("href")
    link.click()
    browser.wait_until(lambda: browser.driver.current_url == href, f"the list {href}")
    total = browser.wait_until(lambda: browser.driver.find_element(By.ID, DossierIds.TOTAL).text, "the total")
    assert number(total) == shown, href
    return shown


def go_back(browser, url: str) -> None:
    """Open the map page again (a fresh load: what is tested is the links, not the history)."""
    browser.open(url)
    browser.wait_until(lambda: browser.driver.find_elements(By.ID, Ids.UNIT_PANEL), "the map page")
    browser.wait_network_idle()


def panel_link(browser, count: str):
    selector = f"#{Ids.UNIT_PANEL} a.drill-link[href*='count={count}']"
    return browser.wait_until(
        lambda: browser.driver.find_element(By.CSS_SELECTOR, selector), f"panel {count}"
    )


def test_panel_ranking_and_report_counts_open_their_lists(browser, app_url, leader):
    home = f"/?unit=502&metric=pending_overdue&period={MONTH}"
    login(browser, app_url, leader.name, home)
    panel = browser.wait_until(lambda: browser.driver.find_element(By.ID, Ids.UNIT_PANEL).text, "the panel")
    assert AS_OF in panel
    header = browser.driver.find_element(By.ID, Ids.HEADER).text
    assert AS_OF in header or AS_OF in browser.driver.find_element(By.ID, Ids.MAP_CARD).text
    followed = [follow(browser, panel_link(browser, kind)) for kind in ("received_total",)]
    go_back(browser, app_url + home)
    followed.append(follow(browser, panel_link(browser, "pending_overdue")))
    go_back(browser, app_url + home)
    ranking_cell = f"#{Ids.UNIT_RANKING} td.value a.drill-link"
    cell = browser.wait_until(
        lambda: browser.driver.find_element(By.CSS_SELECTOR, ranking_cell), "a ranking count"
    )
    followed.append(follow(browser, cell))
    go_back(browser, app_url + home)
    browser.wait_until(lambda: browser.driver.find_element(By.ID, Ids.DETAILS_TABS), "the tabs")
    browser.driver.find_element(
        By.XPATH, f"//*[@id='{Ids.DETAILS_TABS}']//*[normalize-space(text())='Báo cáo']"
    ).click()
    report = browser.wait_until(
        lambda: browser.driver.find_element(By.CSS_SELECTOR, ".report-table a.drill-link[href*='level=']"),
        "a Biểu 06 count",
    )
    assert AS_OF in browser.driver.find_element(By.ID, Ids.DETAILS_CONTENT).text
    followed.append(follow(browser, report))
    assert sum(followed) > 0
    browser.assert_clean()


def test_the_panel_warns_of_dossiers_due_soon(browser, app_url, leader):
    login(browser, app_url, leader.name, f"/?period={MONTH}")
    link = browser.wait_until(
        lambda: browser.driver.find_element(
            By.CSS_SELECTOR, f"#{Ids.UNIT_PANEL} .warning-block a.drill-link"
        ),
        "the warning",
    )
    shown = number(link.text)
    link.click()
    browser.wait_until(lambda: "/dossiers/due-soon" in browser.driver.current_url, "the warning list")
    total = browser.wait_until(lambda: browser.driver.find_element(By.ID, DossierIds.TOTAL).text, "the total")
    assert number(total) == shown
    browser.assert_clean()


def test_city_ranking_counts_open_their_lists(browser, app_url, leader):
    """After the reform the rankings are the city's (communes and city departments); their
    counts open their lists as the Quảng Nam edition's rows do."""
    home = "/?metric=received&period=2026-06"
    login(browser, app_url, leader.name, home)
    followed = []
    for table in (Ids.UNIT_RANKING, Ids.DEPARTMENT_RANKING):
        selector = f"#{table} td.value a.drill-link[href*='count=received_new']"
        cell = browser.wait_until(
            lambda s=selector: browser.driver.find_element(By.CSS_SELECTOR, s), f"a count of {table}"
        )
        assert "period=2026-06" in cell.get_attribute("href")
        followed.append(follow(browser, cell))
        go_back(browser, app_url + home)
    assert all(n > 0 for n in followed)
    browser.assert_clean()
