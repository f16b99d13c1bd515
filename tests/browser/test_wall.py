"""The wall display in a real headless Chromium at 1920×1080 and 3840×2160: every scene renders
offline with large enough text, the rotation follows the playlist, the keyboard steps and
pauses, a scene exports as a PNG at screen resolution. Screenshots go to test-artifacts/."""

from __future__ import annotations

import base64
import itertools
import struct
from collections.abc import Iterator

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from tests.browser.conftest import ARTIFACTS, SharedChrome
from tests.browser.driver import Browser
from wall.playlist import SCENES

pytestmark = pytest.mark.browser

SCREENS = [(1920, 1080), (3840, 2160)]
ALL_SCENES = ",".join(SCENES)

# Every visible text of the header, the active scene and the footer (HTML and plotly's SVG):
# its computed font size against 1/50 of the screen height.
FONT_SIZES_JS = """
const root = document.getElementById('wall');
const min = window.innerHeight / 50;
const parts = [root.querySelector('.wall-top'), root.querySelector('.wall-scene.active'),
               root.querySelector('.wall-foot')];
const bad = []; let count = 0;
for (const part of parts) {
  const walker = document.createTreeWalker(part, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const text = n.textContent.trim();
    const el = n.parentElement;
    if (!text || !el) continue;
    const r = el.getBoundingClientRect();
    const cs = getComputedStyle(el);
    if (!r.width || !r.height || cs.visibility === 'hidden' || cs.display === 'none') continue;
    count++;
    const size = parseFloat(cs.fontSize);
    if (size < min - 0.01) bad.push([text.slice(0, 40), size]);
  }
}
return {count: count, bad: bad, min: min};
"""
ACTIVE_JS = "const s = document.querySelector('#wall .wall-scene.active'); return s && s.dataset.scene;"
SCENE_PNG_JS = """
const done = arguments[arguments.length - 1];
window.bandoWall.scenePng().then(done, e => done('error: ' + e));
"""


def open_wall(browser: Browser, url: str) -> None:
    browser.open(url)
    browser.wait_until(
        lambda: browser.js("return document.getElementById('wall-data-time').textContent"), "the data time"
    )
    browser.wait_network_idle()


def on_screen(chromium: SharedChrome, width: int, height: int) -> Browser:
    """A fresh tab of the session's Chromium emulating a screen of width × height."""
    browser = chromium.fresh()
    browser.driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
    )
    return browser


@pytest.fixture(params=SCREENS, ids=[f"{w}x{h}" for w, h in SCREENS])
def screen(request: pytest.FixtureRequest, chromium: SharedChrome) -> Iterator[tuple[Browser, int, int]]:
    width, height = request.param
    browser = on_screen(chromium, width, height)
    try:
        yield browser, width, height
    finally:
        chromium.done(browser)


@pytest.fixture
def wall_browser(chromium: SharedChrome) -> Iterator[Browser]:
    browser = on_screen(chromium, 1920, 1080)
    try:
        yield browser
    finally:
        chromium.done(browser)


def scene_selector(scene: str) -> str:
    return f".wall-scene[data-scene={scene}]"


def active(browser: Browser) -> str:
    return browser.js(ACTIVE_JS)


def scene_ready(browser: Browser, scene: str) -> bool:
    """The scene's own content is drawn (not the empty placeholder of the first paint)."""
    checks = {
        "map": ".wall-scene[data-scene=map] .choroplethlocation",
        "communes": ".wall-scene[data-scene=communes] .choroplethlocation",
        "ranking": ".wall-scene[data-scene=ranking] tbody tr",
        "commune_ranking": ".wall-scene[data-scene=commune_ranking] tbody tr",
        "trend": ".wall-scene[data-scene=trend] .xtick",
        "attention": ".wall-scene[data-scene=attention] .wall-note",
        "warning": ".wall-scene[data-scene=warning] .wall-kpi-value",
    }
    return bool(browser.driver.find_elements(By.CSS_SELECTOR, checks[scene]))


def count(browser: Browser, selector: str) -> int:
    return len(browser.driver.find_elements(By.CSS_SELECTOR, selector))


def test_every_scene_renders_large_readable_text_offline(screen, app_url):
    browser, width, height = screen
    # Quảng Nam's edition (18 former districts, 78 communes); the city's: test_the_city_wall_…
    open_wall(browser, f"{app_url}/wall?seconds=600&scenes={ALL_SCENES}&edition=quang-nam-2020")
    assert browser.js("return [window.innerWidth, window.innerHeight]") == [width, height]
    data_time = browser.driver.find_element(By.ID, "wall-data-time")
    assert data_time.text.startswith("Số liệu cập nhật lúc ")
    for index, scene in enumerate(SCENES):
        browser.wait_until(lambda s=scene: active(browser) == s, f"scene {scene} shown")
        browser.wait_until(lambda s=scene: scene_ready(browser, s), f"content of {scene}")
        browser.wait_until(
            lambda s=scene: (
                browser.js(f"return getComputedStyle(document.querySelector({scene_selector(s)!r})).opacity")
                == "1"
            ),
            "the fade-in",
        )
        assert data_time.is_displayed() and data_time.text.startswith("Số liệu cập nhật lúc ")
        sizes = browser.js(FONT_SIZES_JS)
        assert sizes["count"] > 5, sizes
        assert not sizes["bad"], f"{scene}: text under {sizes['min']:.1f}px: {sizes['bad']}"
        ARTIFACTS.mkdir(exist_ok=True)
        browser.driver.save_screenshot(str(ARTIFACTS / f"wall-{width}x{height}-{index + 1}-{scene}.png"))
        browser.driver.find_element(By.TAG_NAME, "body").send_keys(Keys.ARROW_RIGHT)
    assert count(browser, ".wall-scene[data-scene=map] .choroplethlocation") == 18
    assert count(browser, ".wall-scene[data-scene=communes] .choroplethlocation") == 78
    assert count(browser, ".wall-scene[data-scene=ranking] tbody tr") >= 18 + 1
    assert count(browser, ".wall-scene[data-scene=commune_ranking] tbody tr") == 78
    assert count(browser, ".wall-scene[data-scene=trend] .xtick") == 12
    assert count(browser, ".wall-scene[data-scene=map] .wall-list li") == 10
    browser.assert_clean()


def test_rotation_follows_the_playlist_on_schedule(wall_browser, app_url):
    open_wall(wall_browser, f"{app_url}/wall?seconds=2&scenes=map,trend,attention")
    history = wall_browser.wait_until(
        lambda: (h := wall_browser.js("return window.bandoWall.state.history")) and len(h) >= 8 and h,
        "seven scene changes",
        timeout=60,
    )
    scenes = [scene for _, scene in history[:8]]
    assert scenes == ["map", "trend", "attention", "map", "trend", "attention", "map", "trend"]
    # steady state: the first round includes drawing every figure once (seconds on a busy machine)
    times = [moment / 1000 for moment, _ in history[3:8]]
    gaps = [later - earlier for earlier, later in itertools.pairwise(times)]
    assert len(gaps) == 4 and all(1.9 <= gap <= 4.0 for gap in gaps), gaps
    dots = wall_browser.js("return Array.from(document.querySelectorAll('.wall-dot.active')).length")
    assert dots == 1
    wall_browser.assert_clean()


def test_arrow_keys_step_and_space_pauses(wall_browser, app_url):
    open_wall(wall_browser, f"{app_url}/wall?seconds=3&scenes=map,ranking,trend")
    body = wall_browser.driver.find_element(By.TAG_NAME, "body")
    body.send_keys(Keys.SPACE)
    paused = wall_browser.wait_until(
        lambda: wall_browser.driver.find_element(By.CSS_SELECTOR, ".wall-paused").text, "the pause note"
    )
    assert paused.startswith("❚❚ Tạm dừng")
    start = active(wall_browser)
    body.send_keys(Keys.ARROW_RIGHT)
    after_right = active(wall_browser)
    body.send_keys(Keys.ARROW_LEFT)
    after_left = active(wall_browser)
    order = ["map", "ranking", "trend"]
    assert after_right == order[(order.index(start) + 1) % 3]
    assert after_left == start
    changes = wall_browser.js("return window.bandoWall.state.changes")
    # paused: more than one scene length goes by without a change
    wall_browser.wait_until(
        lambda: wall_browser.js("return performance.now() - window.bandoWall.state.shownAt") > 4500,
        "4,5 s paused",
    )
    assert wall_browser.js("return window.bandoWall.state.changes") == changes
    body.send_keys(Keys.SPACE)
    wall_browser.wait_until(
        lambda: wall_browser.driver.find_element(By.CSS_SELECTOR, ".wall-paused").text == "", "the note gone"
    )
    wall_browser.wait_until(
        lambda: wall_browser.js("return window.bandoWall.state.changes") > changes,
        "rotation again",
        timeout=10,
    )
    wall_browser.assert_clean()


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_scene_exports_as_png_at_screen_resolution(wall_browser, app_url):
    open_wall(wall_browser, f"{app_url}/wall?seconds=600&scenes=map,ranking")
    wall_browser.wait_until(lambda: scene_ready(wall_browser, "map"), "the map")
    for scene in ("map", "ranking"):
        wall_browser.wait_until(
            lambda s=scene: active(wall_browser) == s and scene_ready(wall_browser, s), scene
        )
        url = wall_browser.driver.execute_async_script(SCENE_PNG_JS)
        assert url.startswith("data:image/png;base64,"), url[:80]
        data = base64.b64decode(url.split(",", 1)[1])
        assert png_size(data) == (1920, 1080)
        ARTIFACTS.mkdir(exist_ok=True)
        (ARTIFACTS / f"wall-export-{scene}.png").write_bytes(data)
        assert len(data) > 30_000  # a drawn scene, not a blank canvas
        wall_browser.driver.find_element(By.TAG_NAME, "body").send_keys(Keys.ARROW_RIGHT)
    wall_browser.assert_clean()


def test_kiosk_parameter_on_the_home_page_opens_the_wall(wall_browser, app_url):
    open_wall(wall_browser, f"{app_url}/?kiosk=1&scenes=trend")
    assert count(wall_browser, "#wall .wall-scene") == 1
    wall_browser.wait_until(lambda: scene_ready(wall_browser, "trend"), "the trend")
    assert not wall_browser.driver.find_elements(By.ID, "map")  # not the home page's map
    wall_browser.assert_clean()


def test_bad_url_values_are_named_and_the_file_values_used(wall_browser, app_url):
    open_wall(wall_browser, f"{app_url}/wall?scenes=map,banđồ&seconds=1")
    notice = wall_browser.driver.find_element(By.ID, "wall-notice").text
    assert "Tham số scenes: không có cảnh “banđồ”" in notice
    assert "Tham số seconds: số giây mỗi cảnh 1 nằm ngoài khoảng 2–3600" in notice
    assert count(wall_browser, "#wall .wall-scene") == len(SCENES)  # the file's playlist
    wall_browser.assert_clean()


def test_brief_pdf_is_served_for_a_period(app_url):
    from urllib.request import urlopen

    with urlopen(f"{app_url}/wall/brief.pdf?period=2026-09") as response:
        assert response.headers["Content-Type"] == "application/pdf"
        assert response.read(5) == b"%PDF-"
    with pytest.raises(Exception, match="400"):
        urlopen(f"{app_url}/wall/brief.pdf?period=2026-13")


CROSSES_JS = """
const gd = document.querySelector('.wall-scene[data-scene=map] .js-plotly-plot');
return gd.data.filter(t => t.type === 'scattergeo').reduce((n, t) => n + (t.lon || []).length, 0);
"""


@pytest.fixture(scope="module")
def october_coverage(app_settings):
    """The city's coverage in October 2026, the wall's default period (last full month)."""
    from db.engine import make_engine
    from dossier_stats.editions import edition_coverage
    from dossier_stats.periods import Period

    engine = make_engine(app_settings.database_url)
    try:
        with engine.connect() as conn:
            return edition_coverage(conn, Period("month", 2026, 10), "da-nang-2025")
    finally:
        engine.dispose()


def test_the_city_wall_draws_the_94_units_with_their_coverage_after_the_reform(
    wall_browser, app_url, october_coverage
):
    """October 2026 is after 01/7/2025: the wall follows the edition of the period's last day,
    as the home map does — the city's 94 units (Hoàng Sa in the inset), those without data
    crossed and left out of the rankings, the coverage note, no former districts."""
    browser = wall_browser
    open_wall(browser, f"{app_url}/wall?seconds=600&scenes=map,commune_ranking,ranking")
    browser.wait_until(lambda: scene_ready(browser, "map"), "the city map")
    header = browser.driver.find_element(By.ID, "wall-period").text
    assert header.startswith("Thành phố Đà Nẵng · Tháng 10/2026"), header
    missing = 94 - len(october_coverage.with_data)
    assert missing >= 16
    browser.wait_until(
        lambda: count(browser, scene_selector("map") + " .choroplethlocation") == 94, "94 units"
    )
    browser.wait_until(lambda: browser.js(CROSSES_JS) == missing, f"{missing} crosses")
    panel = browser.js(f"return document.querySelector({scene_selector('map')!r}).textContent")
    assert f"Số liệu của {len(october_coverage.with_data)}/94 đơn vị" in panel
    assert "Toàn thành phố" in panel and "theo xã, phường, đặc khu — Thành phố Đà Nẵng" in panel
    ARTIFACTS.mkdir(exist_ok=True)
    browser.driver.save_screenshot(str(ARTIFACTS / "wall-city-map.png"))
    body = browser.driver.find_element(By.TAG_NAME, "body")
    body.send_keys(Keys.ARROW_RIGHT)
    browser.wait_until(lambda: active(browser) == "commune_ranking", "the commune ranking")
    rows = scene_selector("commune_ranking") + " tbody tr"
    browser.wait_until(lambda: count(browser, rows) == len(october_coverage.with_data), "the units with data")
    body.send_keys(Keys.ARROW_RIGHT)
    browser.wait_until(lambda: active(browser) == "ranking", "the ranking")
    browser.wait_until(lambda: scene_ready(browser, "ranking"), "its rows")
    ranking = browser.js(f"return document.querySelector({scene_selector('ranking')!r}).textContent")
    assert "Sở, ban, ngành" in ranking and "Huyện, thị xã" not in ranking
    assert "Sở Kế hoạch và Đầu tư" not in ranking
    browser.assert_clean()
