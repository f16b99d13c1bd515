"""One cache of computed results per data version, with a size bound (least recently used
out first), shared by the services (StatsService, DetailsService, ScoringService) and the wall.

A value is stored under (version, key): the version is what the data looked like when it
was computed (data_state.version, or the scoring change key), read by the caller in the
way that fits its data. Seeing a new version drops every value of the old one. A value
computed while the version moved on is returned to its caller but not stored, so the
cache never serves a result of older data under a newer version.

The storage sits behind `CacheStore` (get / put / clear of picklable values under
hashable keys), so a shared store (e.g. Redis, keyed by the repr of (version, key)) can
replace the in-process `LruStore` without changing the callers.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, Protocol, TypeVar

from sqlalchemy import Connection, Engine

T = TypeVar("T")
_MISSING = object()


class CacheStore(Protocol):
    """Where the values live. Called under the cache's lock; values are picklable."""

    def get(self, key: Hashable, default: Any) -> Any: ...

    def put(self, key: Hashable, value: Any) -> None: ...

    def clear(self) -> None: ...


class LruStore:
    """In-process store of at most `size` values, the least recently used dropped first."""

    def __init__(self, size: int) -> None:
        if size < 1:
            raise ValueError(f"Kích thước bộ nhớ đệm phải ≥ 1 (nhận {size}).")
        self.size = size
        self._items: OrderedDict[Hashable, Any] = OrderedDict()

    def get(self, key: Hashable, default: Any) -> Any:
        if key not in self._items:
            return default
        self._items.move_to_end(key)
        return self._items[key]

    def put(self, key: Hashable, value: Any) -> None:
        self._items[key] = value
        self._items.move_to_end(key)
        while len(self._items) > self.size:
            self._items.popitem(last=False)

    def clear(self) -> None:
        self._items.clear()

    def __len__(self) -> int:
        return len(self._items)


class VersionedCache:
    """Values per (version, key); thread-safe; the computation runs outside the lock."""

    def __init__(self, size: int, store: CacheStore | None = None) -> None:
        self.store: CacheStore = store if store is not None else LruStore(size)
        self._version: Hashable = _MISSING
        self._lock = threading.Lock()

    def get(self, version: Hashable, key: Hashable, compute: Callable[[], T]) -> T:
        """The value stored under (version, key), else compute() — stored only when the
        version is still the newest seen once it is computed."""
        with self._lock:
            if version != self._version:
                self.store.clear()
                self._version = version
            value = self.store.get((version, key), _MISSING)
            if value is not _MISSING:
                return value  # type: ignore[no-any-return]
        value = compute()
        with self._lock:
            if self._version == version:
                self.store.put((version, key), value)
        return value

    def clear(self) -> None:
        """Forget every value (benchmarks measure cold reads with it)."""
        with self._lock:
            self.store.clear()
            self._version = _MISSING


class EngineCache:
    """A VersionedCache for readers of the database: each call opens a connection, reads
    the version with `read_version(conn)` and computes with the same connection."""

    def __init__(self, engine: Engine, read_version: Callable[[Connection], Hashable], size: int) -> None:
        self.engine = engine
        self.read_version = read_version
        self.cache = VersionedCache(size)

    def get(self, key: Hashable, compute: Callable[[Connection], T]) -> T:
        with self.engine.connect() as conn:
            version = self.read_version(conn)
            return self.cache.get(version, key, lambda: compute(conn))

    def clear(self) -> None:
        self.cache.clear()
