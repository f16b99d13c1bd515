"""Shared fixtures: a migrated database on SQLite and on a real PostgreSQL.

`db_engine` is parametrised over both backends, so every data-layer test runs twice.
PostgreSQL is reached at TEST_PG_ADMIN_URL (default: the machine's server at
127.0.0.1:5432, trust auth); each test session creates and drops its own databases.
Without a reachable server the PostgreSQL variants skip with the reason — except
under CI=true, where that is a failure. Redis likewise, at TEST_REDIS_URL (default
redis://127.0.0.1:6379/0): the tests write only under namespaces of their own.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from db.engine import make_engine
from db.migrate import upgrade

PG_ADMIN_URL = os.environ.get("TEST_PG_ADMIN_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def _pg_admin() -> Engine:
    return create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")


def pg_available() -> str | None:
    """None when PostgreSQL answers, else the reason it does not."""
    try:
        with _pg_admin().connect() as conn:
            conn.execute(text("select 1"))
    except Exception as exc:
        return f"PostgreSQL not reachable at {PG_ADMIN_URL}: {exc.__class__.__name__}: {exc}"
    return None


def require_pg() -> None:
    reason = pg_available()
    if reason is None:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true and {reason}")
    pytest.skip(reason)


def require_redis() -> str:
    """The test Redis URL; skips (fails under CI=true) when Redis does not answer."""
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        reason = f"Redis not reachable at {REDIS_URL}: {exc.__class__.__name__}: {exc}"
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true and {reason}")
        pytest.skip(reason)
    return REDIS_URL


def create_pg_database() -> str:
    """Create an empty database; returns its URL."""
    name = f"bando_test_{uuid.uuid4().hex[:12]}"
    with _pg_admin().connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    return make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False)


def drop_pg_database(url: str) -> None:
    name = make_url(url).database
    with _pg_admin().connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def _migrated(url: str) -> Engine:
    engine = make_engine(url)
    upgrade(engine)
    return engine


@contextmanager
def backend_url(backend: str, folder: Path) -> Iterator[str]:
    """URL of a fresh, empty (not migrated) database: "sqlite" (a file in `folder`) or
    "postgresql" (created here, dropped on leaving)."""
    if backend == "sqlite":
        yield f"sqlite:///{folder / 'test.sqlite3'}"
        return
    require_pg()
    url = create_pg_database()
    try:
        yield url
    finally:
        drop_pg_database(url)


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """URL of a fresh, empty (not migrated) database on each backend."""
    with backend_url(request.param, tmp_path) as url:
        yield url


@pytest.fixture
def db_engine(db_url: str) -> Iterator[Engine]:
    """A migrated, empty database on each backend."""
    engine = _migrated(db_url)
    try:
        yield engine
    finally:
        engine.dispose()
