"""Live data in a real browser: with the home page open, dossiers imported with
`python cli.py import-dossiers` show on the map and in the rankings within the poll interval,
without a page reload and without geometry in any response; while nothing changes, each poll
is answered with an empty 204.

The app runs on its own small database (the session's is shared with other tests) with the
poll shortened to one second (Settings.extra["live_poll_seconds"]).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from config import Settings
from dossier_stats.periods import Period
from layouts.home.ids import Ids
from tests.browser.conftest import APP_TODAY, require_browser
from tests.browser.driver import serving
from tests.browser.test_home import geography_of, map_title, text_of, wait_for_locations
from tests.browser.test_home_indexes import RANKING_ROWS_JS
from tests.import_fixtures import october_dossiers
from vi_format import format_int

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
POLL_SECONDS = 1
DISTRICT = "502"  # Thành phố Tam Kỳ (former district)
AGENCY = "20335"  # Phường Bàn Thạch (from 2025-07-01), inside it
NEW_DOSSIERS = 4
LAYER_JS = """
const gd = document.querySelector('#map .js-plotly-plot');
const t = gd.data[0], i = t.locations.indexOf(arguments[0]);
return i < 0 ? null : {z: t.z[i], hover: t.customdata[i][0]};
"""
GEOMETRY_MARKERS = ("geojson", "coordinates", "Polygon")


@pytest.fixture(scope="module")
def live_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Settings]]:
    """(base URL, settings) of an app over its own small demo database, polling every second."""
    require_browser()
    from app import create_app
    from importer.setup import ensure_database

    data_dir = tmp_path_factory.mktemp("live-app")
    settings = Settings.from_env({"DATA_DIR": str(data_dir), "APP_TODAY": APP_TODAY})
    ensure_database(settings, demo_dossiers=300, seed=11, progress=False)
    app = create_app(replace(settings, extra={"live_poll_seconds": str(POLL_SECONDS)}))
    with serving(app.server, "dash-live-app") as url:
        yield url, settings


def new_dossiers(path: Path) -> Path:
    """Four dossiers of Phường Bàn Thạch received online in October 2026, resolved early."""
    return october_dossiers(path, AGENCY, NEW_DOSSIERS, "LIVE")


def received_in_october(settings: Settings) -> int:
    """Dossiers newly received in October 2026 by the district, as the map counts them."""
    from db.engine import make_engine
    from dossier_stats.service import StatsService

    engine = make_engine(settings.database_url)
    try:
        units = StatsService(engine, settings.province_code).district_kpis(Period.parse("2026-10"))
    finally:
        engine.dispose()
    return next(u.kpis.received_new for u in units if u.code == DISTRICT)


def callback_exchanges(browser, since: int) -> list[dict]:
    """Every answered _dash-update-component exchange from network message `since`: whether it
    is the poll (its request body), status, bytes on the wire and the response body. The
    renderer does not read the body of a 204 (Chromium then reports the fetch as aborted), so
    an exchange is complete once its response arrived and its loading ended either way."""
    browser.collect()
    messages = browser.network[since:]
    requests = {
        m["params"]["requestId"]: m["params"]["request"]
        for m in messages
        if m["method"] == "Network.requestWillBeSent"
        and "_dash-update-component" in m["params"]["request"]["url"]
    }
    responses = {
        m["params"]["requestId"]: m["params"]["response"]
        for m in messages
        if m["method"] == "Network.responseReceived" and m["params"]["requestId"] in requests
    }
    out = []
    for m in messages:
        rid = m["params"].get("requestId")
        if m["method"] not in ("Network.loadingFinished", "Network.loadingFailed") or rid not in responses:
            continue
        finished = m["method"] == "Network.loadingFinished"
        body = ""
        if finished and responses[rid]["status"] != 204:
            body = browser.driver.execute_cdp_cmd("Network.getResponseBody", {"requestId": rid})["body"]
        out.append(
            {
                "poll": "live-poll.n_intervals" in (requests[rid].get("postData") or ""),
                "status": responses[rid]["status"],
                "bytes": int(
                    m["params"]["encodedDataLength"] if finished else responses[rid]["encodedDataLength"]
                ),
                "body": body,
            }
        )
    return out


def test_imported_dossiers_show_on_the_open_map_without_reload_or_geometry(browser, live_app):
    url, settings = live_app
    geography = geography_of(settings)
    browser.open(f"{url}/?metric=received&edition=quang-nam-2020")  # the former districts
    wait_for_locations(browser, geography["district_names"], "the districts")
    browser.wait_until(
        lambda: map_title(browser).startswith("Hồ sơ tiếp nhận mới — Tháng 10/2026"), "the title"
    )
    browser.wait_network_idle()
    before = browser.js(LAYER_JS, DISTRICT)
    received = received_in_october(settings)
    browser.js("window.__liveMarker = 'the same page';")

    quiet = len(browser.network)  # polls while nothing changes
    browser.wait_until(lambda: sum(e["poll"] for e in callback_exchanges(browser, quiet)) >= 2, "two polls")
    idle = callback_exchanges(browser, quiet)
    assert idle and all(e["poll"] and e["status"] == 204 and e["body"] == "" for e in idle), idle
    idle_bytes = max(e["bytes"] for e in idle)

    mark = len(browser.network)
    env = {**os.environ, "DATA_DIR": str(settings.data_dir), "APP_TODAY": APP_TODAY}
    env.pop("DATABASE_URL", None)
    done = subprocess.run(
        [
            sys.executable,
            "cli.py",
            "import-dossiers",
            "--quiet",
            str(new_dossiers(settings.data_dir / "live.csv")),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr

    after = browser.wait_until(
        lambda: (now := browser.js(LAYER_JS, DISTRICT)) and now["z"] == received + NEW_DOSSIERS and now,
        f"{NEW_DOSSIERS} more dossiers received in {DISTRICT} on the open map",
    )
    assert after["hover"] != before["hover"]
    name, value = geography["district_names"][DISTRICT], format_int(round(after["z"]))
    browser.wait_until(
        lambda: [name, value] in [row[1:3] for row in browser.js(RANKING_ROWS_JS, Ids.UNIT_RANKING)],
        "the district's new count in the ranking",
    )
    browser.wait_network_idle(quiet=0.3)
    assert browser.js("return window.__liveMarker;") == "the same page"  # no reload
    assert text_of(browser, Ids.DATA_TIME).startswith("Dữ liệu cập nhật lúc ")

    exchanges = callback_exchanges(browser, mark)
    changed_poll = [e for e in exchanges if e["poll"] and e["status"] == 200]
    assert len(changed_poll) == 1, exchanges
    redraw = [e for e in exchanges if not e["poll"]]
    assert redraw, "the map, panel and rankings follow the new data version"
    for exchange in exchanges:
        assert not any(marker in exchange["body"] for marker in GEOMETRY_MARKERS), exchange["body"][:300]
    map_patch = next(e for e in redraw if '"map"' in e["body"])
    operations = json.loads(map_patch["body"])["response"]["map"]["figure"]["operations"]
    # values and colours, and the subtitle with the new data time (the PNG download carries it)
    subtitle = ["layout", "title", "subtitle", "text"]
    assert {op["location"][-1] for op in operations if op["location"] != subtitle} <= {
        "z",
        "zmin",
        "zmax",
        "colorscale",
        "colorbar",
        "customdata",
    }
    print(
        f"\npoll, nothing changed: {idle_bytes} bytes (204, empty body); "
        f"poll, data changed: {changed_poll[0]['bytes']} bytes; "
        f"redraw after the change: {len(redraw)} responses, {sum(e['bytes'] for e in redraw)} bytes"
    )
    browser.assert_clean()
