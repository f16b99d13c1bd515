"""One cache of computed results per data version, with a size bound (least recently used
out first), shared by the services (StatsService, DetailsService, ScoringService) and the wall.

A value is stored under (version, key): the version is what the data looked like when it
was computed (data_state.version, or the scoring change key), read by the caller in the
way that fits its data. Seeing a new version drops every value of the old one. A value
computed while the version moved on is returned to its caller but not stored, so the
cache never serves a result of older data under a newer version.

The storage sits behind `CacheStore` (get / put of picklable values under (version, key),
forget a version, clear), made by a `StoreFactory` per named cache: the in-process `LruStore`
by default, or Redis (dossier_stats/redis_store.py, with REDIS_URL), where every worker
process and machine shares the values, so a view is computed once per data change.

Single flight: a miss of one (version, key) is computed by one thread of the process at a
time; the others asking for it meanwhile wait and get its value (or its exception). A store
that other processes share (`ClaimingStore`: Redis) also takes a short lock per key across
processes, and the processes that find it taken wait for the value the holder writes — so
the first visitors after an import cost one computation, not one per visitor.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from typing import Any, Protocol, TypeVar, runtime_checkable

from sqlalchemy import Connection, Engine

T = TypeVar("T")
_MISSING = object()


class CacheStore(Protocol):
    """Where the values live: thread-safe (called from many threads without the cache's lock);
    values are picklable; a store that cannot answer returns `default` rather than raise."""

    def get(self, version: Hashable, key: Hashable, default: Any) -> Any: ...

    def put(self, version: Hashable, key: Hashable, value: Any) -> None: ...

    def forget(self, version: Hashable) -> None:
        """Drop the values stored under that version (a newer one has been seen)."""

    def clear(self) -> None:
        """Drop every value (benchmarks measure cold reads with it)."""


@runtime_checkable
class ClaimingStore(Protocol):
    """A store shared by several processes that can lock one key among them."""

    def claim(self, version: Hashable, key: Hashable, default: Any) -> AbstractContextManager[Any]:
        """Entered: the value when it is stored, or became stored while waiting for the key's
        lock (nothing to compute), else `default` — the caller then holds the lock until
        exit, computes and puts the value before leaving the block."""


def claim(store: CacheStore, version: Hashable, key: Hashable) -> AbstractContextManager[Any]:
    """The store's claim of (version, key); a store of one process has no lock to take: the
    value is looked up once more (another thread may have put it since the miss)."""
    if isinstance(store, ClaimingStore):
        return store.claim(version, key, _MISSING)
    return nullcontext(store.get(version, key, _MISSING))


# (cache name, size bound) -> the store of that cache; the name keeps caches apart in a shared store
StoreFactory = Callable[[str, int], CacheStore]


class LruStore:
    """In-process store of at most `size` values, the least recently used dropped first."""

    def __init__(self, size: int) -> None:
        if size < 1:
            raise ValueError(f"Kích thước bộ nhớ đệm phải ≥ 1 (nhận {size}).")
        self.size = size
        self._items: OrderedDict[tuple[Hashable, Hashable], Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, version: Hashable, key: Hashable, default: Any) -> Any:
        with self._lock:
            if (version, key) not in self._items:
                return default
            self._items.move_to_end((version, key))
            return self._items[(version, key)]

    def put(self, version: Hashable, key: Hashable, value: Any) -> None:
        with self._lock:
            self._items[(version, key)] = value
            self._items.move_to_end((version, key))
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def forget(self, version: Hashable) -> None:
        with self._lock:
            for item in [k for k in self._items if k[0] == version]:
                del self._items[item]

    def clear(self) -> None:
        with self._lock:
            self._items.clear()

    def __len__(self) -> int:
        return len(self._items)


class TieredStore:
    """A process's own LruStore in front of a shared store: a value this process has read or
    computed is served from memory (no round trip, no unpickling); one another process
    computed is read from the shared store once. Both are keyed by version, so the near one
    can never serve a value of another version than the far one."""

    def __init__(self, near: LruStore, far: CacheStore) -> None:
        self.near, self.far = near, far

    def get(self, version: Hashable, key: Hashable, default: Any) -> Any:
        value = self.near.get(version, key, _MISSING)
        if value is _MISSING:
            value = self.far.get(version, key, _MISSING)
            if value is _MISSING:
                return default
            self.near.put(version, key, value)
        return value

    def put(self, version: Hashable, key: Hashable, value: Any) -> None:
        self.near.put(version, key, value)
        self.far.put(version, key, value)

    @contextmanager
    def claim(self, version: Hashable, key: Hashable, default: Any) -> Iterator[Any]:
        value = self.near.get(version, key, _MISSING)
        if value is not _MISSING:
            yield value
            return
        with claim(self.far, version, key) as found:
            if found is not _MISSING:
                self.near.put(version, key, found)
                yield found
            else:
                yield default

    def forget(self, version: Hashable) -> None:
        self.near.forget(version)
        self.far.forget(version)

    def clear(self) -> None:
        self.near.clear()
        self.far.clear()


def local_store(_name: str, size: int) -> CacheStore:
    """The default StoreFactory: an LruStore in this process."""
    return LruStore(size)


class _Flight:
    """One computation under way, which other threads wait for."""

    def __init__(self) -> None:
        self.done = threading.Event()
        self.value: Any = _MISSING
        self.error: BaseException | None = None

    def result(self) -> Any:
        self.done.wait()
        if self.error is not None:
            raise self.error
        return self.value


class VersionedCache:
    """Values per (version, key); thread-safe; the lock guards only the version seen and the
    flights under way, the store and the computation are used outside it."""

    def __init__(self, size: int, store: CacheStore | None = None) -> None:
        self.store: CacheStore = store if store is not None else LruStore(size)
        self._version: Hashable = _MISSING
        self._lock = threading.Lock()
        self._flights: dict[tuple[Hashable, Hashable], _Flight] = {}

    def get(self, version: Hashable, key: Hashable, compute: Callable[[], T]) -> T:
        """The value stored under (version, key), else compute() — stored only when the
        version is still the newest seen once it is computed. (A value of an older version
        stored by a thread that checked just before the switch can outlive the switch; it is
        never read under the newer version, and the size bound or the TTL ends it.)"""
        with self._lock:
            previous = self._version
            self._version = version
        if previous != version and previous is not _MISSING:
            self.store.forget(previous)
        value = self.store.get(version, key, _MISSING)
        if value is not _MISSING:
            return value  # type: ignore[no-any-return]
        with self._lock:
            flight = self._flights.get((version, key))
            leader = flight is None
            if flight is None:
                flight = self._flights[(version, key)] = _Flight()
        if not leader:
            return flight.result()  # type: ignore[no-any-return]
        try:
            flight.value = self._compute(version, key, compute)
        except BaseException as exc:
            flight.error = exc
            raise
        finally:
            with self._lock:
                del self._flights[(version, key)]
            flight.done.set()
        return flight.value  # type: ignore[no-any-return]

    def _compute(self, version: Hashable, key: Hashable, compute: Callable[[], T]) -> T:
        """compute() under the store's claim of the key, stored when the version is still
        the newest seen; a value another process stored meanwhile is taken instead."""
        with claim(self.store, version, key) as found:
            if found is not _MISSING:
                return found  # type: ignore[no-any-return]
            value = compute()
            with self._lock:
                newest = self._version == version
            if newest:
                self.store.put(version, key, value)
            return value

    def clear(self) -> None:
        """Forget every value (benchmarks measure cold reads with it)."""
        with self._lock:
            self.store.clear()
            self._version = _MISSING


class EngineCache:
    """A VersionedCache for readers of the database: each call opens a connection, reads
    the version with `read_version(conn)` and computes with the same connection."""

    def __init__(
        self,
        engine: Engine,
        read_version: Callable[[Connection], Hashable],
        size: int,
        store: CacheStore | None = None,
    ) -> None:
        self.engine = engine
        self.read_version = read_version
        self.cache = VersionedCache(size, store)

    def get(self, key: Hashable, compute: Callable[[Connection], T]) -> T:
        with self.engine.connect() as conn:
            version = self.read_version(conn)
            return self.cache.get(version, key, lambda: compute(conn))

    @contextmanager
    def session(self) -> Iterator[tuple[Connection, Callable[[Hashable, Callable[[], Any]], Any]]]:
        """One connection and its data version for several cached values that must agree
        (e.g. the as-of corrections and a query that uses them): `get(key, compute)` in the
        block caches compute() under that version."""
        with self.engine.connect() as conn:
            version = self.read_version(conn)
            yield conn, lambda key, compute: self.cache.get(version, key, compute)

    def clear(self) -> None:
        self.cache.clear()
