"""The PAR-index pages in a real browser, offline: the scorecard shows what ScoringService
computes, the entry page writes through the workflow (and refuses a point over the
maximum on its row), the results page links to scorecards and downloads the annex.
Scores come from the scoring demo (the shipped 2025 sample definitions) loaded into the
session's database; a value changed here is put back at the end of its test."""

from __future__ import annotations

import csv
import io
import time
from pathlib import Path

import pytest
from openpyxl import load_workbook
from selenium.webdriver.common.by import By

from accounts.permissions import Role
from layouts.common.names import commune_label
from layouts.scoring.common import total_text
from layouts.scoring.ids import ScoringIds, ScoringTextIds
from layouts.scoring.results import export_filename
from layouts.scoring.scorecard_tree import scorecard_rows
from scoring import state
from scoring.survey_adjustments import set_adjustments
from scoring.workflow import SelfAssessment, set_self_assessment
from tests.accounts_fixtures import ensure_account
from tests.browser.driver import Browser, start_chrome
from tests.browser.login import login
from vi_format import format_points

pytestmark = pytest.mark.browser

YEAR = 2025
APPRAISER = "kiemthu.thamdinh"
LEADER = "kiemthu.lanhdao"  # reads provisional scores (the demo's are mostly provisional)
DRAWN_ROWS_JS = "return document.querySelectorAll('#' + arguments[0] + ' tbody tr').length;"


@pytest.fixture(scope="module")
def scoring(app_settings):
    """The session database with the 2025 sample definitions and the scoring demo, and a
    ScoringService of its own on it (the app has another: both see every change)."""
    from db.engine import make_engine
    from scoring.demo import fill_demo
    from scoring.service import ScoringService

    engine = make_engine(app_settings.database_url)
    try:
        fill_demo(engine, YEAR)
        yield ScoringService(engine)
    finally:
        engine.dispose()


def text_of(browser, element_id):
    return browser.driver.find_element(By.ID, element_id).text


def wait_drawn(browser, table_id, rows):
    browser.wait_until(lambda: browser.js(DRAWN_ROWS_JS, table_id) == rows, f"{rows} rows in #{table_id}")


def open_scorecard(browser, app_url, scoring, code):
    card = scoring.scorecard(code, YEAR)
    ensure_account(scoring.engine, LEADER, {Role.LEADER})
    login(browser, app_url, LEADER, f"/scorecard?unit={code}&year={YEAR}")
    browser.wait_until(
        lambda: text_of(browser, ScoringTextIds.CARD_TOTAL) == total_text(card.total), f"the total of {code}"
    )
    wait_drawn(browser, ScoringIds.CARD_TREE, len(scorecard_rows(card)))
    return card


def unlocked_unit(scoring):
    """(unit code, its first assessment sub-criterion) of a unit still self-assessing."""
    for group in scoring.groups(YEAR):
        for row in scoring.results(YEAR, group):
            card = scoring.scorecard(row.unit_code, YEAR, group)
            if not card.self_locked:
                sub = next(
                    s for a in card.areas for c in a.children for s in c.children if s.source == "assessment"
                )
                return card, sub
    raise AssertionError("the demo left no unit unlocked")


def staff_of(scoring, card):
    """The unit's staff account (Cán bộ đơn vị), created on first use."""
    return ensure_account(scoring.engine, f"kiemthu.{card.unit_code}", {Role.UNIT_STAFF}, card.unit_code)


def restore(scoring, card, sub):
    version = next(v for v in scoring.versions() if v.year == YEAR and v.group == card.group)
    with scoring.engine.begin() as conn:
        item = SelfAssessment(sub.code, sub.self_points, sub.evidence, sub.self_note)
        set_self_assessment(conn, version, card.unit_code, [item], staff_of(scoring, card))


def open_entry(browser, app_url, card, username):
    """Log in as `username`, then open the unit's entry page."""
    path = f"/scoring/entry?unit={card.unit_code}&year={YEAR}"
    login(browser, app_url, username, path)
    browser.wait_until(lambda: browser.driver.find_elements(By.CSS_SELECTOR, ".entry-table tbody tr"), "rows")


def type_points(browser, code, text):
    box = browser.driver.find_element(By.CSS_SELECTOR, f'tr[data-code="{code}"] input[data-field="points"]')
    box.clear()
    box.send_keys(text)


def click_button(browser, label):
    browser.driver.find_element(By.XPATH, f"//button[normalize-space(.)='{label}']").click()


def save_typed_points(browser, code, text, button):
    """Types the points of a row, clicks the save button and returns the saved notice."""
    type_points(browser, code, text)
    click_button(browser, button)
    return browser.wait_until(
        lambda: browser.driver.find_element(By.CSS_SELECTOR, ".entry-notice.ok").text, "the saved notice"
    )


def scoring_counter(scoring):
    with scoring.engine.connect() as conn:
        return state.scoring_version(conn)


def test_scorecard_page_shows_the_units_total_rank_and_tree_offline(browser, app_url, scoring):
    best = scoring.results(YEAR, "districts")[0]
    card = open_scorecard(browser, app_url, scoring, best.unit_code)
    assert text_of(browser, ScoringTextIds.CARD_RANK) == f"{card.rank}/{card.rank_count} — UBND cấp huyện"
    assert text_of(browser, ScoringTextIds.CARD_GRADE) == card.grade
    back = browser.driver.find_element(By.LINK_TEXT, "← Xem trên bản đồ")
    assert back.get_attribute("href").endswith(f"/?unit={card.map_code}")
    first_area = browser.driver.find_element(By.CSS_SELECTOR, f"#{ScoringIds.CARD_TREE} tbody tr.tree-area")
    assert first_area.text.startswith(f"{card.areas[0].code} {card.areas[0].name}")
    if card.provisional:
        assert browser.driver.find_elements(By.CSS_SELECTOR, ".scoring-badge.provisional")
    browser.wait_network_idle()
    browser.assert_clean()


def test_choosing_another_unit_opens_its_scorecard(browser, app_url, scoring):
    first, second = scoring.results(YEAR, "districts")[:2]
    open_scorecard(browser, app_url, scoring, first.unit_code)
    browser.driver.find_element(By.ID, ScoringIds.CARD_UNIT).click()
    search = browser.wait_until(
        lambda: browser.driver.find_element(By.CSS_SELECTOR, "input.dash-dropdown-search"), "the search box"
    )
    assert search.get_attribute("placeholder") == "Tìm theo tên hoặc mã…"
    search.send_keys(second.unit_code)
    label = f"{commune_label(second.name)} — UBND cấp huyện"
    browser.choose_option(None, label)
    browser.wait_until(
        lambda: f"unit={second.unit_code}" in browser.driver.current_url, "the unit in the URL"
    )
    card = scoring.scorecard(second.unit_code, YEAR)
    browser.wait_until(
        lambda: text_of(browser, ScoringTextIds.CARD_TOTAL) == total_text(card.total), "its total"
    )
    assert browser.driver.find_element(By.CSS_SELECTOR, ".scoring-title").text == card.name
    browser.wait_network_idle()
    browser.assert_clean()


def test_unknown_unit_and_year_are_explained_in_vietnamese(browser, app_url, scoring):
    browser.open(f"{app_url}/scorecard?unit=KHONG-CO&year=2031")
    message = browser.wait_until(
        lambda: browser.driver.find_element(By.CSS_SELECTOR, ".scoring-message").text, "the message"
    )
    assert "Năm 2031 chưa có bộ chỉ số CCHC" in message
    assert "Không tìm thấy đơn vị mã 'KHONG-CO'" in message
    browser.wait_network_idle()
    browser.assert_clean()


def test_entering_a_self_assessed_point_changes_the_scorecard(browser, app_url, scoring):
    card, sub = unlocked_unit(scoring)
    new_points = 0.0 if (sub.self_points or 0) > 0 else sub.max
    staff = staff_of(scoring, card)
    try:
        open_entry(browser, app_url, card, staff.name)
        notice = save_typed_points(browser, sub.code, format_points(new_points), "Lưu tự đánh giá")
        assert notice == f"Đã lưu tự đánh giá của 1 tiêu chí ({staff.name})."
        after = scoring.scorecard(card.unit_code, YEAR)
        changed = next(s for a in after.areas for c in a.children for s in c.children if s.code == sub.code)
        assert changed.self_points == new_points
        assert after.total != card.total
        open_scorecard(browser, app_url, scoring, card.unit_code)  # waits for the new total
        assert text_of(browser, ScoringTextIds.CARD_TOTAL) == total_text(after.total)
        # the change is in the history under the tree: who, which sub-criterion, old → new
        rows = [
            " ".join(r.text.split())
            for r in browser.driver.find_elements(By.CSS_SELECTOR, ".history-table tbody tr")
        ]
        old, new = format_points(sub.self_points), format_points(new_points)
        wanted = " ".join(f"{staff.name} {sub.code} — {sub.name} Điểm tự đánh giá {old} {new}".split())
        assert any(wanted in r for r in rows), rows[:3]
        browser.wait_network_idle()
        browser.assert_clean()
    finally:
        restore(scoring, card, sub)
    assert scoring.scorecard(card.unit_code, YEAR).total == card.total


def test_a_point_over_the_maximum_shows_the_error_on_its_row_and_changes_nothing(browser, app_url, scoring):
    card, sub = unlocked_unit(scoring)
    before = scoring_counter(scoring)
    open_entry(browser, app_url, card, staff_of(scoring, card).name)
    type_points(browser, sub.code, format_points(sub.max + 1))
    click_button(browser, "Lưu tự đánh giá")
    error = browser.wait_until(
        lambda: browser.driver.find_element(By.CSS_SELECTOR, f'tr[data-code="{sub.code}"] .entry-error').text,
        "the row's error",
    )
    assert error == (
        f"Tiêu chí {sub.code}: điểm {format_points(sub.max + 1)} vượt điểm tối đa {format_points(sub.max)}."
    )
    typed = browser.driver.find_element(
        By.CSS_SELECTOR, f'tr[data-code="{sub.code}"] input[data-field="points"]'
    )
    assert typed.get_attribute("value") == format_points(sub.max + 1)
    assert scoring_counter(scoring) == before
    assert scoring.scorecard(card.unit_code, YEAR).total == card.total
    browser.wait_network_idle()
    browser.assert_clean()


def wait_for_file(folder: Path, name: str) -> Path:
    deadline = time.monotonic() + 20
    path = folder / name
    while time.monotonic() < deadline:
        if path.exists() and not list(folder.glob("*.crdownload")):
            return path
        time.sleep(0.1)
    raise AssertionError(f"{name} not downloaded; folder has {sorted(p.name for p in folder.iterdir())}")


def test_results_page_lists_the_group_links_scorecards_and_downloads_both_files(
    browser, app_url, scoring, tmp_path
):
    rows = scoring.results(YEAR, "districts")
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    browser.driver.execute_cdp_cmd(
        "Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)}
    )
    ensure_account(scoring.engine, LEADER, {Role.LEADER})
    login(browser, app_url, LEADER, f"/scoring/results?year={YEAR}&group=districts")
    wait_drawn(browser, ScoringIds.RESULTS_TABLE, len(rows))
    first = browser.driver.find_element(By.CSS_SELECTOR, f"#{ScoringIds.RESULTS_TABLE} tbody tr")
    assert first.get_attribute("data-code") == rows[0].unit_code
    assert total_text(rows[0].total) in first.text

    click_button(browser, "Tải bảng kết quả (XLSX)")
    xlsx = wait_for_file(downloads, export_filename(YEAR, "xlsx"))
    sheets = load_workbook(io.BytesIO(xlsx.read_bytes())).sheetnames
    assert sheets == ["Sở, ban, ngành", "UBND cấp huyện", "UBND cấp xã"]
    click_button(browser, "Tải bảng kết quả (CSV)")
    csv_file = wait_for_file(downloads, export_filename(YEAR, "csv"))
    table = list(csv.reader(io.StringIO(csv_file.read_text(encoding="utf-8-sig"))))
    assert table[0][:3] == ["Xếp hạng", "Mã đơn vị", "Tên đơn vị"]
    every_unit = sum(len(scoring.results(YEAR, g)) for g in scoring.groups(YEAR))
    assert len(table) == 1 + every_unit
    message = text_of(browser, ScoringIds.DOWNLOAD_MESSAGE)
    assert message == f"Đã tạo {export_filename(YEAR, 'csv')} ({every_unit} đơn vị, 3 nhóm)."

    first.find_element(By.TAG_NAME, "a").click()  # inside the app, no reload
    browser.wait_until(
        lambda: text_of(browser, ScoringTextIds.CARD_TOTAL) == total_text(rows[0].total),
        "the first unit's scorecard",
    )
    assert f"unit={rows[0].unit_code}" in browser.driver.current_url
    browser.wait_network_idle()
    browser.assert_clean()


def test_a_bonus_line_is_entered_on_its_own_step(browser, app_url, scoring):
    card = scoring.scorecard(scoring.results(YEAR, "districts")[0].unit_code, YEAR)
    line = next(a for a in card.adjustments if a.kind == "bonus")
    new_points = 0.0 if line.points > 0 else line.max
    version = next(v for v in scoring.versions() if v.year == YEAR and v.group == card.group)
    appraiser = ensure_account(scoring.engine, APPRAISER, {Role.APPRAISER})
    try:
        open_entry(browser, app_url, card, appraiser.name)
        browser.driver.find_element(By.XPATH, "//label[normalize-space(.)='Điểm thưởng, điểm trừ']").click()
        browser.wait_until(
            lambda: browser.driver.find_elements(By.CSS_SELECTOR, f'tr[data-code="{line.code}"] input'),
            "the bonus line's input",
        )
        notice = save_typed_points(browser, line.code, format_points(new_points), "Lưu điểm thưởng, điểm trừ")
        assert notice == f"Đã lưu điểm thưởng, điểm trừ của 1 dòng ({appraiser.name})."
        after = scoring.scorecard(card.unit_code, YEAR)
        assert next(a.points for a in after.adjustments if a.code == line.code) == new_points
        browser.wait_network_idle()
        browser.assert_clean()
    finally:
        with scoring.engine.begin() as conn:
            set_adjustments(conn, version, card.unit_code, {line.code: line.points or None}, appraiser)
    assert scoring.scorecard(card.unit_code, YEAR).total == card.total


def test_two_browser_sessions_on_one_scorecard_the_later_save_sees_the_conflict(
    browser, app_url, scoring, tmp_path
):
    card, sub = unlocked_unit(scoring)
    first = staff_of(scoring, card)
    second_staff = ensure_account(
        scoring.engine, f"kiemthu2.{card.unit_code}", {Role.UNIT_STAFF}, card.unit_code
    )
    theirs, mine = [v for v in (0.0, 0.5, 1.0, sub.max) if v != sub.self_points][:2]
    other = Browser(start_chrome(tmp_path / "second-profile"))
    try:
        open_entry(browser, app_url, card, first.name)  # both open the same form
        open_entry(other, app_url, card, second_staff.name)
        saved = save_typed_points(browser, sub.code, format_points(theirs), "Lưu tự đánh giá")
        assert saved == f"Đã lưu tự đánh giá của 1 tiêu chí ({first.name})."
        before = scoring_counter(scoring)
        type_points(other, sub.code, format_points(mine))
        click_button(other, "Lưu tự đánh giá")
        notice = other.wait_until(
            lambda: other.driver.find_element(By.CSS_SELECTOR, ".entry-notice.problem").text, "the conflict"
        )
        assert notice.startswith(f"Tiêu chí {sub.code}: {first.name} đã lưu dòng này lúc ")
        assert (
            f"giá trị đã lưu: điểm {format_points(theirs)}; anh/chị nhập: điểm {format_points(mine)}. "
            "Dòng này chưa được lưu" in notice
        )
        assert scoring_counter(scoring) == before  # nothing of that row written
        line = scoring.scorecard(card.unit_code, YEAR)
        kept = next(s for a in line.areas for c in a.children for s in c.children if s.code == sub.code)
        assert kept.self_points == theirs
        box = other.driver.find_element(
            By.CSS_SELECTOR, f'tr[data-code="{sub.code}"] input[data-field="points"]'
        )
        assert box.get_attribute("value") == format_points(theirs)  # the form now shows what is stored
        other.wait_network_idle()
        other.assert_clean()
        browser.assert_clean()
    finally:
        other.driver.quit()
        restore(scoring, card, sub)
