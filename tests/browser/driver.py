"""Headless Chromium through Selenium, shared by the browser tests and bench/map_bench.py.

`start_chrome(profile_dir)` launches the system Chromium and chromedriver by explicit path
(selenium-manager never downloads anything) with console and performance (CDP Network.*)
logging on. `Browser` wraps the driver and keeps everything its logs said: console
messages and network events, with helpers to wait for the network to be idle, list the
requested URLs and sum the bytes received. No pytest here: the benchmark imports it too.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from selenium.webdriver.common.by import By

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
LOCAL_HOSTS = {"127.0.0.1"}
LOCAL_SCHEMES = {"data", "blob"}
# Chromium's own pages (its new-tab page at start-up) are served from inside the browser,
# not over the network; they are not requests of our page.
BROWSER_INTERNAL_SCHEMES = {"chrome", "chrome-extension", "chrome-untrusted", "devtools", "about"}
WAIT_SECONDS = 20
CHROME_ARGS = (
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
)


def missing_browser() -> list[str]:
    """Paths of Chromium / chromedriver that are not installed (empty when both are)."""
    return [str(p) for p in (CHROMIUM, CHROMEDRIVER) if not p.exists()]


def chrome_options(profile_dir: Path) -> Any:
    """Options of every run: headless, no background traffic, console + performance logs."""
    from selenium import webdriver

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for arg in (*CHROME_ARGS, f"--user-data-dir={profile_dir}"):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    return options


def start_chrome(profile_dir: Path) -> Any:
    """A Chrome WebDriver on the system Chromium, profile in `profile_dir`."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    return webdriver.Chrome(
        service=Service(executable_path=str(CHROMEDRIVER)), options=chrome_options(profile_dir)
    )


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

    def choose_option(self, dropdown_id: str | None, label: str, exact: bool = True) -> None:
        """Open the dropdown `dropdown_id` (None: it is open already) and click its option
        `label`: the option's whole text when `exact`, else an option containing it."""
        if dropdown_id is not None:
            self.driver.find_element(By.ID, dropdown_id).click()
        test = f"normalize-space(.)='{label}'" if exact else f"contains(., '{label}')"
        self.wait_until(
            lambda: self.driver.find_element(By.XPATH, f"//*[@role='option'][{test}]"), f"the option {label}"
        ).click()

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


@contextmanager
def serving(wsgi_app: Any, name: str = "dash-app") -> Iterator[str]:
    """A WSGI app (a Dash app's `.server`) on a free 127.0.0.1 port in a background thread;
    yields its base URL and stops it on exit."""
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, wsgi_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name=name, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
