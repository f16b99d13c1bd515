"""Real headless Chromium against the real app on a free local port.

The app runs in a background thread (werkzeug) on a temporary SQLite database built
with importer.setup.ensure_database (≈5000 demo dossiers, APP_TODAY fixed). Selenium uses
the system Chromium and chromedriver by explicit path, so selenium-manager never downloads
anything. Every test's browser logs console messages and network events; helpers below
check that nothing is logged as SEVERE and that no request leaves 127.0.0.1. A screenshot
per test goes to test-artifacts/.

Without Chromium/chromedriver the tests skip with the reason — except under CI=true, where
that is a failure.
"""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from werkzeug.serving import make_server

from config import Settings

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
APP_TODAY = "2026-11-27"
DEMO_DOSSIERS = 5000
LOCAL_HOSTS = {"127.0.0.1"}
LOCAL_SCHEMES = {"data", "blob"}
# Chromium's own pages (its new-tab page at start-up) are served from inside the browser,
# not over the network; they are not requests of our page.
BROWSER_INTERNAL_SCHEMES = {"chrome", "chrome-extension", "chrome-untrusted", "devtools", "about"}
WAIT_SECONDS = 20


def require_browser() -> None:
    missing = [str(p) for p in (CHROMIUM, CHROMEDRIVER) if not p.exists()]
    if not missing:
        return
    reason = f"Chromium/chromedriver not found: {', '.join(missing)} (install chromium and chromium-driver)"
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true and {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def app_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    from importer.setup import ensure_database

    data_dir = tmp_path_factory.mktemp("browser-app")
    settings = Settings.from_env({"DATA_DIR": str(data_dir), "APP_TODAY": APP_TODAY})
    ensure_database(settings, demo_dossiers=DEMO_DOSSIERS, seed=7, progress=False)
    return settings


@pytest.fixture(scope="session")
def app_url(app_settings: Settings) -> Iterator[str]:
    """Base URL of the app served from a background thread on a free port."""
    require_browser()
    from app import create_app

    server = make_server("127.0.0.1", 0, create_app(app_settings).server, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="dash-app", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)


@dataclass
class Browser:
    """A Chrome driver plus everything its logs said since it started."""

    driver: Any
    console: list[dict[str, Any]] = field(default_factory=list)
    network: list[dict[str, Any]] = field(default_factory=list)  # CDP Network.* messages

    def collect(self) -> None:
        self.console += self.driver.get_log("browser")
        for entry in self.driver.get_log("performance"):
            message = json.loads(entry["message"])["message"]
            if message["method"].startswith("Network."):
                self.network.append(message)

    def open(self, url: str) -> None:
        self.driver.get(url)

    def js(self, script: str, *args: Any) -> Any:
        return self.driver.execute_script(script, *args)

    def wait_until(self, condition: Callable[[], Any], what: str, timeout: float = WAIT_SECONDS) -> Any:
        deadline = time.monotonic() + timeout
        last: Any = None
        while time.monotonic() < deadline:
            try:
                last = condition()
            except Exception as exc:  # element not there yet, stale element, …
                last = exc
            else:
                if last:
                    return last
            time.sleep(0.1)
        raise AssertionError(f"timed out waiting for {what}; last value: {last!r}")

    def wait_network_idle(self, quiet: float = 0.6, timeout: float = WAIT_SECONDS) -> None:
        """Until no request has been pending or started for `quiet` seconds."""
        deadline = time.monotonic() + timeout
        last_change = time.monotonic()
        seen = len(self.network)
        while time.monotonic() < deadline:
            self.collect()
            if len(self.network) != seen or self.pending_requests():
                seen, last_change = len(self.network), time.monotonic()
            elif time.monotonic() - last_change >= quiet:
                return
            time.sleep(0.1)
        raise AssertionError(f"network still busy: {self.pending_requests()}")

    def pending_requests(self) -> list[str]:
        started = {
            m["params"]["requestId"]: m["params"]["request"]["url"]
            for m in self.network
            if m["method"] == "Network.requestWillBeSent"
        }
        for m in self.network:
            if m["method"] in ("Network.loadingFinished", "Network.loadingFailed"):
                started.pop(m["params"]["requestId"], None)
        return [u for u in started.values() if urlsplit(u).scheme in ("http", "https")]

    def requested_urls(self) -> list[str]:
        return [
            m["params"]["request"]["url"] for m in self.network if m["method"] == "Network.requestWillBeSent"
        ]

    def severe_console_entries(self) -> list[dict[str, Any]]:
        self.collect()
        return [e for e in self.console if e.get("level") == "SEVERE"]

    def non_local_requests(self) -> list[str]:
        """Every requested URL that is neither on 127.0.0.1 nor data:/blob: (nor browser-internal)."""
        self.collect()
        out = []
        for url in self.requested_urls():
            parts = urlsplit(url)
            if parts.scheme in LOCAL_SCHEMES or parts.scheme in BROWSER_INTERNAL_SCHEMES:
                continue
            if parts.scheme in ("http", "https", "ws", "wss") and parts.hostname in LOCAL_HOSTS:
                continue
            out.append(url)
        return out

    def response_bytes(self, since: int = 0) -> dict[str, int]:
        """Bytes received per URL (encoded, as on the wire) for network messages from index `since`."""
        self.collect()
        messages = self.network[since:]
        urls = {
            m["params"]["requestId"]: m["params"]["request"]["url"]
            for m in self.network
            if m["method"] == "Network.requestWillBeSent"
        }
        out: dict[str, int] = {}
        for m in messages:
            if m["method"] == "Network.loadingFinished":
                url = urls.get(m["params"]["requestId"], "?")
                key = f"{url} #{m['params']['requestId']}"
                out[key] = int(m["params"]["encodedDataLength"])
        return out

    def assert_clean(self) -> None:
        severe = self.severe_console_entries()
        assert not severe, f"console errors: {severe}"
        outside = self.non_local_requests()
        assert not outside, f"requests leaving 127.0.0.1: {outside}"


@pytest.fixture
def browser(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Browser]:
    require_browser()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
        "--window-size=1600,1000",
        f"--user-data-dir={tmp_path / 'chromium-profile'}",
    ):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=options)
    session = Browser(driver)
    try:
        yield session
    finally:
        ARTIFACTS.mkdir(exist_ok=True)
        try:
            driver.save_screenshot(str(ARTIFACTS / f"{request.node.name}.png"))
        finally:
            driver.quit()
