"""The detail tabs under the map in a real browser: each tab renders lazily and offline,
the trend chart's comparison lines, sorting the overdue list on the server, and the
downloads (overdue CSV, Biểu số 06 XLSX) arriving in Chromium's download folder.

Expected numbers come from dossier_stats on the same database the app serves."""

from __future__ import annotations

import csv
import io
import json
import time
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from selenium.webdriver.common.by import By

from accounts.permissions import Role
from db.engine import make_engine
from dossier_stats.bieu06.unit import resolve_unit
from dossier_stats.bieu06.xlsx_writer import SHEET_TITLE, TITLE, TITLE_ROW, UNIT_ROW
from dossier_stats.kpis import province_kpis
from dossier_stats.overdue import CSV_HEADER, overdue_dossiers
from dossier_stats.periods import Period
from layouts.home.details.ids import DetailsIds
from layouts.home.ids import Ids
from tests.accounts_fixtures import ensure_account
from tests.browser.conftest import APP_TODAY
from tests.browser.login import login

pytestmark = pytest.mark.browser

LEADER = "kiemthu.lanhdao"
DISTRICT, COMMUNE = "502", "20341"  # Thành phố Tam Kỳ and Phường Tam Kỳ, one of its communes
QN = "&edition=quang-nam-2020"  # the map with districts (October 2026 is otherwise the city's)
TRACES_JS = """
const plot = document.querySelector('#' + arguments[0] + ' .js-plotly-plot');
if (!plot || !plot.data) return null;
return plot.data.filter(t => t.type === arguments[1]).map(t => t.name);
"""
DRAWN_LINES_JS = "return document.querySelectorAll('#details-trend-graph .scatterlayer .trace').length;"
TABLE_OUTPUT = "..details-overdue-table.children...details-overdue-state.data.."
OVERDUE_CODES_JS = """
return Array.from(document.querySelectorAll('#details-overdue-table tbody tr'))
    .filter(r => !r.querySelector('td.empty')).map(r => r.cells[0].textContent);
"""


@pytest.fixture(scope="module")
def engine(app_settings):
    engine = make_engine(app_settings.database_url)
    ensure_account(engine, LEADER, {Role.LEADER})
    yield engine
    engine.dispose()


def unit_names(engine, *codes):
    with engine.connect() as conn:
        return [resolve_unit(conn, code, "49").name for code in codes]


def exists(browser, element_id) -> bool:
    return bool(browser.driver.find_elements(By.ID, element_id))


def content_text(browser) -> str:
    return browser.driver.find_element(By.ID, Ids.DETAILS_CONTENT).text


def callback_outputs(browser, since: int = 0) -> list[str]:
    """The outputs of every callback request sent since network message `since`."""
    return [output for output, _ in callback_answers(browser, since)]


def callback_answers(browser, since: int = 0) -> list[tuple[str, int | None]]:
    """(outputs, HTTP status or None while pending) of every callback request since `since`;
    204 = the server changed nothing (PreventUpdate)."""
    browser.collect()
    messages = browser.network[since:]
    status = {
        m["params"]["requestId"]: m["params"]["response"]["status"]
        for m in messages
        if m["method"] == "Network.responseReceived"
    }
    out = []
    for m in messages:
        request = m["params"].get("request", {}) if m["method"] == "Network.requestWillBeSent" else {}
        if "_dash-update-component" in request.get("url", "") and request.get("postData"):
            out.append((json.loads(request["postData"])["output"], status.get(m["params"]["requestId"])))
    return out


def details_answers(browser, since: int = 0) -> list[tuple[str, int | None]]:
    return [(output, code) for output, code in callback_answers(browser, since) if "details" in output]


def open_details(browser, app_url, search):
    """The map page as a leader (the overdue list is a dossier list: restricted)."""
    login(browser, app_url, LEADER, f"/{search}")
    browser.wait_until(lambda: exists(browser, DetailsIds.TREND_GRAPH), "the trend tab")
    browser.wait_until(lambda: browser.js(TRACES_JS, DetailsIds.TREND_GRAPH, "scatter"), "the trend lines")
    browser.wait_network_idle()


def click_tab(browser, label):
    browser.driver.find_element(
        By.XPATH, f"//*[@id='{Ids.DETAILS_TABS}']//*[normalize-space(text())='{label}']"
    ).click()


def allow_downloads(browser, folder: Path) -> None:
    behaviour = {"behavior": "allow", "downloadPath": str(folder)}
    browser.driver.execute_cdp_cmd("Browser.setDownloadBehavior", behaviour)


def downloaded(browser, folder: Path, name: str) -> Path:
    """The file once Chromium has finished writing it."""
    path = folder / name

    def done():
        return path.exists() and not list(folder.glob("*.crdownload")) and path.stat().st_size > 0

    browser.wait_until(done, f"the download {name} (folder holds {[p.name for p in folder.iterdir()]})")
    time.sleep(0.2)  # let the last write land
    return path


def download_report(browser, app_url, folder: Path, search: str, button: str, name: str) -> Path:
    """Opens the map page at `search`, its report tab, clicks the download `button`
    (DetailsIds.REPORT_XLSX / REPORT_CSV) and returns the file `name` once written."""
    allow_downloads(browser, folder)
    open_details(browser, app_url, search)
    click_tab(browser, "Báo cáo")
    browser.wait_until(lambda: exists(browser, button), "the report tab")
    browser.driver.find_element(By.ID, button).click()
    return downloaded(browser, folder, name)


def test_each_tab_renders_lazily_offline_for_a_commune(browser, app_url, engine):
    commune, district = unit_names(engine, COMMUNE, DISTRICT)
    open_details(browser, app_url, f"?unit={COMMUNE}&period=2026-10{QN}")
    assert commune in content_text(browser)

    click_tab(browser, "Hồ sơ quá hạn")
    browser.wait_until(lambda: exists(browser, DetailsIds.OVERDUE_TABLE), "the overdue tab")
    assert not exists(browser, DetailsIds.TREND_GRAPH)  # only the active tab is in the page
    assert "quá hạn tại ngày 31/10/2026" in content_text(browser)

    click_tab(browser, "Kênh tiếp nhận")
    browser.wait_until(lambda: "hồ sơ tiếp nhận mới trong tháng 10/2026" in content_text(browser), "channels")
    assert not exists(browser, DetailsIds.OVERDUE_TABLE)

    click_tab(browser, "Báo cáo")
    browser.wait_until(lambda: exists(browser, DetailsIds.REPORT_XLSX), "the report tab")
    text = content_text(browser)
    assert "Tải Biểu số 06 (XLSX)" in text and "Tải Biểu số 06 (CSV)" in text
    assert "Cách tính: Quy tắc tỉnh" in text
    assert f"của {commune}, tháng 10/2026" in text

    click_tab(browser, "Xu hướng")
    browser.wait_until(lambda: exists(browser, DetailsIds.RANK_GRAPH), "the trend tab again")
    assert f"Thứ hạng về tỷ lệ đúng hạn trong các xã, phường thuộc {district}" in content_text(browser)
    browser.wait_network_idle()
    browser.assert_clean()


def test_trend_lines_are_the_commune_its_district_and_the_province(browser, app_url, engine):
    commune, district, province = unit_names(engine, COMMUNE, DISTRICT, None)
    open_details(browser, app_url, f"?unit={COMMUNE}&period=2026-10{QN}")
    assert browser.js(TRACES_JS, DetailsIds.TREND_GRAPH, "scatter") == [commune, district, province]
    assert browser.js(DRAWN_LINES_JS) == 3
    assert len(browser.js(TRACES_JS, DetailsIds.TREND_GRAPH, "bar")) == 2  # received, resolved
    ticks = browser.js(
        "return Array.from(document.querySelectorAll('#details-trend-graph .x2tick text'))"
        ".map(t => t.textContent);"
    )
    assert "10/2026" in ticks
    browser.assert_clean()


def test_a_district_trend_compares_with_the_province_its_parent(browser, app_url, engine):
    district, province = unit_names(engine, DISTRICT, None)
    open_details(browser, app_url, f"?unit={DISTRICT}&period=2026-10")
    # the parent of a district is the province: drawn once
    assert browser.js(TRACES_JS, DetailsIds.TREND_GRAPH, "scatter") == [district, province]
    assert browser.js(DRAWN_LINES_JS) == 2
    # rank chart: rank 1 at the top (reversed axis)
    y_range = browser.js(
        "return document.querySelector('#details-rank-graph .js-plotly-plot').layout.yaxis.range;"
    )
    assert y_range[0] > y_range[1]
    browser.assert_clean()


def test_sorting_the_overdue_list_by_days_and_downloading_it(browser, app_url, engine, tmp_path):
    # 2026 is running on APP_TODAY: the list is taken on that day (issue 14, the as-of rule)
    as_of = date.fromisoformat(APP_TODAY)
    with engine.connect() as conn:
        province = resolve_unit(conn, None)
        most = overdue_dossiers(conn, province, as_of, sort="days_overdue", descending=True, limit=None)
        fewest = overdue_dossiers(conn, province, as_of, sort="days_overdue", descending=False, limit=None)
    assert 2 <= most.total <= 50, "the demo data should give one page with several overdue dossiers"
    assert most.rows[0].days_overdue > most.rows[-1].days_overdue

    allow_downloads(browser, tmp_path)
    open_details(browser, app_url, "?unit=49&period=2026")
    click_tab(browser, "Hồ sơ quá hạn")
    browser.wait_until(lambda: browser.js(OVERDUE_CODES_JS), "the overdue rows")
    assert browser.js(OVERDUE_CODES_JS) == [r.dossier_code for r in most.rows]

    header = f"//*[@id='{DetailsIds.OVERDUE_TABLE}']//th[.//button[contains(., 'Số ngày quá hạn')]]"
    assert browser.driver.find_element(By.XPATH, header).get_attribute("aria-sort") == "descending"
    browser.wait_network_idle()
    mark = len(browser.network)
    browser.driver.find_element(By.XPATH, f"{header}//button").click()
    expected = [r.dossier_code for r in fewest.rows]
    browser.wait_until(lambda: browser.js(OVERDUE_CODES_JS) == expected, "the fewest days overdue first")
    assert browser.driver.find_element(By.XPATH, header).get_attribute("aria-sort") == "ascending"
    browser.wait_network_idle()
    # one request for the click; the redrawn buttons call nothing by themselves
    assert details_answers(browser, mark) == [(TABLE_OUTPUT, 200)]

    browser.driver.find_element(By.ID, DetailsIds.OVERDUE_CSV).click()
    path = downloaded(browser, tmp_path, "ho_so_qua_han_49_2026.csv")
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    assert rows[0] == [f"Số liệu tính đến ngày {as_of:%d/%m/%Y}"]  # then the rule and source lines
    header = next(i for i, r in enumerate(rows) if r == list(CSV_HEADER))
    assert rows[header - 1][0].startswith("Nguồn:")
    assert [r[0] for r in rows[header + 1 :]] == expected  # the whole list, in the order on screen
    browser.wait_network_idle()
    browser.assert_clean()


def test_the_report_downloads_hold_the_form_and_the_province_total(browser, app_url, engine, tmp_path):
    period = Period("month", 2026, 10)
    with engine.connect() as conn:
        received_total = province_kpis(conn, period).received_total
    assert received_total > 0

    search, name = "?unit=49&period=2026-10", "bieu06_49_2026-10.xlsx"
    path = download_report(browser, app_url, tmp_path, search, DetailsIds.REPORT_XLSX, name)

    sheet = load_workbook(path)[SHEET_TITLE]
    assert sheet.cell(row=TITLE_ROW, column=1).value == TITLE
    # October 2026 is after the reform: the report is in the city's edition (its last day's)
    assert sheet.cell(row=UNIT_ROW, column=1).value == "Đơn vị báo cáo: Thành phố Đà Nẵng"
    totals = [r for r in sheet.iter_rows(values_only=True) if r[1] == "Tổng cộng"]
    assert len(totals) == 1
    assert totals[0][2] == received_total  # column 3: Tổng số hồ sơ nhận giải quyết

    browser.driver.find_element(By.ID, DetailsIds.REPORT_CSV).click()
    path = downloaded(browser, tmp_path, "bieu06_49_2026-10.csv")
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    assert [int(r["received_total"]) for r in rows if r["row_type"] == "total"] == [received_total]
    browser.wait_network_idle()
    browser.assert_clean()


def test_the_open_tab_follows_the_unit_and_a_metric_change_sends_nothing_to_it(browser, app_url, engine):
    commune, district = unit_names(engine, COMMUNE, DISTRICT)
    open_details(browser, app_url, f"?unit={COMMUNE}&period=2026-10{QN}")
    click_tab(browser, "Hồ sơ quá hạn")
    browser.wait_until(lambda: content_text(browser).startswith(commune), "the commune's overdue list")

    # a breadcrumb link changes the view without reloading the page: the tab stays open
    crumb = f"//*[@id='{Ids.BREADCRUMB}']//a[normalize-space(.)='{district}']"
    browser.driver.find_element(By.XPATH, crumb).click()
    browser.wait_until(lambda: content_text(browser).startswith(f"{district}:"), "the district's list")
    assert not exists(browser, DetailsIds.TREND_GRAPH)
    browser.wait_network_idle()

    mark = len(browser.network)
    browser.choose_option(Ids.METRIC, "Hồ sơ đang giải quyết quá hạn", exact=False)
    browser.wait_until(lambda: "metric=pending_overdue" in browser.driver.current_url, "the new metric")
    browser.wait_network_idle()
    assert callback_outputs(browser, mark), "the metric change sent no callback at all"
    # the renderer asks (the view store changed); the server answers "nothing changed"
    assert {code for _, code in details_answers(browser, mark)} <= {204}, details_answers(browser, mark)
    browser.assert_clean()


def test_new_data_redraws_the_open_tab_and_the_overdue_list_keeps_its_sort(browser, app_url, engine):
    """A new data version (LIVE_STATE, set here as the live poll would) redraws the tab in view;
    the overdue list redraws only its block, in the order the user chose."""
    open_details(browser, app_url, "?unit=49&period=2026")
    mark = len(browser.network)
    browser.js("window.dash_clientside.set_props(arguments[0], {data: {key: ['test', 1]}});", Ids.LIVE_STATE)
    browser.wait_until(
        lambda: "details-content.children" in callback_outputs(browser, mark), "the trend redrawn"
    )
    browser.wait_network_idle()
    assert set(details_answers(browser, mark)) == {("details-content.children", 200)}

    click_tab(browser, "Hồ sơ quá hạn")
    browser.wait_until(lambda: browser.js(OVERDUE_CODES_JS), "the overdue rows")
    header = f"//*[@id='{DetailsIds.OVERDUE_TABLE}']//th[.//button[contains(., 'Ngày tiếp nhận')]]"
    browser.driver.find_element(By.XPATH, f"{header}//button").click()
    browser.wait_until(
        lambda: browser.driver.find_element(By.XPATH, header).get_attribute("aria-sort") == "ascending",
        "sorted",
    )
    browser.wait_network_idle()
    order = browser.js(OVERDUE_CODES_JS)

    mark = len(browser.network)
    browser.js("window.dash_clientside.set_props(arguments[0], {data: {key: ['test', 2]}});", Ids.LIVE_STATE)
    browser.wait_until(lambda: TABLE_OUTPUT in callback_outputs(browser, mark), "the overdue block redrawn")
    browser.wait_network_idle()
    # (a set: the app's own poll may put the real data version back meanwhile, the same again)
    assert set(details_answers(browser, mark)) == {("details-content.children", 204), (TABLE_OUTPUT, 200)}
    assert browser.driver.find_element(By.XPATH, header).get_attribute("aria-sort") == "ascending"
    assert browser.js(OVERDUE_CODES_JS) == order
    browser.assert_clean()
