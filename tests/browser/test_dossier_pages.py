"""The dossier pages in a real browser, offline: the list behind a figure (total equal to the
figure, paging, sorting by a header), the login prompt for an anonymous visitor, the lookup
by code, and "tính đến ngày …" on a running period with APP_TODAY mid-month (a second
server over the same database, its today the 15th).

Expected numbers come from dossier_stats on the same database the app serves."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import date

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from sqlalchemy import func, select

from accounts.permissions import Role
from app import create_app
from db.engine import make_engine
from db.schema import dossiers
from dossier_stats.periods import Period
from dossier_stats.service import StatsService
from layouts.common.dossier_links import LOOKUP_PATH, drill_href
from layouts.dossiers.common import LOGIN_PROMPT
from layouts.dossiers.ids import DossierIds
from layouts.wall.ids import WallIds
from tests.accounts_fixtures import PASSWORD, ensure_account
from tests.browser.conftest import APP_TODAY
from tests.browser.driver import serving
from tests.browser.login import login

pytestmark = pytest.mark.browser

YEAR = Period("year", 2026, 0)
CODES_JS = (
    "return Array.from(document.querySelectorAll('#dossiers-table tbody tr td.code'))"
    ".map(c => c.textContent);"
)


@pytest.fixture(scope="module")
def engine(app_settings):
    engine = make_engine(app_settings.database_url)
    ensure_account(engine, "kiemthu.hoso", {Role.LEADER})
    yield engine
    engine.dispose()


def text(browser, component_id: str) -> str:
    return browser.driver.find_element(By.ID, component_id).text


def shown_codes(browser) -> list[str]:
    return browser.js(CODES_JS)


def wait_summary(browser, start: str) -> str:
    return browser.wait_until(
        lambda: (t := text(browser, DossierIds.PAGER_SUMMARY)).startswith(start) and t, f"pager {start}"
    )


def test_the_list_behind_a_figure_pages_and_sorts(browser, app_url, engine):
    today = date.fromisoformat(APP_TODAY)
    expected = StatsService(engine, "49", today=lambda: today).province_kpis(YEAR).received_total
    assert expected > 100
    login(browser, app_url, "kiemthu.hoso", drill_href(None, YEAR.key, "received_total") + "&sort=code")
    total = browser.wait_until(lambda: text(browser, DossierIds.TOTAL), "the total")
    assert int(total.replace(".", "")) == expected
    assert text(browser, DossierIds.TITLE) == "Số hồ sơ nhận giải quyết"
    assert text(browser, DossierIds.AS_OF) == f"Kỳ chưa kết thúc: số liệu tính đến ngày {today:%d/%m/%Y}"
    wait_summary(browser, "Hồ sơ 1–50 / ")
    first = shown_codes(browser)
    assert len(first) == 50 and first == sorted(first)
    browser.driver.find_element(By.CSS_SELECTOR, "a.pager-next").click()
    wait_summary(browser, "Hồ sơ 51–100 / ")
    second = shown_codes(browser)
    assert "page=2" in browser.driver.current_url and second[0] > first[-1]
    browser.driver.find_element(By.CSS_SELECTOR, "a.sort-code").click()  # again: descending
    wait_summary(browser, "Hồ sơ 1–50 / ")
    browser.wait_until(lambda: shown_codes(browser) != first, "descending order")
    backwards = shown_codes(browser)
    assert backwards == sorted(backwards, reverse=True) and backwards[0] > first[-1]
    with engine.connect() as conn:
        newest = conn.execute(select(func.max(dossiers.c.dossier_code))).scalar()
    assert backwards[0] <= newest
    browser.driver.find_element(By.CSS_SELECTOR, "a.sort-due").click()
    browser.wait_until(lambda: "sort=due" in browser.driver.current_url, "sorted by due date")
    header = browser.wait_until(
        lambda: (
            (h := browser.driver.find_element(By.CSS_SELECTOR, "#dossiers-table th.sorted")).text.startswith(
                "Hạn trả"
            )
            and h
        ),
        "the due-date header marked",
    )
    assert header.get_attribute("aria-sort") == "ascending"
    browser.assert_clean()


def test_an_anonymous_visitor_is_asked_to_log_in_and_comes_back_to_the_list(browser, app_url, engine):
    href = drill_href("502", YEAR.key, "pending_overdue")
    browser.open(app_url + href)
    prompt = browser.wait_until(lambda: text(browser, DossierIds.ACCESS), "the login prompt")
    assert LOGIN_PROMPT in prompt
    assert not browser.driver.find_elements(By.ID, DossierIds.TABLE)
    browser.driver.find_element(By.CSS_SELECTOR, "a.login-link").click()
    browser.wait_until(lambda: "/login" in browser.driver.current_url, "the login page")
    browser.driver.find_element(By.ID, "username").send_keys("kiemthu.hoso")
    browser.driver.find_element(By.ID, "password").send_keys(PASSWORD)
    browser.driver.find_element(By.CSS_SELECTOR, "button.login-submit").click()
    browser.wait_until(lambda: browser.driver.current_url == app_url + href, "back to the list")
    browser.wait_until(lambda: browser.driver.find_elements(By.ID, DossierIds.TABLE), "the list")
    browser.assert_clean()


def test_lookup_by_code(browser, app_url, engine):
    with engine.connect() as conn:
        code = conn.execute(
            select(dossiers.c.dossier_code)
            .where(dossiers.c.received_on.is_not(None))
            .order_by(dossiers.c.dossier_code)
        ).scalar()
    login(browser, app_url, "kiemthu.hoso", LOOKUP_PATH)
    field = browser.wait_until(
        lambda: browser.driver.find_element(By.ID, DossierIds.LOOKUP_INPUT), "the field"
    )
    field.send_keys(f" {code} ", Keys.ENTER)
    title = browser.wait_until(lambda: text(browser, DossierIds.TITLE), "the dossier")
    assert title == f"Hồ sơ {code}"
    assert browser.driver.current_url.endswith(f"{LOOKUP_PATH}?code={code}")
    body = text(browser, DossierIds.LOOKUP_CONTENT)
    assert "Tính cho đơn vị" in body and "Tính là hồ sơ nhận trong kỳ" in body
    field.send_keys(Keys.CONTROL, "a")
    field.send_keys(Keys.DELETE, "KHONG-CO-HO-SO-NAY")
    browser.driver.find_element(By.ID, DossierIds.LOOKUP_BUTTON).click()
    missing = browser.wait_until(
        lambda: "Không có" in (t := text(browser, DossierIds.TITLE)) and t, "not found"
    )
    assert missing == "Không có hồ sơ nào mã “KHONG-CO-HO-SO-NAY”."
    browser.assert_clean()


@pytest.fixture(scope="module")
def mid_month_url(app_settings) -> Iterator[str]:
    """The same database served with today = the 15th of APP_TODAY's month."""
    today = date.fromisoformat(APP_TODAY).replace(day=15)
    with serving(create_app(replace(app_settings, today_override=today)).server, "mid-month") as url:
        yield url


def test_a_running_month_says_to_which_day_it_is_counted(browser, mid_month_url, engine):
    today = date.fromisoformat(APP_TODAY).replace(day=15)
    month = Period.containing("month", today)
    login(browser, mid_month_url, "kiemthu.hoso", drill_href(None, month.key, "pending_overdue"))
    shown = browser.wait_until(lambda: text(browser, DossierIds.AS_OF), "the as-of line")
    assert shown == f"Kỳ chưa kết thúc: số liệu tính đến ngày 15/{today:%m/%Y}"
    browser.open(mid_month_url + "/dossiers/due-soon")
    shown = browser.wait_until(lambda: text(browser, DossierIds.AS_OF), "the warning's as-of line")
    assert shown == f"Số liệu tính đến ngày 15/{today:%m/%Y}"
    browser.open(f"{mid_month_url}/wall?seconds=600&scenes=warning&period={month.key}")
    header = browser.wait_until(lambda: "tính đến" in (t := text(browser, WallIds.PERIOD)) and t, "the wall")
    # a month after 1/7/2025 is the city's on the wall too (the edition of the period's last day)
    assert month.start >= date(2025, 7, 1)
    assert header == f"Thành phố Đà Nẵng · {month.label} · tính đến ngày 15/{today:%m/%Y}"
    browser.assert_clean()
