"""The schema `upgrade(heads)` builds, as text, on SQLite and PostgreSQL — to check that a
change to the migrations (e.g. a shared helper) leaves what they create byte for byte the same.

    .venv/bin/python -m tests.schema_dump DIR     # writes DIR/sqlite.sql and DIR/postgresql.sql

Dump before and after the change, then `diff -r BEFORE AFTER`. SQLite: every statement of
sqlite_master by type and name (batch mode reuses rowids); PostgreSQL: `pg_dump --schema-only` (its per-run
\\restrict key removed); both end with the alembic_version rows.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url

from db.engine import make_engine
from db.migrate import upgrade
from tests.conftest import create_pg_database, drop_pg_database


def _versions(engine: Engine) -> list[str]:
    with engine.connect() as conn:
        return [
            f"-- alembic_version {row[0]}"
            for row in conn.execute(text("select version_num from alembic_version order by 1"))
        ]


def sqlite_schema(folder: Path) -> str:
    engine = make_engine(f"sqlite:///{folder / 'schema.sqlite3'}")
    try:
        upgrade(engine)
        with engine.connect() as conn:
            rows = conn.execute(
                text("select type, name, tbl_name, sql from sqlite_master order by type, name")
            ).all()
        lines = [f"-- {kind} {name} on {table}\n{sql};" for kind, name, table, sql in rows]
        return "\n".join(lines + _versions(engine)) + "\n"
    finally:
        engine.dispose()


def postgresql_schema() -> str:
    url = create_pg_database()
    engine = make_engine(url)
    try:
        upgrade(engine)
        parsed = make_url(url)
        host, port, user = parsed.host or "127.0.0.1", str(parsed.port or 5432), parsed.username or "postgres"
        command = [
            "pg_dump",
            "--schema-only",
            "--no-owner",
            "-h",
            host,
            "-p",
            port,
            "-U",
            user,
            parsed.database or "",
        ]
        dump = subprocess.run(command, check=True, capture_output=True, text=True).stdout
        kept = [line for line in dump.splitlines() if not line.startswith(("\\restrict", "\\unrestrict"))]
        return "\n".join(kept + _versions(engine)) + "\n"
    finally:
        engine.dispose()
        drop_pg_database(url)


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        (out / "sqlite.sql").write_text(sqlite_schema(Path(folder)), encoding="utf-8")
    (out / "postgresql.sql").write_text(postgresql_schema(), encoding="utf-8")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
