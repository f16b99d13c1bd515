"""The per-data-version caches in Redis (REDIS_URL), shared by every worker process and machine
serving one database: a view is computed once per data change, wherever it is asked for.

Each process keeps what it has read or computed in its own LruStore too (cache.TieredStore),
so Redis is asked only for values it has not seen.

Layout: one Redis hash per (cache, version) — `bando:{NS}:stats:5` holds the `stats` cache's
values of data version 5, one field per key (its repr), so that seeing a newer version drops
the old one with a single UNLINK, and a TTL (CACHE_TTL_SECONDS, renewed on each write) ends
what nobody writes to any more. A hash holds at most the cache's size bound of fields (a
random other field goes when one more is written). `bando:{NS}:stats` counts hits and
misses per cache (`HGETALL` it to see the hit rate; it expires with the values).

NS, the namespace, is a digest of the database's identity (table `deployment`, a random id
made with the schema), the province shown, and the code (the project's Python files and the
Python version, since values are pickles of the code's classes): two deployments on one Redis
never read each other's values, and a new release never reads the pickles of an old one.

Values are pickled and signed (HMAC-SHA256 with a key derived from the database's identity,
which Redis never sees): a value written by anyone else fails the check and counts as a miss.

Single flight across processes (cache.ClaimingStore): a process that misses a value takes
`…:lock:{digest of the key}` (SET NX with a token, LOCK_SECONDS) before computing it, and
writes the value before it lets go; a process that finds the lock taken polls the version's
hash every WAIT_SECONDS for the value instead of computing it too, and computes it itself
only when the lock is gone without a value (the holder failed) or has expired (the holder is
slower than LOCK_SECONDS).

Redis down or slow (0.5 s timeout): the caller computes without the cache, a warning is
logged once per outage, and Redis is tried again after RETRY_SECONDS — never an error page.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import pickle
import secrets
import sys
import threading
import time
from collections.abc import Callable, Hashable, Iterator
from contextlib import AbstractContextManager, contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

import redis
from redis.exceptions import RedisError
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from config import ROOT
from db.deployment import deployment_id
from dossier_stats.cache import CacheStore, LruStore, TieredStore

log = logging.getLogger(__name__)
T = TypeVar("T")
TIMEOUT_SECONDS = 0.5  # a cache slower than this is worse than none
RETRY_SECONDS = 5.0  # after a failure, Redis is left alone this long
NOT_CODE = {"tests", "bench", "docs", "assets", "data", ".venv", ".git"}
MAC_BYTES = 32
LOCK_SECONDS = 30.0  # a computation slower than this lets another process start it too
WAIT_SECONDS = 0.05  # how often a process waiting for another's value looks for it
_FAILED, _ABSENT = object(), object()

# KEYS: the version's hash, the counters; ARGV: field, cache name. Returns the value or nil.
GET_SCRIPT = """
local value = redis.call('HGET', KEYS[1], ARGV[1])
redis.call('HINCRBY', KEYS[2], ARGV[2] .. (value and ':hit' or ':miss'), 1)
return value
"""
# KEYS: the version's hash, the counters; ARGV: field, value, ttl, size bound.
PUT_SCRIPT = """
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('EXPIRE', KEYS[1], ARGV[3])
redis.call('EXPIRE', KEYS[2], ARGV[3])
if redis.call('HLEN', KEYS[1]) > tonumber(ARGV[4]) then
  for _, other in ipairs(redis.call('HRANDFIELD', KEYS[1], 2)) do
    if other ~= ARGV[1] then
      redis.call('HDEL', KEYS[1], other)
      break
    end
  end
end
"""

# KEYS: the lock; ARGV: the holder's token. Deletes the lock only while it is the holder's.
RELEASE_SCRIPT = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
"""


@lru_cache(maxsize=1)
def code_fingerprint(root: Path = ROOT) -> str:
    """Digest of the project's Python files and the Python version: what a pickle depends on."""
    digest = hashlib.sha256(f"python {sys.version_info[0]}.{sys.version_info[1]}".encode())
    files = sorted(root.glob("*.py"))
    for package in sorted(p.parent for p in root.glob("*/__init__.py")):
        if package.name not in NOT_CODE:
            files += sorted(package.rglob("*.py"))
    for path in files:
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


class Namespace:
    """The prefix of every key and the signing key, from the database's identity (read once)."""

    def __init__(self, identity: str, province_code: str) -> None:
        seed = f"{identity}|{province_code}|{code_fingerprint()}".encode()
        self.prefix = "bando:{" + hashlib.sha256(b"namespace|" + seed).hexdigest()[:20] + "}"
        self._mac_key = hashlib.sha256(b"signing|" + seed).digest()

    def seal(self, value: Any) -> bytes:
        data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        return hmac.new(self._mac_key, data, hashlib.sha256).digest() + data

    def open(self, raw: bytes) -> Any:
        """The value, or LookupError when the signature does not match."""
        mac, data = raw[:MAC_BYTES], raw[MAC_BYTES:]
        if not hmac.compare_digest(mac, hmac.new(self._mac_key, data, hashlib.sha256).digest()):
            raise LookupError("chữ ký không khớp")
        return pickle.loads(data)  # signed by this deployment: checked above


class SharedCache:
    """One Redis connection pool per process, the namespace, and the outage handling; makes a
    RedisStore per named cache (it is the StoreFactory: `SharedCache(...).store`)."""

    def __init__(self, url: str, identity: Callable[[], str], province_code: str, ttl: int) -> None:
        self.url = _without_password(url)
        self.client = redis.Redis.from_url(
            url, socket_timeout=TIMEOUT_SECONDS, socket_connect_timeout=TIMEOUT_SECONDS
        )
        self.ttl = ttl
        self._identity = identity
        self._province_code = province_code
        self._namespace: Namespace | None = None
        self._get = self.client.register_script(GET_SCRIPT)
        self._put = self.client.register_script(PUT_SCRIPT)
        self._release = self.client.register_script(RELEASE_SCRIPT)
        self._lock = threading.Lock()
        self._retry_at = 0.0
        self._failing: str | None = None  # what failed, while it does

    def store(self, name: str, size: int) -> CacheStore:
        """The named cache: this process's LruStore in front of the Redis one."""
        return TieredStore(LruStore(size), RedisStore(self, name, size))

    # -- outage handling --------------------------------------------------------------------

    def run(self, action: Callable[[Namespace], T], default: T) -> T:
        """action(namespace), or `default` when Redis or the database's identity cannot be
        had now (logged once per outage; tried again after RETRY_SECONDS)."""
        if self._failing and time.monotonic() < self._retry_at:
            return default
        try:
            result = action(self.namespace())
        except RedisError as exc:
            self._failed(f"Redis at {self.url} unreachable ({exc.__class__.__name__}: {exc})")
            return default
        except (SQLAlchemyError, LookupError) as exc:
            self._failed(f"the database's identity is not readable ({exc.__class__.__name__}: {exc})")
            return default
        if self._failing:
            with self._lock:
                self._failing = None
            log.warning("shared cache: back in use (Redis at %s)", self.url)
        return result

    def _failed(self, what: str) -> None:
        with self._lock:
            first = self._failing is None
            self._failing, self._retry_at = what, time.monotonic() + RETRY_SECONDS
        if first:
            log.warning("shared cache: %s — computing without it, retrying every %.0f s", what, RETRY_SECONDS)

    def namespace(self) -> Namespace:
        if self._namespace is None:
            self._namespace = Namespace(self._identity(), self._province_code)
        return self._namespace

    # -- operations -------------------------------------------------------------------------

    def fetch(self, name: str, version: Hashable, key: Hashable, default: Any) -> Any:
        """The value, or `default` when absent or unreadable (then logged and deleted)."""

        def get(ns: Namespace) -> bytes | None:
            keys = [_hash(ns, name, version), _counters(ns)]
            raw: bytes | None = self._get(keys=keys, args=[repr(key), name])
            return raw

        raw = self.run(get, None)
        if raw is None:
            return default
        try:
            return self.namespace().open(raw)
        except Exception as exc:  # a bad signature, or a pickle of classes that changed
            log.warning("shared cache: %s value %r dropped (%s)", name, key, exc)
            self.run(lambda ns: self.client.hdel(_hash(ns, name, version), repr(key)), None)
            return default

    def peek(self, name: str, version: Hashable, key: Hashable, default: Any) -> Any:
        """The value, or `default`, without counting a hit or a miss (a waiter's look)."""
        raw = self.run(lambda ns: self.client.hget(_hash(ns, name, version), repr(key)), None)
        if raw is None:
            return default
        try:
            return self.namespace().open(raw)
        except Exception:  # unreadable: fetch() reports and deletes it
            return default

    @contextmanager
    def claim(self, name: str, version: Hashable, key: Hashable, default: Any) -> Iterator[Any]:
        """cache.ClaimingStore.claim over Redis (module docstring); without Redis, `default`
        at once (every process computes, as without the shared cache)."""
        token = secrets.token_hex(16)
        while True:
            taken = self.run(
                lambda ns: self.client.set(
                    _lock(ns, name, version, key), token, nx=True, px=int(LOCK_SECONDS * 1000)
                ),
                _FAILED,
            )
            if taken is _FAILED:
                yield default
                return
            value = self.peek(name, version, key, _ABSENT)
            if value is not _ABSENT or taken:
                break
            time.sleep(WAIT_SECONDS)  # another process computes it
        if not taken:
            yield value
            return
        try:
            yield default if value is _ABSENT else value
        finally:
            self.run(lambda ns: self._release(keys=[_lock(ns, name, version, key)], args=[token]), None)

    def write(self, name: str, size: int, version: Hashable, key: Hashable, value: Any) -> None:
        def put(ns: Namespace) -> None:
            try:
                sealed = ns.seal(value)
            except (pickle.PicklingError, TypeError, AttributeError) as exc:  # a programming error
                log.error("shared cache: %s value %r not picklable, not shared (%s)", name, key, exc)
                return
            keys = [_hash(ns, name, version), _counters(ns)]
            self._put(keys=keys, args=[repr(key), sealed, self.ttl, size])

        self.run(put, None)

    def drop(self, name: str, version: Hashable) -> None:
        self.run(lambda ns: self.client.unlink(_hash(ns, name, version)), None)

    def drop_all(self, name: str) -> None:
        def drop(ns: Namespace) -> None:
            for found in self.client.scan_iter(match=f"{ns.prefix}:{name}:*", count=500):
                self.client.unlink(found)

        self.run(drop, None)

    def counters(self) -> dict[str, int]:
        """{"stats:hit": n, "stats:miss": n, …} of this namespace ({} when unreachable)."""
        raw = self.run(lambda ns: self.client.hgetall(_counters(ns)), {})
        return {k.decode(): int(v) for k, v in raw.items()}

    def check(self) -> str | None:
        """None when Redis answers now, else why not (for /readyz)."""
        try:
            self.client.ping()
        except RedisError as exc:
            return f"Redis at {self.url} unreachable ({exc.__class__.__name__})"
        return None


class RedisStore:
    """The CacheStore of one named cache in the shared Redis."""

    def __init__(self, shared: SharedCache, name: str, size: int) -> None:
        self.shared, self.name, self.size = shared, name, size

    def get(self, version: Hashable, key: Hashable, default: Any) -> Any:
        return self.shared.fetch(self.name, version, key, default)

    def put(self, version: Hashable, key: Hashable, value: Any) -> None:
        self.shared.write(self.name, self.size, version, key, value)

    def claim(self, version: Hashable, key: Hashable, default: Any) -> AbstractContextManager[Any]:
        return self.shared.claim(self.name, version, key, default)

    def forget(self, version: Hashable) -> None:
        self.shared.drop(self.name, version)

    def clear(self) -> None:
        self.shared.drop_all(self.name)


def _hash(ns: Namespace, name: str, version: Hashable) -> str:
    return f"{ns.prefix}:{name}:{version!r}"


def _lock(ns: Namespace, name: str, version: Hashable, key: Hashable) -> str:
    digest = hashlib.sha256(repr(key).encode()).hexdigest()[:24]
    return f"{_hash(ns, name, version)}:lock:{digest}"


def _counters(ns: Namespace) -> str:
    return f"{ns.prefix}:stats"


def _without_password(url: str) -> str:
    """The URL to name in logs: scheme, host, port and path only."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    return f"{parts.scheme}://{host}{f':{parts.port}' if parts.port else ''}{parts.path}"


def shared_cache(url: str, engine: Engine, province_code: str, ttl: int) -> SharedCache:
    """The SharedCache of a deployment: its identity read from `engine` when first needed."""

    def identity() -> str:
        with engine.connect() as conn:
            return deployment_id(conn)

    return SharedCache(url, identity, province_code, ttl)
