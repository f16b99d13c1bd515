"""Single flight of the per-data-version caches (dossier_stats/cache.py, redis_store.py): a
miss computed once at a time — by one thread of a process while the others wait for its
value, and, with Redis, by one process while the others wait for the value it writes."""

from __future__ import annotations

import json
import secrets
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import redis

from dossier_stats import redis_store
from dossier_stats.cache import VersionedCache
from dossier_stats.redis_store import SharedCache
from tests.conftest import require_redis

ROOT = Path(__file__).resolve().parent.parent
TTL = 120


class SlowCount:
    """A compute() that counts its calls and blocks until released."""

    def __init__(self, value: Any = "value") -> None:
        self.calls = 0
        self.value = value
        self.started = threading.Event()
        self.release = threading.Event()
        self._lock = threading.Lock()

    def __call__(self) -> Any:
        with self._lock:
            self.calls += 1
        self.started.set()
        assert self.release.wait(10)
        if isinstance(self.value, BaseException):
            raise self.value
        return self.value


def in_threads(n: int, read: Callable[[], Any]) -> tuple[list[threading.Thread], list[Any]]:
    """n threads calling read(); what each got (a value, or the exception it raised)."""
    results: list[Any] = []
    lock = threading.Lock()

    def run() -> None:
        try:
            got: Any = read()
        except Exception as exc:  # the test compares what each thread got
            got = exc
        with lock:
            results.append(got)

    threads = [threading.Thread(target=run) for _ in range(n)]
    for t in threads:
        t.start()
    return threads, results


def join(threads: list[threading.Thread]) -> None:
    for t in threads:
        t.join(10)
        assert not t.is_alive()


def test_threads_missing_one_key_compute_it_once_and_all_get_its_value():
    cache, compute = VersionedCache(8), SlowCount({"rows": [1, 2]})
    threads, results = in_threads(12, lambda: cache.get(3, "overdue", compute))
    assert compute.started.wait(5)
    time.sleep(0.2)  # every thread has asked by now
    compute.release.set()
    join(threads)
    assert compute.calls == 1
    assert results == [{"rows": [1, 2]}] * 12
    assert cache.get(3, "overdue", lambda: "again") == {"rows": [1, 2]}  # and it was stored


def test_other_keys_do_not_wait_for_a_computation_under_way():
    cache, slow = VersionedCache(8), SlowCount()
    threads, _ = in_threads(1, lambda: cache.get(1, "slow", slow))
    assert slow.started.wait(5)
    assert cache.get(1, "other", lambda: "at once") == "at once"
    slow.release.set()
    join(threads)


def test_a_failed_computation_fails_its_waiters_and_is_not_kept():
    cache, compute = VersionedCache(8), SlowCount(LookupError("không đọc được"))
    threads, results = in_threads(6, lambda: cache.get(1, "k", compute))
    assert compute.started.wait(5)
    time.sleep(0.2)
    compute.release.set()
    join(threads)
    assert compute.calls == 1
    assert len(results) == 6 and all(isinstance(r, LookupError) for r in results)
    assert cache.get(1, "k", lambda: "recomputed") == "recomputed"  # the error was not cached


# ------------------------------------------------------------------ across processes (Redis)


def shared(url: str, identity: str) -> SharedCache:
    return SharedCache(url, lambda: identity, "49", TTL)


@pytest.fixture
def identity() -> Iterator[str]:
    """A deployment identity of the test's own; its keys are deleted afterwards."""
    url = require_redis()
    name = "single-flight-" + secrets.token_hex(8)
    yield name
    client = redis.Redis.from_url(url)
    prefix = shared(url, name).namespace().prefix
    for key in client.scan_iter(match=f"{prefix}*"):
        client.unlink(key)


def test_a_process_waits_for_the_value_another_process_is_computing(identity):
    url = require_redis()
    first = VersionedCache(8, shared(url, identity).store("details", 8))
    second = VersionedCache(8, shared(url, identity).store("details", 8))
    slow = SlowCount(["from the first process"])
    threads, results = in_threads(1, lambda: first.get(7, ("overdue", "502"), slow))
    assert slow.started.wait(5)
    waiting, got = in_threads(3, lambda: second.get(7, ("overdue", "502"), lambda: ["computed again"]))
    time.sleep(0.3)
    assert got == []  # the second process waits for the lock's holder
    slow.release.set()
    join(threads + waiting)
    assert results == [["from the first process"]]
    assert got == [["from the first process"]] * 3
    assert slow.calls == 1


def test_a_holder_that_fails_lets_the_waiting_process_compute(identity):
    url = require_redis()
    first = VersionedCache(8, shared(url, identity).store("t", 8))
    second = VersionedCache(8, shared(url, identity).store("t", 8))
    failing = SlowCount(RuntimeError("mất kết nối"))
    threads, results = in_threads(1, lambda: first.get(1, "k", failing))
    assert failing.started.wait(5)
    waiting, got = in_threads(1, lambda: second.get(1, "k", lambda: "computed by the second"))
    time.sleep(0.2)
    failing.release.set()
    join(threads + waiting)
    assert isinstance(results[0], RuntimeError)
    assert got == ["computed by the second"]  # the lock was let go, not left to expire


def test_a_lock_that_outlives_its_holder_expires(identity, monkeypatch):
    url = require_redis()
    monkeypatch.setattr(redis_store, "LOCK_SECONDS", 0.5)
    one = shared(url, identity)
    with one.claim("t", 1, "k", "absent") as found:  # taken, never written: a killed process
        assert found == "absent"
        started = time.monotonic()
        value = VersionedCache(8, shared(url, identity).store("t", 8)).get(1, "k", lambda: "after expiry")
        assert value == "after expiry"
        assert 0.3 <= time.monotonic() - started < 5


def test_without_redis_a_claim_computes_at_once(identity):
    down = SharedCache("redis://127.0.0.1:1/0", lambda: identity, "49", TTL)
    cache = VersionedCache(4, down.store("t", 4))
    assert cache.get(1, "k", lambda: "computed") == "computed"
    assert cache.get(1, "k", lambda: "again") == "computed"  # kept in the process's own store


PROCESS = """
import json, sys, time
sys.path.insert(0, {root!r})
import redis
from dossier_stats.cache import VersionedCache
from dossier_stats.redis_store import SharedCache
url, identity, counter = {url!r}, {identity!r}, {counter!r}
cache = VersionedCache(8, SharedCache(url, lambda: identity, "49", 120).store("details", 8))
def compute():
    redis.Redis.from_url(url).incr(counter)
    time.sleep(1.5)
    return {{"computed by": "pid %d" % __import__("os").getpid()}}
print("ready", flush=True)
sys.stdin.readline()
print(json.dumps(cache.get(11, ("overdue", None), compute)), flush=True)
"""


def test_two_server_processes_compute_a_miss_once(identity):
    url = require_redis()
    counter = f"{identity}:computed"
    code = PROCESS.format(root=str(ROOT), url=url, identity=identity, counter=counter)
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
        for _ in range(2)
    ]
    try:
        for p in processes:
            assert p.stdout is not None and p.stdout.readline().strip() == "ready"
        for p in processes:  # both ask at the same moment
            assert p.stdin is not None
            p.stdin.write("go\n")
            p.stdin.flush()
        answers = [json.loads(p.communicate(timeout=30)[0]) for p in processes]
    finally:
        for p in processes:
            p.kill()
    client = redis.Redis.from_url(url)
    try:
        assert int(client.get(counter) or 0) == 1
    finally:
        client.delete(counter)
    assert answers[0] == answers[1]
