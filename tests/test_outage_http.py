"""The database away, over HTTP (real PostgreSQL made unreachable, the app on a local port):
the pages' polls answer 503 "mất kết nối dữ liệu" (so Dash keeps every output) with no
traceback and no command, answers that reached the data carry the time the badge shows, and
the same polls answer again by themselves once the database is back."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
import requests

from config import Settings
from tests.app_client import LIVE_POLL
from tests.browser.driver import serving
from tests.browser.test_wall_fault import set_connections
from tests.conftest import create_pg_database, drop_pg_database, require_pg

UPDATE = "/_dash-update-component"


def link_check(content_id: str) -> dict[str, Any]:
    poll = f"{content_id}-link-poll"
    return {
        "output": "",  # the callback's key: results_check
        "outputs": [],
        "inputs": [{"id": poll, "property": "n_intervals", "value": 1}],
        "state": [],
        "changedPropIds": [f"{poll}.n_intervals"],
    }


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str, Any]]:
    require_pg()
    from app import create_app
    from importer.setup import ensure_database

    url = create_pg_database()
    settings = Settings.from_env(
        {
            "DATABASE_URL": url,
            "DATA_DIR": str(tmp_path_factory.mktemp("outage-http")),
            "APP_TODAY": "2026-11-27",
        }
    )
    ensure_database(settings, demo_dossiers=300, seed=2, progress=False)
    app = create_app(settings)
    database = url.rsplit("/", 1)[1]
    try:
        with serving(app.server, "outage-http") as base:
            yield base, database, app
    finally:
        app.server.extensions["bando"].stats.engine.dispose()
        set_connections(database, True)
        drop_pg_database(url)


def post(base: str, body: dict[str, Any]) -> requests.Response:
    return requests.post(base + UPDATE, json=body, headers={"Origin": base}, timeout=60)


def results_check(app: Any) -> dict[str, Any]:
    """The results page's link check, keyed as Dash keys a callback without outputs."""
    body = link_check("results-content")
    body["output"] = next(
        key for key, cb in app.callback_map.items() if cb["inputs"][0]["id"] == "results-content-link-poll"
    )
    return body


def test_polls_say_the_data_are_away_with_503_and_come_back_by_themselves(served):
    base, database, app = served
    fresh = post(base, LIVE_POLL)
    assert fresh.status_code == 200  # a new key: the page redraws
    assert re.fullmatch(r"\d\d:\d\d", fresh.headers["X-Bando-Data-Time"])
    assert post(base, results_check(app)).status_code == 204

    set_connections(database, False)
    try:
        for body in (LIVE_POLL, results_check(app)):
            away = post(base, body)
            assert away.status_code == 503, away.text[:200]
            assert away.headers["X-Bando-Outage"] == "1" and "X-Bando-Data-Time" not in away.headers
            assert away.text == "mất kết nối dữ liệu"
        ready = requests.get(base + "/readyz", timeout=60)
        assert ready.status_code == 503 and "database unreachable" in ready.json()["reason"]
    finally:
        set_connections(database, True)

    back = post(base, LIVE_POLL)
    assert back.status_code == 200 and "X-Bando-Data-Time" in back.headers
    assert post(base, results_check(app)).status_code == 204


def test_a_page_opened_while_the_data_are_away_says_so_without_a_command(served):
    base, database, _ = served
    body = {
        "output": "page.children",
        "outputs": {"id": "page", "property": "children"},
        "inputs": [{"id": "page-url", "property": "pathname", "value": "/"}],
        "state": [{"id": "page-url", "property": "search", "value": ""}],
        "changedPropIds": ["page-url.pathname"],
    }
    set_connections(database, False)
    try:
        page = post(base, body)
    finally:
        set_connections(database, True)
    assert page.status_code == 200
    text = json.dumps(page.json(), ensure_ascii=False)
    assert "Chưa hiển thị được bản đồ" in text and "data-retry-seconds" in text
    assert "cli.py" not in text and "Traceback" not in text
