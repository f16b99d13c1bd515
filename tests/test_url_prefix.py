"""Behind a reverse proxy under a path prefix (URL_PREFIX=/bando/): every page, asset,
callback, route and redirect under /bando/; and an unknown path answers HTTP 404 with the
Vietnamese "Không có trang …" (with or without a prefix)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from accounts.permissions import Role
from config import Settings
from tests.accounts_fixtures import PASSWORD, ensure_account
from tests.app_client import app_client, router_request

PREFIX = "/bando/"
PAGES = ("", "wall", "wall/", "scorecard", "scoring/results", "scoring/entry", "?kiosk=1")


def settings_for(data_dir: Path, prefix: str) -> Settings:
    return Settings.from_env({"DATA_DIR": str(data_dir), "APP_TODAY": "2026-11-27", "URL_PREFIX": prefix})


@pytest.fixture(scope="module")
def database_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from importer.setup import ensure_database

    data_dir = tmp_path_factory.mktemp("prefix-app")
    ensure_database(settings_for(data_dir, "/"), demo_dossiers=800, seed=5, progress=False)
    return data_dir


@pytest.fixture(scope="module")
def app(database_dir: Path):
    from app import create_app

    return create_app(settings_for(database_dir, "bando"))  # normalised to /bando/


@pytest.fixture
def client(app):
    return app_client(app)


def routed(client, pathname: str, search: str = "") -> str:
    """The router's answer for a browser at `pathname` (as JSON text)."""
    response = client.post(PREFIX + "_dash-update-component", json=router_request(pathname, search))
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return json.dumps(response.get_json()["response"]["page"]["children"], ensure_ascii=False)


def test_the_prefix_is_normalised_and_a_bad_one_refused():
    assert Settings.from_env({"URL_PREFIX": "/bando"}).url_prefix == "/bando/"
    assert Settings.from_env({"URL_PREFIX": ""}).url_prefix == "/"
    for bad in ("/../etc", "/bản đồ/", "/a//b/"):
        with pytest.raises(ValueError, match="URL_PREFIX"):
            Settings.from_env({"URL_PREFIX": bad})


def test_every_page_and_its_scripts_are_served_under_the_prefix(client):
    for page in PAGES:
        response = client.get(PREFIX + page)
        assert response.status_code == 200, page
    html = client.get(PREFIX).get_data(as_text=True)
    sources = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', html)
    assert sources and all(s.startswith(PREFIX) for s in sources), sources
    for source in sources:
        assert client.get(source).status_code == 200, source
    config = json.loads(re.search(r'<script id="_dash-config"[^>]*>(.*?)</script>', html, re.S).group(1))
    assert config["requests_pathname_prefix"] == PREFIX
    assert client.get(PREFIX + "_dash-layout").status_code == 200
    assert client.get(PREFIX + "_dash-dependencies").status_code == 200


def test_every_route_of_every_page_and_every_file_route_is_under_the_prefix(client):
    from app_pages import PAGES

    for page in PAGES:
        for route in page.routes:
            query = ("?" + "&".join(f"{k}={v}" for k, v in route.query.items())) if route.query else ""
            assert client.get(PREFIX + route.path.lstrip("/") + query).status_code == 200, route
            assert client.get(route.path + query).status_code == 404 or route.path == "/", route
    for file_route in ("dossiers/export.csv", "dossiers/due-soon.csv", "audit.csv", "officials.csv"):
        assert client.get(PREFIX + file_route).status_code != 404, file_route  # 403, 303, 400: served
        assert client.get("/" + file_route).status_code == 404, file_route


def test_the_router_opens_each_page_under_the_prefix_with_links_under_it(client):
    assert "Không có trang" not in routed(client, "/bando/")
    wall = routed(client, "/bando/wall")
    assert '"data-health-url": "/bando/wall/health"' in wall
    assert '"id": "wall"' in wall
    assert '"id": "wall"' in routed(client, "/bando/", "?kiosk=1")
    results = routed(client, "/bando/scoring/results")
    links = set(re.findall(r'"href": "([^"]+)"', results))
    assert links >= {"/bando/", "/bando/scorecard", "/bando/scoring/entry"}, links
    assert all(link.startswith(PREFIX) for link in links), links
    missing = routed(client, "/bando/khong-co")
    assert "Không có trang /khong-co." in missing and '"href": "/bando/"' in missing


def test_an_unknown_path_is_404_with_the_vietnamese_page(client):
    inside = client.get(PREFIX + "khong-co-trang-nay")
    assert inside.status_code == 404
    assert '<script id="_dash-config"' in inside.get_data(as_text=True)  # the app says "Không có trang"
    for outside in ("/", "/wall", "/khac/", PREFIX + "assets/khong-co.css"):
        response = client.get(outside)
        assert response.status_code == 404, outside
        text = response.get_data(as_text=True)
        assert "Không có trang" in text and f'href="{PREFIX}"' in text
        assert "Traceback" not in text


def test_unknown_paths_are_404_without_a_prefix_too(database_dir: Path):
    from app import create_app

    client = app_client(create_app(settings_for(database_dir, "/")))
    assert client.get("/").status_code == 200
    assert client.get("/scoring/results/").status_code == 200
    for path in ("/bando/", "/bando/wall", "/wal", "/scoring"):
        response = client.get(path)
        assert response.status_code == 404, path
    assert "Không có trang" in client.get("/assets/khong-co.js").get_data(as_text=True)


def test_health_brief_and_wall_health_under_the_prefix(client):
    assert client.get(PREFIX + "healthz").get_data(as_text=True) == "ok"
    assert client.get("/healthz").status_code == 200  # the load balancer asks the process itself
    assert client.get(PREFIX + "readyz").get_json()["status"] == "ready"
    assert client.get(PREFIX + "wall/health").get_data(as_text=True).startswith("ok ")
    brief = client.get(PREFIX + "wall/brief.pdf?period=2026-10")
    assert brief.status_code == 200 and brief.get_data().startswith(b"%PDF")
    assert client.get("/wall/brief.pdf").status_code == 404


def test_login_and_logout_redirect_under_the_prefix(app, client):
    ensure_account(app.server.extensions["bando"].scoring.engine, "lanhdao_prefix", {Role.LEADER})
    form = client.get(PREFIX + "login").get_data(as_text=True)
    assert f'action="{PREFIX}login"' in form
    response = client.post(PREFIX + "login", data={"username": "lanhdao_prefix", "password": PASSWORD})
    assert (response.status_code, response.headers["Location"]) == (303, PREFIX)
    asked = client.post(
        PREFIX + "login",
        data={"username": "lanhdao_prefix", "password": PASSWORD, "next": PREFIX + "scoring/results"},
    )
    assert asked.headers["Location"] == PREFIX + "scoring/results"
    out = client.post(PREFIX + "logout")
    assert (out.status_code, out.headers["Location"]) == (303, PREFIX + "login?out=1")
