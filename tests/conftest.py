"""Shared fixtures: a migrated database on SQLite and on a real PostgreSQL.

`db_engine` is parametrised over both backends, so every data-layer test runs twice.
PostgreSQL is reached at TEST_PG_ADMIN_URL (default: the machine's server at
127.0.0.1:5432, trust auth); each test session creates and drops its own databases.
Without a reachable server the PostgreSQL variants skip with the reason — except
under CI=true, where that is a failure. Redis likewise, at TEST_REDIS_URL (default
redis://127.0.0.1:6379/0): the tests write only under namespaces of their own.

Databases in a known state (migrated; migrated with the shipped registry) are built once per
test session as templates and copied for each test (`template_url`): a SQLite file copy, a
PostgreSQL `CREATE DATABASE … TEMPLATE`. A copy is the very database the steps would have
built; running Alembic and the registry import once per test cost seconds each.
"""

from __future__ import annotations

import os
import queue
import shutil
import tempfile
import threading
import uuid
from collections.abc import Callable, Iterator
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


def create_pg_database(template: str | None = None) -> str:
    """Create an empty database (or a copy of the database `template`); returns its URL."""
    name = f"bando_test_{uuid.uuid4().hex[:12]}"
    copy_of = f' TEMPLATE "{template}"' if template else ""
    with _pg_admin().connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"{copy_of}'))
    return make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False)


def drop_pg_database(url: str) -> None:
    name = make_url(url).database
    with _pg_admin().connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


class _Dropper:
    """Drops the tests' PostgreSQL databases in a thread of its own: a DROP DATABASE takes a
    second or more (it waits for a checkpoint), which the next test need not wait for. The
    session waits for every drop at its end (pytest_sessionfinish)."""

    def __init__(self) -> None:
        self.queue: queue.Queue[str] = queue.Queue()
        self.thread: threading.Thread | None = None
        self.errors: list[str] = []

    def drop(self, url: str) -> None:
        if self.thread is None:
            self.thread = threading.Thread(target=self._run, name="pg-dropper", daemon=True)
            self.thread.start()
        self.queue.put(url)

    def _run(self) -> None:
        while True:
            url = self.queue.get()
            try:
                drop_pg_database(url)
            except Exception as exc:
                self.errors.append(f"{make_url(url).database}: {exc.__class__.__name__}: {exc}")
            finally:
                self.queue.task_done()

    def wait(self) -> list[str]:
        """Every queued drop done; the errors met."""
        self.queue.join()
        return self.errors


_dropper = _Dropper()


def _migrated(url: str) -> Engine:
    engine = make_engine(url)
    upgrade(engine)
    return engine


def _load_registry(engine: Engine) -> None:
    from tests.import_fixtures import load_registry

    upgrade(engine)
    load_registry(engine)


# template name -> what builds it on an empty database (a test module may add its own)
TEMPLATE_STEPS: dict[str, Callable[[Engine], None]] = {"migrated": upgrade, "registry": _load_registry}
_templates: dict[tuple[str, str], str] = {}  # (backend, template) -> SQLite file path / PG database name
_template_dir: list[Path] = []


def _template(backend: str, template: str) -> str:
    """The session's template `template` on `backend`, built on first use."""
    key = (backend, template)
    if key in _templates:
        return _templates[key]
    if backend == "sqlite":
        if not _template_dir:
            _template_dir.append(Path(tempfile.mkdtemp(prefix="bando-templates-")))
        path = _template_dir[0] / f"{template}.sqlite3"
        engine = make_engine(f"sqlite:///{path}")
        TEMPLATE_STEPS[template](engine)
        with engine.connect() as conn:  # everything in the main file: a copy of it is whole
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        engine.dispose()
        _templates[key] = str(path)
    else:
        url = create_pg_database()
        engine = make_engine(url)
        try:
            TEMPLATE_STEPS[template](engine)
        finally:
            engine.dispose()
        name = make_url(url).database
        with _pg_admin().connect() as conn:  # no session may stay in a template being copied
            conn.execute(text(f'ALTER DATABASE "{name}" WITH ALLOW_CONNECTIONS false'))
        _templates[key] = name
    return _templates[key]


def pytest_sessionfinish(session: pytest.Session) -> None:
    """Wait for the tests' databases to be dropped, then drop the session's templates."""
    for error in _dropper.wait():
        print(f"\nPostgreSQL test database not dropped: {error}")
    for (backend, _), name in list(_templates.items()):
        if backend == "postgresql":
            drop_pg_database(make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False))
    _templates.clear()
    for folder in _template_dir:
        shutil.rmtree(folder, ignore_errors=True)
    _template_dir.clear()


@contextmanager
def template_url(backend: str, folder: Path, template: str) -> Iterator[str]:
    """URL of a fresh copy of the session's template database `template` (TEMPLATE_STEPS):
    "sqlite" (a file in `folder`) or "postgresql" (created here, dropped on leaving)."""
    if backend == "sqlite":
        target = folder / "test.sqlite3"
        shutil.copyfile(_template(backend, template), target)
        yield f"sqlite:///{target}"
        return
    require_pg()
    url = create_pg_database(_template(backend, template))
    try:
        yield url
    finally:
        _dropper.drop(url)


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
        _dropper.drop(url)


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest) -> str:
    """Each backend in turn (`parametrize("backend", ["postgresql"], indirect=True)` for one)."""
    return request.param


@pytest.fixture
def db_url(backend: str, tmp_path: Path) -> Iterator[str]:
    """URL of a fresh, empty (not migrated) database on each backend."""
    with backend_url(backend, tmp_path) as url:
        yield url


@contextmanager
def template_engine(backend: str, folder: Path, template: str) -> Iterator[Engine]:
    """An engine on a fresh copy of the template (template_url), disposed on leaving."""
    with template_url(backend, folder, template) as url:
        engine = make_engine(url)
        try:
            yield engine
        finally:
            engine.dispose()


@pytest.fixture
def db_engine(backend: str, tmp_path: Path) -> Iterator[Engine]:
    """A migrated, empty database on each backend (a copy of the session's migrated template)."""
    with template_engine(backend, tmp_path, "migrated") as engine:
        yield engine


@pytest.fixture
def registry_db(backend: str, tmp_path: Path) -> Iterator[Engine]:
    """A migrated database on each backend with the shipped registry loaded
    (tests.import_fixtures.load_registry), copied from the session's template."""
    with template_engine(backend, tmp_path, "registry") as engine:
        yield engine
