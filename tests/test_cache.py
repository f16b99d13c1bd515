"""The per-data-version cache (dossier_stats/cache.py) on its own: its bound, its
invalidation when the version moves, and no stale write from a computation that started
under an older version."""

import pickle
import threading
from collections.abc import Hashable
from typing import Any

import pytest
from sqlalchemy import text

from dossier_stats.cache import EngineCache, LruStore, TieredStore, VersionedCache


class Counter:
    """compute() functions that count their calls."""

    def __init__(self) -> None:
        self.calls: list[Hashable] = []

    def of(self, key: Hashable, value: Any = None) -> Any:
        def compute() -> Any:
            self.calls.append(key)
            return value if value is not None else f"value of {key}"

        return compute


def test_a_value_is_computed_once_per_version_and_key():
    cache, count = VersionedCache(4), Counter()
    assert cache.get(1, "a", count.of("a")) == "value of a"
    assert cache.get(1, "a", count.of("a")) == "value of a"
    assert cache.get(1, "b", count.of("b")) == "value of b"
    assert count.calls == ["a", "b"]


def test_the_least_recently_used_value_goes_first_at_the_bound():
    cache, count = VersionedCache(3), Counter()
    for key in ("a", "b", "c"):
        cache.get(1, key, count.of(key))
    cache.get(1, "a", count.of("a"))  # a used again: b is now the oldest
    cache.get(1, "d", count.of("d"))  # a fourth value: b goes
    assert len(cache.store) == 3
    count.calls.clear()
    for key in ("a", "c", "d"):
        cache.get(1, key, count.of(key))
    assert count.calls == []  # still there
    cache.get(1, "b", count.of("b"))
    assert count.calls == ["b"]  # was evicted, computed again


def test_a_new_version_drops_every_value_of_the_old_one():
    cache, count = VersionedCache(10), Counter()
    cache.get(1, "a", count.of("a", "old a"))
    cache.get(1, "b", count.of("b", "old b"))
    assert cache.get(2, "a", count.of("a", "new a")) == "new a"
    assert len(cache.store) == 1  # b of version 1 is gone with it
    assert cache.get(2, "a", count.of("a", "newer a")) == "new a"
    assert count.calls == ["a", "b", "a"]


def test_a_value_computed_while_the_version_moved_on_is_returned_but_not_stored():
    cache, count = VersionedCache(10), Counter()
    started, release = threading.Event(), threading.Event()
    results: list[str] = []

    def slow() -> str:
        started.set()
        assert release.wait(5)
        return "computed from version 1"

    reader = threading.Thread(target=lambda: results.append(cache.get(1, "a", slow)))
    reader.start()
    assert started.wait(5)
    # meanwhile the data changed and another caller read version 2 first
    assert cache.get(2, "a", count.of("a", "computed from version 2")) == "computed from version 2"
    release.set()
    reader.join(5)
    assert results == ["computed from version 1"]  # its caller still gets its own value
    # …which was not stored, neither over the newer one nor beside it under the old version
    assert len(cache.store) == 1
    assert cache.get(2, "a", count.of("a", "again")) == "computed from version 2"
    assert count.calls == ["a"]
    assert cache.get(1, "a", count.of("a", "recomputed for 1")) == "recomputed for 1"


def test_concurrent_readers_of_one_version_all_get_the_value():
    cache = VersionedCache(8)
    seen: list[int] = []
    lock = threading.Lock()

    def read(i: int) -> None:
        value = cache.get(7, i % 4, lambda: (i % 4) * 10)
        with lock:
            seen.append(value - (i % 4) * 10)

    threads = [threading.Thread(target=read, args=(i,)) for i in range(40)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(5)
    assert seen == [0] * 40
    assert len(cache.store) == 4


def test_clear_forgets_everything():
    cache, count = VersionedCache(4), Counter()
    cache.get(1, "a", count.of("a"))
    cache.clear()
    cache.get(1, "a", count.of("a"))
    assert count.calls == ["a", "a"]


def test_a_bound_below_one_is_refused():
    with pytest.raises(ValueError, match="Kích thước bộ nhớ đệm"):
        LruStore(0)


class PickledStore:
    """A store that keeps only bytes, as a shared store (Redis) would."""

    def __init__(self) -> None:
        self.items: dict[bytes, tuple[Hashable, bytes]] = {}
        self.forgotten: list[Hashable] = []

    def get(self, version: Hashable, key: Hashable, default: Any) -> Any:
        found = self.items.get(pickle.dumps((version, key)))
        return default if found is None else pickle.loads(found[1])

    def put(self, version: Hashable, key: Hashable, value: Any) -> None:
        self.items[pickle.dumps((version, key))] = (version, pickle.dumps(value))

    def forget(self, version: Hashable) -> None:
        self.forgotten.append(version)
        self.items = {k: v for k, v in self.items.items() if v[0] != version}

    def clear(self) -> None:
        self.items.clear()


def test_another_store_can_hold_the_values_as_bytes():
    store = PickledStore()
    cache, count = VersionedCache(4, store=store), Counter()
    value = cache.get((3, 1), ("group", 2025, "districts"), count.of("g", {"rows": [1, 2]}))
    again = cache.get((3, 1), ("group", 2025, "districts"), count.of("g", {"rows": ["other"]}))
    assert again == value == {"rows": [1, 2]} and again is not value  # read back from bytes
    assert count.calls == ["g"]
    cache.get((3, 2), ("group", 2025, "districts"), count.of("g", {"rows": [3]}))
    assert store.forgotten == [(3, 1)]  # the change drops the old version's values
    assert len(store.items) == 1


def test_engine_cache_reads_the_version_with_the_callers_function(db_engine):
    with db_engine.begin() as conn:
        conn.execute(text("CREATE TABLE cache_probe (v INTEGER)"))
        conn.execute(text("INSERT INTO cache_probe VALUES (1)"))

    def version(conn: Any) -> int:
        return conn.execute(text("SELECT v FROM cache_probe")).scalar_one()

    cache = EngineCache(db_engine, version, size=4)
    computed: list[int] = []

    def compute(conn: Any) -> int:
        computed.append(1)
        return version(conn) * 100  # computed with the same connection

    assert cache.get("k", compute) == 100
    assert cache.get("k", compute) == 100
    with db_engine.begin() as conn:
        conn.execute(text("UPDATE cache_probe SET v = 2"))
    assert cache.get("k", compute) == 200
    assert len(computed) == 2


def test_a_tiered_store_reads_the_shared_store_once_per_process():
    shared = PickledStore()
    first = VersionedCache(4, TieredStore(LruStore(4), shared))
    second = VersionedCache(4, TieredStore(LruStore(4), shared))
    count = Counter()
    assert first.get(1, "k", count.of("k", ["rows"])) == ["rows"]
    assert second.get(1, "k", count.of("k", "again")) == ["rows"]  # from the shared store
    shared.items.clear()
    assert second.get(1, "k", count.of("k", "again")) == ["rows"]  # now from its own memory
    assert count.calls == ["k"]
    second.get(2, "k", count.of("k2", "new"))
    assert shared.forgotten == [1] and len(second.store.near) == 1  # both tiers moved on
