"""Two real server processes (gunicorn, `gunicorn.conf.py`, as `make serve` runs it) on free
ports, against one PostgreSQL database and one Redis: a view computed by one is served by the
other from Redis (the shared hit/miss counters move by hits only), and dossiers imported with
`python cli.py import-dossiers` beside them are seen by the other process's next poll, whose
new values the first then serves from the cache. A login on one is a session on the other
(one session key, generated once into the shared DATA_DIR, and the sessions table), a logout
on either ends it on both, and failed logins on both add up to one lockout.

Each process is a gunicorn master with one gthread worker: separate interpreters, separate
in-process state, as on two machines.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests

from accounts.permissions import Role
from config import Settings
from db.engine import make_engine
from dossier_stats.redis_store import SharedCache, shared_cache
from scoring.state import change_key
from tests.accounts_fixtures import PASSWORD, ensure_account
from tests.conftest import create_pg_database, drop_pg_database, require_pg, require_redis
from tests.import_fixtures import october_dossiers

ROOT = Path(__file__).resolve().parent.parent
APP_TODAY = "2026-11-27"
DISTRICT = "502"  # Thành phố Tam Kỳ (former district)
AGENCY = "20335"  # Phường Bàn Thạch (from 2025-07-01), inside it
NEW_DOSSIERS = 4
VIEW_SEARCH = "?metric=received&period=2026-10&edition=quang-nam-2020"  # the former districts, October


@dataclass
class Server:
    url: str
    process: subprocess.Popen
    log: Path


@dataclass
class Deployment:
    a: Server
    b: Server
    database_url: str
    env: dict[str, str]
    shared: SharedCache  # the same namespace as the servers': reads their counters


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(env: dict[str, str], log: Path) -> Server:
    port = free_port()
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py", "app:server"],
            cwd=ROOT,
            env={**env, "PORT": str(port), "WORKERS": "1", "THREADS": "2"},
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    return Server(f"http://127.0.0.1:{port}", process, log)


def wait_ready(server: Server) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise AssertionError(f"server exited:\n{server.log.read_text()}")
        try:
            if requests.get(f"{server.url}/readyz", timeout=10).status_code == 200:
                return
        except requests.RequestException:  # not listening yet, or the worker still loading the app
            pass
        time.sleep(0.3)
    raise AssertionError(f"server not ready:\n{server.log.read_text()}")


def stop(server: Server) -> None:
    server.process.terminate()
    try:
        server.process.wait(30)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait(10)


@pytest.fixture(scope="module")
def deployment(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Deployment]:
    require_pg()
    redis_url = require_redis()
    from importer.setup import ensure_database

    folder = tmp_path_factory.mktemp("two-processes")
    database_url = create_pg_database()
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("PORT", "HOST", "WORKERS", "THREADS")},
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "DATA_DIR": str(folder),
        "APP_TODAY": APP_TODAY,
        "LOG_LEVEL": "INFO",
        "HOST": "127.0.0.1",
        # No district views computed ahead in the background (callbacks/home/prefetch.py):
        # the shared hit/miss counters must move by the test's requests only.
        "HOME_PREFETCH": "0",
    }
    ensure_database(Settings.from_env(env), demo_dossiers=1500, seed=11, progress=False)
    engine = make_engine(database_url)
    shared = shared_cache(redis_url, engine, "49", 600)
    servers = [start_server(env, folder / f"server-{name}.log") for name in "ab"]
    try:
        for server in servers:
            wait_ready(server)
        yield Deployment(servers[0], servers[1], database_url, env, shared)
    finally:
        for server in servers:
            stop(server)
        shared.drop_all("stats")
        for name in ("details", "scoring", "wall"):
            shared.drop_all(name)
        shared.client.unlink(f"{shared.namespace().prefix}:stats")
        engine.dispose()
        drop_pg_database(database_url)


def callback(server: Server, body: dict[str, Any]) -> requests.Response:
    """A callback as the page sends it (same-origin: accounts.web refuses a POST without)."""
    return requests.post(
        f"{server.url}/_dash-update-component", json=body, headers={"Origin": server.url}, timeout=30
    )


def poll(server: Server, key: list[int]) -> requests.Response:
    """The home page's live poll (callbacks/live.py), as the browser sends it."""
    return callback(
        server,
        {
            "output": "..live-state.data...data-time.children..",
            "outputs": [
                {"id": "live-state", "property": "data"},
                {"id": "data-time", "property": "children"},
            ],
            "inputs": [{"id": "live-poll", "property": "n_intervals", "value": 3}],
            "state": [{"id": "live-state", "property": "data", "value": {"key": key}}],
            "changedPropIds": ["live-poll.n_intervals"],
        },
    )


def district_values(server: Server, key: list[int]) -> dict[str, float]:
    """{district code: value} of the map for the view (the home page's one interaction
    callback, as when a link opens the view)."""
    from callbacks.home.interaction import INPUTS, OUTPUTS, STATES, output_key

    values = {"url.search": VIEW_SEARCH, "live-state.data": {"key": key}}
    response = callback(
        server,
        {
            "output": output_key(),
            "outputs": [{"id": i, "property": p} for i, p in OUTPUTS],
            "inputs": [{"id": i, "property": p, "value": values.get(f"{i}.{p}")} for i, p in INPUTS],
            "state": [{"id": i, "property": p, "value": "/" if p == "pathname" else None} for i, p in STATES],
            "changedPropIds": ["url.search"],
        },
    )
    assert response.status_code == 200, response.text
    assigned = {
        tuple(op["location"]): op["params"]["value"]
        for op in response.json()["response"]["map"]["figure"]["operations"]
        if op["operation"] == "Assign"
    }
    return dict(zip(assigned[("data", 0, "locations")], assigned[("data", 0, "z")], strict=True))


def misses_and_hits(shared: SharedCache) -> tuple[int, int]:
    counters = shared.counters()
    misses = sum(v for k, v in counters.items() if k.endswith(":miss"))
    return misses, sum(v for k, v in counters.items() if k.endswith(":hit"))


def current_key(database_url: str) -> list[int]:
    engine = make_engine(database_url)
    try:
        with engine.connect() as conn:
            return list(change_key(conn))
    finally:
        engine.dispose()


def import_new_dossiers(deployment: Deployment, folder: Path) -> None:
    path = october_dossiers(folder / "new.csv", AGENCY, NEW_DOSSIERS, "TWO-PROC")
    done = subprocess.run(
        [sys.executable, "cli.py", "import-dossiers", str(path)],
        cwd=ROOT,
        env=deployment.env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr


def test_a_view_computed_by_one_process_is_served_by_the_other_from_redis(deployment):
    key = current_key(deployment.database_url)
    misses_0, _ = misses_and_hits(deployment.shared)
    from_a = district_values(deployment.a, key)
    misses_1, hits_1 = misses_and_hits(deployment.shared)
    from_b = district_values(deployment.b, key)
    misses_2, hits_2 = misses_and_hits(deployment.shared)
    assert from_a == from_b
    assert len(from_a) == 18 and sum(from_a.values()) > 0
    assert misses_1 > misses_0  # A computed and stored
    assert misses_2 == misses_1  # B computed nothing…
    assert hits_2 > hits_1  # …it read A's values


def test_an_import_beside_one_process_is_served_by_the_other_within_a_poll(deployment, tmp_path):
    key = current_key(deployment.database_url)
    before = district_values(deployment.a, key)
    assert poll(deployment.b, key).status_code == 204  # nothing new yet

    import_new_dossiers(deployment, tmp_path)

    answer = poll(deployment.b, key)  # the next poll of a page served by B
    assert answer.status_code == 200
    new_key = answer.json()["response"]["live-state"]["data"]["key"]
    assert new_key == [key[0] + 1, key[1]]
    assert answer.json()["response"]["data-time"]["children"].startswith("Dữ liệu cập nhật lúc ")
    from_b = district_values(deployment.b, new_key)
    assert from_b[DISTRICT] == before[DISTRICT] + NEW_DOSSIERS
    assert {k: v for k, v in from_b.items() if k != DISTRICT} == {
        k: v for k, v in before.items() if k != DISTRICT
    }
    misses, hits = misses_and_hits(deployment.shared)
    assert district_values(deployment.a, new_key) == from_b  # A: the new data, from B's computation
    assert misses_and_hits(deployment.shared)[0] == misses
    assert misses_and_hits(deployment.shared)[1] > hits
    assert poll(deployment.a, new_key).status_code == 204  # and A's pages are up to date too


def test_each_process_logs_its_address_and_every_request(deployment):
    requests.get(f"{deployment.a.url}/healthz", timeout=5)
    deadline = time.monotonic() + 10
    while '"GET /healthz HTTP/1.1" 200' not in deployment.a.log.read_text() and time.monotonic() < deadline:
        time.sleep(0.2)
    log = deployment.a.log.read_text()
    assert f"Bản đồ thể chế: {deployment.a.url}/ (1 workers × 2 threads, cache: Redis)" in log
    assert '"GET /healthz HTTP/1.1" 200' in log
    assert "Traceback" not in log


def add_leader(deployment: Deployment, username: str) -> None:
    engine = make_engine(deployment.database_url)
    try:
        ensure_account(engine, username, {Role.LEADER})
    finally:
        engine.dispose()


def signed_in_as(server: Server, cookie: str) -> str:
    """The /logout page of `server` for a browser holding `cookie`: who it says is logged in."""
    page = requests.get(f"{server.url}/logout", cookies={"bando_session": cookie}, timeout=30).text
    if "Bạn chưa đăng nhập." in page:
        return ""
    return page.split("<strong>")[1].split("</strong>")[0]


def test_a_session_opened_on_one_process_is_known_to_the_other_until_a_logout_on_either(deployment):
    add_leader(deployment, "hai.tien.trinh")
    a, b = deployment.a, deployment.b
    login = requests.post(
        f"{a.url}/login",
        data={"username": "hai.tien.trinh", "password": PASSWORD, "next": "/"},
        headers={"Origin": a.url},
        allow_redirects=False,
        timeout=30,
    )
    assert login.status_code == 303
    cookie = login.cookies["bando_session"]
    assert signed_in_as(a, cookie) == signed_in_as(b, cookie) == "hai.tien.trinh"
    logout = requests.post(
        f"{b.url}/logout",
        cookies={"bando_session": cookie},
        headers={"Origin": b.url},
        allow_redirects=False,
        timeout=30,
    )
    assert logout.status_code == 303
    assert signed_in_as(a, cookie) == ""  # the cookie kept from before the logout is worth nothing


def test_failed_logins_on_both_processes_add_up_to_one_lockout(deployment):
    add_leader(deployment, "khoa.hai.noi")

    def attempt(server: Server, password: str) -> str:
        data = {"username": "khoa.hai.noi", "password": password, "next": "/"}
        return requests.post(
            f"{server.url}/login", data=data, headers={"Origin": server.url}, timeout=30
        ).text

    for server in (deployment.a, deployment.b, deployment.a, deployment.b, deployment.a):
        assert "Tên đăng nhập hoặc mật khẩu không đúng." in attempt(server, "sai")
    assert "tạm khóa đăng nhập đến" in attempt(deployment.b, PASSWORD)
