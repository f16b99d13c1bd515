"""Interaction speed of the home page against a floor: the same clicks, in one browser, on the
product and on bench/floor_app.py (a bare Dash app drawing the same GeoJSON, no database).

    nice -n 10 .venv/bin/python bench/interaction_bench.py [--database-url URL] [--clicks 12]

Both apps serve from background threads of this process (werkzeug, threaded); one headless
Chromium (tests/browser/driver.py) with a 1920×1080 viewport drives both. Measured in the
page, on the browser's clock (performance.now / event.timeStamp):

- first render: navigation start -> the 18 district paths drawn (a MutationObserver
  installed before the page's scripts, the frame after the paths appear);
- click on a district -> its communes drawn; breadcrumb -> the districts drawn again;
- metric change, period change -> the map's title redrawn (values, colours and title are
  one plotly update in both apps);

each from the pointerdown of the action to the frame after the map shows it. Medians of
`--clicks` actions (districts all different), the apps interleaved in two rounds so that
the machine's load falls on both. Caches as they are (the product computes a province
view's district views ahead in the background, callbacks/home/prefetch.py). Then the server
side of each interaction: every callback request it caused (callbacks/common/timing.py),
its server time and bytes sent; and the first load's bytes without the JS bundles. Prints
figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from selenium.webdriver.common.by import By  # noqa: E402

from tests.browser.driver import Browser, serving, start_chrome  # noqa: E402
from tests.browser.test_home import click_unit  # noqa: E402

BUNDLES = "/_dash-component-suites/"
KINDS = (
    "first render",
    "click → communes",
    "breadcrumb → province",
    "metric → recoloured",
    "period → recoloured",
)
TARGET_RATIO = 1.5
# Before the page's own scripts: the time the map's first layer is drawn (plotly draws all
# its paths in one synchronous call).
FIRST_DRAWN_JS = """
window.__firstDrawn = null;
const firstObserver = new MutationObserver(() => {
    const paths = document.querySelectorAll('#map .choroplethlocation');
    if (paths.length && Array.from(paths).some(p => p.__data__ && p.__data__.loc)) {
        firstObserver.disconnect();
        requestAnimationFrame(() => { window.__firstDrawn = performance.now(); });
    }
});
firstObserver.observe(document, {childList: true, subtree: true});
document.addEventListener('pointerdown', e => { window.__lastInput = e.timeStamp; }, true);
"""
# Arms the measure of one action: arguments[0] "locations" (exactly the codes arguments[1]),
# "not" (located paths, none of them among arguments[1]: the districts gave way to communes)
# or "title" (the map title differs from the one now shown). window.__done: ms from the last
# pointerdown to the frame after the map showed it.
ARM_JS = """
const kind = arguments[0], expected = (arguments[1] || []).slice().sort().join(',');
const map = document.getElementById('map');
const title = () => (map.querySelector('.gtitle') || {}).textContent || '';
const before = title();
const located = () => Array.from(map.querySelectorAll('.choroplethlocation'))
    .map(p => p.__data__ && p.__data__.loc).filter(Boolean);
const excluded = new Set(arguments[1] || []);
const shown = () => kind === 'title' ? title() !== before
    : kind === 'not' ? (located().length > 0 && !located().some(c => excluded.has(c)))
    : located().sort().join(',') === expected;
window.__done = null;
if (window.__armed) window.__armed.disconnect();
window.__armed = new MutationObserver(() => {
    if (shown()) {
        window.__armed.disconnect();
        requestAnimationFrame(() => { window.__done = performance.now() - window.__lastInput; });
    }
});
window.__armed.observe(map, {childList: true, subtree: true, characterData: true, attributes: true});
"""
# The dossier metrics, in both apps (the product's other families change the period to a year).
METRIC_LABELS = [
    "Tỷ lệ giải quyết đúng hạn",
    "Hồ sơ đang giải quyết quá hạn",
    "Hồ sơ tiếp nhận mới",
    "Tỷ lệ hồ sơ trực tuyến",
]
# Months of the edition with districts (before 1 July 2025), in both apps.
PERIOD_LABELS = [f"Tháng {m}/2025" for m in range(6, 0, -1)]
DISTRICT_PERIOD = "2025-06"
# The map of the former districts (the default view is the city's edition, no district step),
# opened as tests/browser/test_editions.py does.
DISTRICT_START = f"/?edition=quang-nam-2020&period={DISTRICT_PERIOD}"
LOCATED_JS = """
return Array.from(document.querySelectorAll('#map .choroplethlocation'))
    .map(p => p.__data__ && p.__data__.loc).filter(Boolean);
"""
OPTIONS_JS = """
return Array.from(document.querySelectorAll('[role=option]'))
    .filter(o => o.getAttribute('aria-disabled') !== 'true' && !o.hasAttribute('disabled'))
    .map(o => o.textContent.trim());
"""


@dataclass
class Target:
    """One app under test: where it answers, its breadcrumb, and its callback timings."""

    name: str
    url: str
    crumb: str  # CSS selector of the breadcrumb's way back to the province
    start: str  # path and query of its map of the former districts
    timings: Any  # callbacks.common.timing.CallbackTimings
    times: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    server: dict[str, list[list[Any]]] = field(default_factory=lambda: defaultdict(list))
    first_load_bytes: int = 0


def geography(geodata_dir: Path) -> tuple[list[str], dict[str, list[str]]]:
    from geodata.display import display_geojson

    districts = sorted(f["id"] for f in display_geojson(geodata_dir, "district")["features"])
    communes: dict[str, list[str]] = defaultdict(list)
    for f in display_geojson(geodata_dir, "commune")["features"]:
        communes[f["properties"]["parent_code"]].append(f["id"])
    return districts, communes


def measured(browser: Browser, target: Target, kind: str, act: Callable[[], None], arm: tuple) -> None:
    """Arms the page, acts, waits for the map and the network; records browser ms and the
    callbacks the action caused on the server."""
    mark = target.timings.last_seq()
    browser.js(ARM_JS, *arm)
    act()
    done = browser.wait_until(lambda: browser.js("return window.__done;"), f"{target.name}: {kind}", 180)
    browser.wait_network_idle(quiet=0.5, timeout=180)
    target.times[kind].append(float(done))
    target.server[kind].append([(r.callback, r.ms, r.bytes, r.status) for r in target.timings.since(mark)])


def load(browser: Browser, target: Target, districts: list[str]) -> float:
    mark = target.timings.last_seq()
    browser.open(target.url + "/")
    drawn = browser.wait_until(
        lambda: browser.js("return window.__firstDrawn;"), f"{target.name}: first render", 180
    )
    browser.wait_network_idle(quiet=0.8, timeout=180)
    target.server["first render"].append(
        [(r.callback, r.ms, r.bytes, r.status) for r in target.timings.since(mark)]
    )
    return float(drawn)


def choose(browser: Browser, select_id: str, rotation: int, allowed: list[str] | None = None) -> None:
    """Opens the dropdown and picks, among its first six options (or those `allowed`), one
    that is not shown now."""
    browser.driver.find_element(By.ID, select_id).click()
    options = browser.wait_until(lambda: browser.js(OPTIONS_JS), f"the options of {select_id}")
    options = [o for o in options if o in allowed] if allowed else options[:6]
    current = browser.driver.find_element(By.ID, select_id).text
    choices = [o for o in options if o and o not in current]
    label = choices[rotation % len(choices)]
    option = browser.driver.find_element(By.XPATH, f"//*[@role='option'][normalize-space(.)='{label}']")
    browser.js("arguments[0].scrollIntoView({block: 'center'});", option)  # not under the search box
    option.click()


def block(browser: Browser, target: Target, chosen: list[str], districts: list[str], communes: dict) -> None:
    """First render, then a click on each `chosen` district (each followed by the
    breadcrumb), as many metric changes and period changes."""
    count = len(chosen)
    target.times["first render"].append(load(browser, target, districts))
    browser.open(target.url + target.start)  # the edition with districts
    browser.wait_until(lambda: sorted(browser.js(LOCATED_JS)) == districts, f"{target.name}: districts", 180)
    browser.wait_network_idle(quiet=0.8, timeout=180)
    for district in chosen:
        measured(
            browser,
            target,
            "click → communes",
            lambda d=district: click_unit(browser, d),
            ("not", districts),
        )
        crumb = browser.driver.find_element(By.CSS_SELECTOR, target.crumb)
        measured(browser, target, "breadcrumb → province", crumb.click, ("locations", districts))
    for control, labels in (("metric", METRIC_LABELS), ("period", PERIOD_LABELS)):
        for i in range(count):
            change = partial(choose, browser, f"{control}-select", i, labels)
            measured(browser, target, f"{control} → recoloured", change, ("title",))


def first_load_bytes(browser: Browser, target: Target, districts: list[str]) -> None:
    """An uncached first load: bytes received without the JS bundles (encoded, as on the wire)."""
    browser.driver.execute_cdp_cmd("Network.clearBrowserCache", {})
    since = len(browser.network)
    load(browser, target, districts)
    sizes = browser.response_bytes(since)
    target.first_load_bytes = sum(
        n for url, n in sizes.items() if url.startswith(target.url) and BUNDLES not in url
    )
    target.server["first render"].clear()


def run(database_url: str, clicks: int, rounds: int) -> list[Target]:
    from floor_app import create_floor_app

    from app import create_app
    from callbacks.common import timing
    from config import Settings

    settings = Settings.from_env({**os.environ, "DATABASE_URL": database_url})
    districts, communes = geography(settings.geodata_dir)
    product = create_app(settings)
    floor = create_floor_app(settings.geodata_dir, settings.editions_file)
    floor_timings = timing.install(floor.server)
    per_round = -(-clicks // rounds)
    # the profile outlives the browser (the ExitStack quits it first)
    with tempfile.TemporaryDirectory(prefix="interaction-bench-") as profile, ExitStack() as stack:
        targets = [
            Target(
                "product",
                stack.enter_context(serving(product.server, "product")),
                "#breadcrumb a",
                DISTRICT_START,
                product.server.extensions["bando_timing"],
            ),
            Target(
                "floor",
                stack.enter_context(serving(floor.server, "floor")),
                "#breadcrumb button",
                "/",
                floor_timings,
            ),
        ]
        browser = Browser(start_chrome(Path(profile) / "chromium-profile"))
        stack.callback(browser.driver.quit)
        browser.driver.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride",
            {"width": 1920, "height": 1080, "deviceScaleFactor": 1, "mobile": False},
        )
        browser.driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": FIRST_DRAWN_JS})
        for target in targets:
            first_load_bytes(browser, target, districts)
        for target in targets:  # once more each, with the bundles cached as for every later load
            load(browser, target, districts)
            target.server["first render"].clear()
        for r in range(rounds):
            for target in targets if r % 2 == 0 else reversed(targets):
                chosen = districts[r * per_round : (r + 1) * per_round] or districts[:per_round]
                block(browser, target, chosen, districts, communes)
                for _ in range(per_round - 1):  # more first renders, same count as the other actions
                    target.times["first render"].append(load(browser, target, districts))
        problems = browser.severe_console_entries() + browser.non_local_requests()
        if problems:
            print(f"WARNING: console errors or requests leaving 127.0.0.1: {problems}")
    return targets


def median_text(values: list[float]) -> str:
    if not values:
        return "—"
    q = statistics.quantiles(values, n=4) if len(values) > 1 else [values[0]] * 3
    return f"{statistics.median(values):7.0f} ({q[0]:.0f}–{q[2]:.0f})"


def print_browser_table(product: Target, floor: Target) -> None:
    print("\n== Browser: action -> map drawn, ms, median (p25–p75), n each")
    print(f"  {'interaction':<24} {'product':>18} {'floor':>18} {'ratio':>6}  target ≤ {TARGET_RATIO}")
    for kind in KINDS:
        p, f = product.times[kind], floor.times[kind]
        ratio = statistics.median(p) / statistics.median(f) if p and f else float("nan")
        verdict = "met" if ratio <= TARGET_RATIO else "MISSED"
        print(
            f"  {kind:<24} {median_text(p):>18} {median_text(f):>18} {ratio:6.2f}  {verdict}"
            f" (n={len(p)}/{len(f)})"
        )


def print_server_chain(target: Target) -> None:
    print(
        f"\n== Server, {target.name}: callbacks per interaction"
        " (median server ms, median bytes sent, requests per action)"
    )
    for kind in KINDS:
        chains = target.server[kind]
        if not chains:
            continue
        per_callback: dict[str, list[tuple[float, int, int]]] = defaultdict(list)
        for chain in chains:
            for callback, ms, size, status in chain:
                per_callback[f"{callback} [{status}]"].append((ms, size, status))
        requests = statistics.median(len(c) for c in chains)
        total = statistics.median(sum(ms for _, ms, _, _ in c) for c in chains)
        total_bytes = statistics.median(sum(b for _, _, b, _ in c) for c in chains)
        print(f"  {kind}: {requests:.0f} requests, {total:.1f} ms server in all, {total_bytes:,.0f} B")
        for label, rows in sorted(per_callback.items()):
            ms = statistics.median(r[0] for r in rows)
            size = statistics.median(r[1] for r in rows)
            print(f"      {label:<44} {ms:8.1f} ms {size:>9,.0f} B  ×{len(rows)}")


def machine() -> str:
    load = os.getloadavg()
    return f"{platform.node()}, {os.cpu_count()} CPUs, load {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL") or f"sqlite:///{ROOT / 'data' / 'bando.sqlite3'}",
    )
    parser.add_argument(
        "--clicks", type=int, default=12, help="actions of each kind per app (≤ 18: one per district)"
    )
    parser.add_argument("--rounds", type=int, default=2, help="blocks per app, interleaved")
    args = parser.parse_args(argv)
    print(f"database: {args.database_url.split('@')[-1]}")
    print(f"before: {machine()}")
    started = time.monotonic()
    product, floor = run(args.database_url, min(args.clicks, 18), args.rounds)
    print(f"after:  {machine()}  ({time.monotonic() - started:.0f} s)")
    print_browser_table(product, floor)
    print_server_chain(product)
    print_server_chain(floor)
    print(
        f"\n== First load without the JS bundles: product {product.first_load_bytes:,} B"
        f" (target ≤ 600,000), floor {floor.first_load_bytes:,} B"
    )
    metric = [sum(b for _, _, b, _ in chain) for chain in product.server["metric → recoloured"]]
    if metric:
        print(
            f"== Metric change, callback bytes sent: product median {statistics.median(metric):,.0f} B,"
            f" max {max(metric):,} B (target ≤ 20,000)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
