"""Forged requests over HTTP (the app served on a local port, `requests` as the client): a
callback payload no page sends — a view-store of `{}`, a period "../../etc", values of the
wrong type in every input of every server callback — and a brief of 1900-01 answer HTTP 400
with a Vietnamese reason, never a 500 and never a traceback; a real failure inside the
server answers a Vietnamese sentence, the traceback only in the log."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from typing import Any

import pytest
import requests

from config import Settings
from tests.browser.driver import serving

HOSTILE: tuple[Any, ...] = ({}, "../../etc", 12345, [1, 2], {"view": {}}, "x" * 5000, True, -1.5)
UPDATE = "/_dash-update-component"


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Any]]:
    from app import create_app
    from importer.setup import ensure_database

    data_dir = tmp_path_factory.mktemp("forged")
    settings = Settings.from_env({"DATA_DIR": str(data_dir), "APP_TODAY": "2026-11-27"})
    ensure_database(settings, demo_dossiers=600, seed=3, progress=False)
    app = create_app(settings)

    @app.server.route("/test-only/boom")
    def boom() -> str:  # a defect inside the server, for the last test
        raise RuntimeError("secret internal detail")

    with serving(app.server, "forged-app") as url:
        yield url, app


def post(url: str, body: dict[str, Any]) -> requests.Response:
    return requests.post(url + UPDATE, json=body, headers={"Origin": url}, timeout=60)


def view_store_body(view_store: Any) -> dict[str, Any]:
    """The detail tab callback (Inputs: the tab, view-store.data, live-state.data) with a forged store."""
    return {
        "output": "details-content.children",
        "outputs": {"id": "details-content", "property": "children"},
        "inputs": [
            {"id": "details-tabs", "property": "value", "value": "trends"},
            {"id": "view-store", "property": "data", "value": view_store},
            {"id": "live-state", "property": "data", "value": None},
        ],
        "changedPropIds": ["view-store.data"],
    }


def assert_refused(response: requests.Response, *words: str) -> None:
    assert response.status_code == 400, (response.status_code, response.text[:300])
    assert response.text.startswith("Yêu cầu không hợp lệ"), response.text[:300]
    assert "Traceback" not in response.text and 'File "' not in response.text
    for word in words:
        assert word in response.text, response.text


def test_a_view_store_of_an_empty_object_is_refused_with_400(served):
    url, _ = served
    assert_refused(post(url, view_store_body({})), "view-store")


def test_a_period_of_dot_dot_slash_is_refused_with_400(served):
    url, _ = served
    store = {"view": {"metric": "on_time_rate", "period": "../../etc"}, "changed": None, "before": None}
    assert_refused(post(url, view_store_body(store)), "Kỳ báo cáo không hợp lệ", "../../etc")
    ancient = {"view": {"metric": "on_time_rate", "period": "1900-01"}, "changed": None, "before": None}
    assert_refused(post(url, view_store_body(ancient)), "1899")


def test_a_genuine_view_store_is_still_served(served):
    url, _ = served
    store = {"view": {"metric": "on_time_rate", "period": "2026-10"}, "changed": None, "before": None}
    response = post(url, view_store_body(store))
    assert response.status_code == 200
    assert response.json()["response"]["details-content"]["children"]


def test_a_search_that_is_not_text_is_refused_by_the_router(served):
    url, _ = served
    body = {
        "output": "page.children",
        "outputs": {"id": "page", "property": "children"},
        "inputs": [{"id": "page-url", "property": "pathname", "value": {"a": 1}}],
        "state": [{"id": "page-url", "property": "search", "value": ["?unit=49"]}],
        "changedPropIds": ["page-url.pathname"],
    }
    assert_refused(post(url, body), "pathname")


def test_the_brief_of_1900_01_or_of_a_path_is_refused_in_vietnamese(served):
    url, _ = served
    ancient = requests.get(url + "/wall/brief.pdf", params={"period": "1900-01"}, timeout=60)
    assert ancient.status_code == 400
    assert ancient.text.startswith("Không có số liệu cho kỳ Tháng 1/1900 (có từ ")
    path = requests.get(url + "/wall/brief.pdf", params={"period": "../../etc"}, timeout=60)
    assert path.status_code == 400 and path.text.startswith("Kỳ báo cáo không hợp lệ")
    future = requests.get(url + "/wall/brief.pdf", params={"period": "2031-01"}, timeout=60)
    assert future.status_code == 400 and "Không có số liệu cho kỳ Tháng 1/2031" in future.text
    good = requests.get(url + "/wall/brief.pdf", params={"period": "2026-10"}, timeout=60)
    assert good.status_code == 200 and good.content.startswith(b"%PDF")


def spec_value(spec: dict[str, Any], value: Any) -> Any:
    """An input of a callback as the renderer sends it: a pattern-matching ALL id is a list of
    the matching components (here one, with the value)."""
    ident = spec["id"]
    if ident.startswith("{"):
        concrete = {k: ("x" if v == ["ALL"] else v) for k, v in json.loads(ident).items()}
        return [{"id": concrete, "property": spec["property"], "value": value}]
    return {"id": ident, "property": spec["property"], "value": value}


def outputs_of(key: str) -> list[dict[str, Any]] | dict[str, Any]:
    """The `outputs` of a callback's key ("..a.b...c.d.." for several; pattern ids: none matching;
    a callback without outputs is keyed by a hash)."""
    if "." not in key:
        return []
    parts = key[2:-2].split("...") if key.startswith("..") else [key]
    out = []
    for part in parts:
        ident, prop = part.rsplit(".", 1)
        out.append([] if ident.startswith("{") else {"id": ident, "property": prop})
    return out if key.startswith("..") else out[0]


def forged_bodies(app: Any) -> Iterator[tuple[str, Any, dict[str, Any]]]:
    for key, callback in app.callback_map.items():
        specs = callback["inputs"] + callback.get("state", [])
        n_inputs = len(callback["inputs"])
        for k, target in enumerate(specs):
            for hostile in HOSTILE:
                values = [spec_value(s, hostile if j == k else None) for j, s in enumerate(specs)]
                changed = [f"{target['id']}.{target['property']}"] if k < n_inputs else []
                yield (
                    f"{key[:60]} <- {target['id']}.{target['property']}",
                    hostile,
                    {
                        "output": key,
                        "outputs": outputs_of(key),
                        "inputs": values[:n_inputs],
                        "state": values[n_inputs:],
                        "changedPropIds": changed,
                    },
                )


def test_no_forged_value_in_any_input_of_any_callback_gives_a_500_or_a_traceback(served, caplog):
    url, app = served
    answered: dict[int, int] = {}
    failures = []
    with caplog.at_level(logging.WARNING):
        for name, hostile, body in forged_bodies(app):
            response = post(url, body)
            answered[response.status_code] = answered.get(response.status_code, 0) + 1
            bad_status = response.status_code not in (200, 204, 400)
            if bad_status or "Traceback" in response.text or "secret" in response.text:
                failures.append((name, json.dumps(hostile)[:30], response.status_code, response.text[:200]))
    assert not failures, failures[:10]
    assert answered.get(400, 0) > 100, answered  # the forged values were refused, not ignored


def test_a_defect_inside_the_server_answers_in_vietnamese_and_logs_the_traceback(served, caplog):
    url, _ = served
    with caplog.at_level(logging.ERROR, logger="callbacks.common.errors"):
        response = requests.get(url + "/test-only/boom", timeout=60)
    assert response.status_code == 500
    assert response.text.startswith("Máy chủ gặp lỗi khi xử lý yêu cầu")
    assert "secret internal detail" not in response.text and "Traceback" not in response.text
    logged = [r for r in caplog.records if r.exc_info and "secret internal detail" in str(r.exc_info[1])]
    assert logged, "the traceback goes to the operators' log"


def test_paths_out_of_the_app_are_refused(served):
    url, _ = served
    for path in ("/wall/brief.pdf?period=../../etc/passwd", "/../../etc/passwd", "/assets/../config.py"):
        response = requests.get(url + path, timeout=60)
        assert response.status_code in (400, 404), (path, response.status_code)
        assert "root:" not in response.text and "Settings" not in response.text
