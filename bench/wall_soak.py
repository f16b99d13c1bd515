"""Soak test of the wall display: does memory grow over thousands of scene changes and refreshes?

    .venv/bin/python bench/wall_soak.py --minutes 30

Builds a demo SQLite database in a temporary folder, serves the app from a child process on
127.0.0.1, opens /wall in headless Chromium at 1920×1080 with 2 s per scene and a 2 s data
poll, steps scenes from the keyboard API every --step-ms on top of the rotation, and imports
one new dossier every --bump-seconds (a new data version: the wall rebuilds its scenes and
patches them in place). After --warmup seconds it measures, and again at the end:
- browser: JS heap in use after a forced garbage collection (CDP Runtime.getHeapUsage),
  DOM nodes and event listeners (CDP Memory.getDOMCounters);
- server: resident memory of the app's process (VmRSS from /proc).
A line per minute, then start/end and the change in percent. Nothing leaves 127.0.0.1.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from config import Settings  # noqa: E402

APP_TODAY = "2026-11-27"
SERVE = """
import sys
sys.path.insert(0, {root!r})
from werkzeug.serving import make_server
from app import create_app
from config import Settings
settings = Settings.from_env({{"DATA_DIR": {data!r}, "APP_TODAY": {today!r}}})
make_server("127.0.0.1", {port}, create_app(settings).server, threaded=True).serve_forever()
"""
TREND_RECEIVED_JS = """
for (const s of document.querySelectorAll('.wall-scene[data-scene=trend] .wall-stat'))
  if (s.querySelector('.wall-stat-label').textContent === 'Tiếp nhận mới')
    return s.querySelector('.wall-stat-value').textContent;
return null;
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for process {pid}")


def browser_memory(driver: Any) -> dict[str, int]:
    driver.execute_cdp_cmd("HeapProfiler.collectGarbage", {})
    heap = driver.execute_cdp_cmd("Runtime.getHeapUsage", {})
    dom = driver.execute_cdp_cmd("Memory.getDOMCounters", {})
    return {
        "heap": int(heap["usedSize"]),
        "nodes": int(dom["nodes"]),
        "listeners": int(dom["jsEventListeners"]),
    }


def import_dossier(settings: Settings, folder: Path, n: int) -> None:
    """One more dossier received in October 2026 (the wall's month): a new data version."""
    from tests.import_fixtures import import_october_dossier

    path = folder / f"soak-{n}.csv"
    import_october_dossier(settings, path, f"SOAK-{n:06d}")
    path.unlink()


def wait_for(condition: Any, what: str, timeout: float = 60) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            value = condition()
        except Exception:
            value = None
        if value:
            return value
        time.sleep(0.2)
    raise SystemExit(f"timed out waiting for {what}")


def mib(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MiB"


def change(a: int, b: int) -> str:
    return f"{(b - a) / a * 100:+.1f}%" if a else "—"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--minutes", type=float, default=10.0, help="length of the measured run (after warm-up)"
    )
    parser.add_argument("--warmup", type=float, default=60.0, help="seconds before the first measurement")
    parser.add_argument("--dossiers", type=int, default=20000, help="demo dossiers in the database")
    parser.add_argument(
        "--step-ms", type=int, default=250, help="extra scene step every N ms (0: rotation only)"
    )
    parser.add_argument("--bump-seconds", type=float, default=15.0, help="import one dossier every N seconds")
    args = parser.parse_args()

    from selenium.common.exceptions import TimeoutException

    from importer.setup import ensure_database
    from tests.browser.driver import missing_browser, start_chrome

    if missing := missing_browser():
        raise SystemExit(f"Chromium/chromedriver not found: {', '.join(missing)}")
    work = Path(tempfile.mkdtemp(prefix="wall-soak-"))
    settings = Settings.from_env({"DATA_DIR": str(work), "APP_TODAY": APP_TODAY})
    print(f"demo database: {args.dossiers} dossiers in {work}", flush=True)
    ensure_database(settings, demo_dossiers=args.dossiers, seed=5, progress=False)

    port = free_port()
    code = SERVE.format(root=str(ROOT), data=str(work), today=APP_TODAY, port=port)
    log = (work / "server.log").open("w")
    server = subprocess.Popen([sys.executable, "-c", code], stdout=log, stderr=subprocess.STDOUT, cwd=ROOT)
    driver = None
    try:
        from urllib.request import urlopen

        base = f"http://127.0.0.1:{port}"
        wait_for(lambda: urlopen(f"{base}/wall/health", timeout=2).status == 200, "the app")
        driver = start_chrome(work / "chromium-profile")
        driver.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride",
            {"width": 1920, "height": 1080, "deviceScaleFactor": 1, "mobile": False},
        )
        driver.get(f"{base}/wall?seconds=2&poll=2")
        wait_for(lambda: driver.execute_script(TREND_RECEIVED_JS), "the wall's data")
        driver.set_script_timeout(120)
        bumps = 0
        slow = 0
        last_bump = time.monotonic()

        def drive(seconds: float) -> None:
            nonlocal bumps, last_bump, slow
            end = time.monotonic() + seconds
            while time.monotonic() < end:
                if args.step_ms:
                    try:
                        driver.execute_script("window.bandoWall.next()")
                    except TimeoutException:  # a busy machine: count it, go on
                        slow += 1
                if time.monotonic() - last_bump >= args.bump_seconds:
                    bumps += 1
                    import_dossier(settings, work, bumps)
                    last_bump = time.monotonic()
                time.sleep(args.step_ms / 1000 if args.step_ms else 0.5)

        print(f"warm-up {args.warmup:.0f} s …", flush=True)
        drive(args.warmup)
        start_browser, start_rss = browser_memory(driver), rss_kib(server.pid) * 1024
        start_changes, start_bumps = driver.execute_script("return window.bandoWall.state.changes"), bumps
        start_received = driver.execute_script(TREND_RECEIVED_JS)
        print(
            f"start: JS heap {mib(start_browser['heap'])}, DOM nodes {start_browser['nodes']}, "
            f"listeners {start_browser['listeners']}, server RSS {mib(start_rss)}",
            flush=True,
        )
        t0 = time.monotonic()
        minute = 0
        while time.monotonic() - t0 < args.minutes * 60:
            drive(min(60.0, args.minutes * 60 - (time.monotonic() - t0)))
            minute += 1
            mem = browser_memory(driver)
            changes = driver.execute_script("return window.bandoWall.state.changes") - start_changes
            rss = rss_kib(server.pid) * 1024
            print(
                f"{minute:3d} min: scene changes {changes}, data versions +{bumps - start_bumps}, "
                f"JS heap {mib(mem['heap'])}, DOM nodes {mem['nodes']}, server RSS {mib(rss)}",
                flush=True,
            )
        time.sleep(5)  # the last poll picks up the last import
        end_browser, end_rss = browser_memory(driver), rss_kib(server.pid) * 1024
        changes = driver.execute_script("return window.bandoWall.state.changes") - start_changes
        received = driver.execute_script(TREND_RECEIVED_JS)
        severe = [e for e in driver.get_log("browser") if e.get("level") == "SEVERE"]
        print()
        versions = bumps - start_bumps
        print(f"measured run: {args.minutes:g} min, {changes} scene changes, {versions} data versions")
        print(f"trend 'Tiếp nhận mới' of the month: {start_received} → {received} (each import adds one)")
        print(
            f"JS heap:     {mib(start_browser['heap'])} → {mib(end_browser['heap'])} "
            f"({change(start_browser['heap'], end_browser['heap'])})"
        )
        print(
            f"DOM nodes:   {start_browser['nodes']} → {end_browser['nodes']} "
            f"({change(start_browser['nodes'], end_browser['nodes'])})"
        )
        print(f"listeners:   {start_browser['listeners']} → {end_browser['listeners']}")
        print(f"server RSS:  {mib(start_rss)} → {mib(end_rss)} ({change(start_rss, end_rss)})")
        print(f"console errors: {len(severe)}; keyboard steps that timed out: {slow}")
        for entry in severe[:5]:
            print(f"  {entry['message'][:300]}")
    finally:
        if driver is not None:
            driver.quit()
        server.terminate()
        server.wait(timeout=10)
        if os.environ.get("WALL_SOAK_KEEP") != "1":
            import shutil

            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
