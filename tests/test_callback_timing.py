"""Every callback request is timed on the server, per callback (callbacks/common/timing.py):
the home page's interaction answered through the real app leaves a record with its
callback, trigger, time, bytes and status, and a log line."""

from __future__ import annotations

import gzip
import logging

import pytest

from callbacks.common.timing import callback_label, describe
from callbacks.home.interaction import INPUTS, OUTPUTS, STATES, output_key
from config import Settings
from tests.app_client import app_client


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    from app import create_app
    from importer.setup import ensure_database

    settings = Settings.from_env(
        {"DATA_DIR": str(tmp_path_factory.mktemp("timing")), "APP_TODAY": "2026-11-27"}
    )
    ensure_database(settings, demo_dossiers=300, seed=3, progress=False)
    return create_app(settings)


def interaction_body(search: str) -> dict:
    """The home page's one interaction callback as the browser sends it for a link to `search`."""
    return {
        "output": output_key(),
        "outputs": [{"id": i, "property": p} for i, p in OUTPUTS],
        "inputs": [{"id": i, "property": p, "value": search if p == "search" else None} for i, p in INPUTS],
        "state": [{"id": i, "property": p, "value": "/" if p == "pathname" else None} for i, p in STATES],
        "changedPropIds": ["url.search"],
    }


def test_labels_name_the_first_output_and_count_the_others():
    assert callback_label("map.figure") == "map.figure"
    assert callback_label("..view-store.data...url.search...map.figure..") == "view-store.data +2"
    assert describe(b"not json") == ("?", "")


def test_a_district_view_is_recorded_with_callback_trigger_time_bytes_and_status(app, caplog):
    timings = app.server.extensions["bando_timing"]
    client = app_client(app)
    mark = timings.last_seq()
    with caplog.at_level(logging.INFO, logger="callbacks.common.timing"):
        response = client.post("/_dash-update-component", json=interaction_body("?unit=502"))
    assert response.status_code == 200
    assert "map" in response.get_json()["response"]
    [record] = timings.since(mark)
    assert record.callback == f"view-store.data +{len(OUTPUTS) - 1}"
    assert record.trigger == "url.search"
    assert record.status == 200
    assert record.bytes == len(response.get_data()) > 1000
    assert record.ms > 0
    assert any(
        m.startswith(f"callback view-store.data +{len(OUTPUTS) - 1} [url.search]: ")
        and m.endswith("HTTP 200")
        for m in caplog.messages
    ), caplog.messages


def test_the_bytes_are_those_sent_compressed_and_other_requests_are_not_recorded(app):
    timings = app.server.extensions["bando_timing"]
    client = app_client(app)
    mark = timings.last_seq()
    assert client.get("/healthz").status_code == 200
    response = client.post(
        "/_dash-update-component", json=interaction_body("?unit=502"), headers={"Accept-Encoding": "gzip"}
    )
    assert response.headers.get("Content-Encoding") == "gzip"
    [record] = timings.since(mark)
    assert record.bytes == len(response.get_data())
    assert len(gzip.decompress(response.get_data())) > record.bytes
