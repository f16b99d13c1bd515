"""The per-data-version caches in a real Redis (dossier_stats/redis_store.py), over a migrated
database on both backends: values shared between two processes' caches, kept apart between
deployments, dropped with their version, bounded, signed, and a Redis outage that only
costs the cache (each SharedCache here stands for one server process: its own connection
pool, its own VersionedCache)."""

from __future__ import annotations

import logging
import pickle
import shutil
import socket
import subprocess
import time
from collections.abc import Hashable, Iterator
from pathlib import Path
from typing import Any

import pytest
import redis

from db.engine import make_engine
from db.migrate import upgrade
from dossier_stats import redis_store
from dossier_stats.cache import VersionedCache
from dossier_stats.periods import Period
from dossier_stats.redis_store import Namespace, SharedCache, code_fingerprint, shared_cache
from tests.conftest import require_redis

TTL = 120


class Counter:
    def __init__(self) -> None:
        self.calls: list[Hashable] = []

    def of(self, key: Hashable, value: Any) -> Any:
        def compute() -> Any:
            self.calls.append(key)
            return value

        return compute


def cleanup(shared: SharedCache) -> None:
    client = redis.Redis.from_url(require_redis())
    prefix = shared.namespace().prefix
    for key in client.scan_iter(match=f"{prefix}*"):
        client.unlink(key)


@pytest.fixture
def shared_pair(db_engine) -> Iterator[tuple[SharedCache, SharedCache]]:
    """Two SharedCaches (two processes) of one deployment."""
    url = require_redis()
    first = shared_cache(url, db_engine, "49", TTL)
    second = shared_cache(url, db_engine, "49", TTL)
    try:
        yield first, second
    finally:
        cleanup(first)


def version_hash(shared: SharedCache, name: str, version: Hashable) -> str:
    return f"{shared.namespace().prefix}:{name}:{version!r}"


def test_a_value_computed_by_one_process_is_read_by_the_other(shared_pair):
    a, b = shared_pair
    cache_a, cache_b, count = (
        VersionedCache(8, a.store("t", 8)),
        VersionedCache(8, b.store("t", 8)),
        Counter(),
    )
    value = {"period": Period.parse("2026-10"), "rows": [("502", 0.91), ("503", None)]}
    assert cache_a.get(5, ("district", "2026-10"), count.of("k", value)) == value
    got = cache_b.get(5, ("district", "2026-10"), count.of("k", "recomputed"))
    assert got == value and got is not value  # read back from Redis, not computed
    assert count.calls == ["k"]
    assert a.counters() == {"t:miss": 1, "t:hit": 1} == b.counters()


def test_none_is_a_value_too(shared_pair):
    a, b = shared_pair
    count = Counter()
    VersionedCache(4, a.store("t", 4)).get(1, "first date", count.of("k", None))
    assert VersionedCache(4, b.store("t", 4)).get(1, "first date", count.of("k", "other")) is None
    assert count.calls == ["k"]


def test_two_caches_of_one_process_do_not_share_keys(shared_pair):
    a, _ = shared_pair
    count = Counter()
    VersionedCache(4, a.store("stats", 4)).get(1, "k", count.of("stats", "from stats"))
    assert VersionedCache(4, a.store("details", 4)).get(1, "k", count.of("details", "own")) == "own"
    assert count.calls == ["stats", "details"]


def test_a_process_moving_to_a_newer_version_drops_the_old_ones_values(shared_pair):
    a, b = shared_pair
    client = redis.Redis.from_url(require_redis())
    cache_a, cache_b, count = (
        VersionedCache(8, a.store("t", 8)),
        VersionedCache(8, b.store("t", 8)),
        Counter(),
    )
    cache_a.get(1, "k", count.of("k1", "old"))
    assert client.exists(version_hash(a, "t", 1)) == 1
    assert 0 < client.ttl(version_hash(a, "t", 1)) <= TTL
    assert 0 < client.ttl(f"{a.namespace().prefix}:stats") <= TTL  # the counters end with the values
    assert cache_b.get(2, "k", count.of("k2", "new")) == "new"  # the other process sees version 2 first
    assert client.exists(version_hash(a, "t", 1)) == 1  # it never saw version 1: left to its TTL
    assert cache_a.get(2, "k", count.of("k2", "again")) == "new"  # the first process moves on…
    assert client.exists(version_hash(a, "t", 1)) == 0  # …and drops version 1 for everybody
    assert count.calls == ["k1", "k2"]


def test_a_version_holds_at_most_the_size_bound(shared_pair):
    a, _ = shared_pair
    client = redis.Redis.from_url(require_redis())
    cache = VersionedCache(3, a.store("t", 3))
    for key in range(7):
        cache.get(1, key, lambda key=key: key * 10)
    assert client.hlen(version_hash(a, "t", 1)) == 3
    assert client.hexists(version_hash(a, "t", 1), repr(6))  # the newest is never the one evicted


def test_two_deployments_on_one_redis_never_read_each_others_values(db_engine, tmp_path):
    url = require_redis()
    other_engine = make_engine(f"sqlite:///{tmp_path / 'other.sqlite3'}")
    upgrade(other_engine)
    ours, theirs = shared_cache(url, db_engine, "49", TTL), shared_cache(url, other_engine, "49", TTL)
    try:
        count = Counter()
        VersionedCache(4, ours.store("t", 4)).get(1, "k", count.of("ours", "our value"))
        assert VersionedCache(4, theirs.store("t", 4)).get(1, "k", count.of("theirs", "theirs")) == "theirs"
        assert count.calls == ["ours", "theirs"]
        assert ours.namespace().prefix != theirs.namespace().prefix
    finally:
        cleanup(ours)
        cleanup(theirs)
        other_engine.dispose()


def test_the_namespace_follows_the_province_and_the_code(tmp_path):
    assert Namespace("id", "49").prefix == Namespace("id", "49").prefix
    assert Namespace("id", "49").prefix != Namespace("id", "48").prefix
    assert Namespace("id", "49").prefix != Namespace("other id", "49").prefix
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "values.py").write_text("class Kpis: pass\n")
    before = code_fingerprint.__wrapped__(tmp_path)
    (package / "values.py").write_text("class Kpis:\n    extra = 1\n")
    assert code_fingerprint.__wrapped__(tmp_path) != before


class Booby:
    """Unpickling it records that it happened."""

    def __reduce__(self) -> tuple:
        return (UNPICKLED.append, ("unpickled",))


UNPICKLED: list[str] = []


def test_a_value_not_signed_by_the_deployment_is_never_unpickled(shared_pair, caplog):
    a, b = shared_pair
    client = redis.Redis.from_url(require_redis())
    VersionedCache(4, a.store("t", 4)).get(1, "k", lambda: "genuine")
    forged = b"\0" * 32 + pickle.dumps(Booby())
    client.hset(version_hash(a, "t", 1), repr("k"), forged)
    UNPICKLED.clear()
    with caplog.at_level(logging.WARNING, logger="dossier_stats.redis_store"):
        assert VersionedCache(4, b.store("t", 4)).get(1, "k", lambda: "recomputed") == "recomputed"
    assert UNPICKLED == []
    assert "chữ ký không khớp" in caplog.text
    assert client.hget(version_hash(a, "t", 1), repr("k")) != forged  # replaced by a signed value
    assert VersionedCache(4, a.store("t", 4)).get(1, "k", lambda: "third") == "recomputed"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_redis(port: int, folder: Path) -> subprocess.Popen:
    server = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        cwd=folder,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    client = redis.Redis(port=port)
    for _ in range(100):
        try:
            client.ping()
            return server
        except redis.ConnectionError:
            time.sleep(0.05)
    server.kill()
    raise AssertionError("redis-server did not start")


def test_a_redis_outage_costs_the_cache_only_and_ends_by_itself(db_engine, tmp_path, caplog, monkeypatch):
    """A Redis of the test's own (stopped and started again on the same port): while it is
    away every call computes and answers, one warning is logged; once it is back the values
    are shared again."""
    require_redis()
    if shutil.which("redis-server") is None:
        pytest.fail("redis-server not installed (.ci/run installs it)")
    monkeypatch.setattr(redis_store, "RETRY_SECONDS", 0.2)
    port = free_port()
    server = start_redis(port, tmp_path)
    try:
        shared = shared_cache(f"redis://127.0.0.1:{port}/0", db_engine, "49", TTL)
        cache, count = VersionedCache(4, shared.store("t", 4)), Counter()
        assert cache.get(1, "k", count.of("before", "v")) == "v"
        server.kill()
        server.wait(10)
        with caplog.at_level(logging.WARNING, logger="dossier_stats.redis_store"):
            for i in range(3):  # the size bound is 4: "k" stays in this process's memory
                key = f"outage {i}"
                assert cache.get(1, key, count.of(key, f"computed {i}")) == f"computed {i}"
                time.sleep(0.1)
            assert cache.get(1, "k", count.of("again", "x")) == "v"  # what this process holds stays
        assert count.calls == ["before", *(f"outage {i}" for i in range(3))]
        assert caplog.text.count("computing without it") == 1
        server = start_redis(port, tmp_path)
        time.sleep(0.3)  # past the retry interval
        caplog.clear()
        with caplog.at_level(logging.WARNING, logger="dossier_stats.redis_store"):
            assert cache.get(1, "after", count.of("after", "fresh")) == "fresh"  # into the new server
        assert "back in use" in caplog.text
        other = VersionedCache(
            4, shared_cache(f"redis://127.0.0.1:{port}/0", db_engine, "49", TTL).store("t", 4)
        )
        assert other.get(1, "after", count.of("other", "x")) == "fresh"
        assert count.calls[-1] == "after"
    finally:
        server.kill()
        server.wait(10)


def test_an_unmigrated_database_leaves_the_shared_cache_unused(tmp_path, caplog):
    url = require_redis()
    engine = make_engine(f"sqlite:///{tmp_path / 'empty.sqlite3'}")
    count = Counter()
    with caplog.at_level(logging.WARNING, logger="dossier_stats.redis_store"):
        first = VersionedCache(4, shared_cache(url, engine, "49", TTL).store("t", 4))
        assert first.get(1, "k", count.of("a", 1)) == 1
        second = VersionedCache(4, shared_cache(url, engine, "49", TTL).store("t", 4))
        assert second.get(1, "k", count.of("b", 2)) == 2  # nothing was shared
    assert count.calls == ["a", "b"]
    assert "identity is not readable" in caplog.text
    engine.dispose()
