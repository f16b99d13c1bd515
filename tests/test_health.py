"""/healthz and /readyz, the load balancer's two questions: is the process up (no database),
and can it serve (database reachable, schema at this code's migration heads)."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import text

from config import Settings
from db.engine import make_engine
from db.migrate import code_heads, upgrade
from tests.conftest import create_pg_database, drop_pg_database, require_pg, require_redis


def client_for(settings: Settings):
    from app import create_app

    return create_app(settings).server.test_client()


def test_a_migrated_database_is_ready(db_url, tmp_path):
    engine = make_engine(db_url)
    upgrade(engine)
    engine.dispose()
    client = client_for(Settings.from_env({"DATABASE_URL": db_url, "DATA_DIR": str(tmp_path)}))
    assert client.get("/healthz").status_code == 200
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.get_json() == {"status": "ready", "reason": None, "cache": "in-process"}
    assert ready.headers["Cache-Control"] == "no-store"


def test_a_database_behind_the_code_is_not_ready_and_says_which_head(db_url, tmp_path):
    engine = make_engine(db_url)
    upgrade(engine)
    with engine.begin() as conn:  # as if this release's newest migration had not been run
        conn.execute(text("DELETE FROM alembic_version WHERE version_num = 'ops_0001'"))
        conn.execute(text("INSERT INTO alembic_version (version_num) VALUES ('0001')"))
    engine.dispose()
    client = client_for(Settings.from_env({"DATABASE_URL": db_url, "DATA_DIR": str(tmp_path)}))
    ready = client.get("/readyz")
    assert ready.status_code == 503
    assert ready.get_json()["status"] == "unavailable"
    assert "not at head ops_0001" in ready.get_json()["reason"]
    assert client.get("/healthz").status_code == 200


def test_an_empty_database_is_not_ready(tmp_path):
    client = client_for(Settings.from_env({"DATABASE_URL": f"sqlite:///{tmp_path / 'new.sqlite3'}"}))
    ready = client.get("/readyz")
    assert ready.status_code == 503
    assert ready.get_json()["reason"] == "database schema not created (no alembic_version)"


def test_an_unreachable_database_is_not_ready_but_the_process_is_healthy(tmp_path):
    require_pg()
    url = create_pg_database()
    upgrade(make_engine(url))
    client = client_for(Settings.from_env({"DATABASE_URL": url, "DATA_DIR": str(tmp_path)}))
    assert client.get("/readyz").status_code == 200
    drop_pg_database(url)
    ready = client.get("/readyz")
    assert ready.status_code == 503
    assert ready.get_json()["reason"].startswith("database unreachable (")
    assert client.get("/healthz").get_data() == b"ok"


def test_readiness_names_the_shared_cache_and_its_outage_without_failing(db_url, tmp_path):
    redis_url = require_redis()
    upgrade(make_engine(db_url))
    base = Settings.from_env({"DATABASE_URL": db_url, "DATA_DIR": str(tmp_path)})
    assert client_for(replace(base, redis_url=redis_url)).get("/readyz").get_json()["cache"] == "redis"
    down = client_for(replace(base, redis_url="redis://127.0.0.1:1/0")).get("/readyz")
    assert down.status_code == 200
    assert down.get_json()["cache"].startswith("Redis at redis://127.0.0.1:1/0 unreachable")


def test_the_code_has_one_head_per_migration_branch():
    assert {"ops_0001"} <= code_heads()
    assert len(code_heads()) >= 3  # base/stats, scoring, ops
