"""Schema migrations with Alembic, run programmatically (`upgrade(engine)`).

Alembic because the schema must evolve on deployed PostgreSQL databases as the
statistics and scoring issues add tables; the same scripts run on SQLite
(batch mode) so the embedded default follows the same path.

Branches: a part that adds tables starts its revisions from "0001" with its own
`branch_labels` (e.g. ("stats",), ("scoring",)); `upgrade` goes to all heads.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def alembic_config(engine: Engine) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.attributes["engine"] = engine
    return cfg


def upgrade(engine: Engine, revision: str = "heads") -> None:
    """Upgrade to every head: each part of the system (statistics, scoring) keeps its
    own branch of revisions starting from 0001, so parts evolve independently."""
    command.upgrade(alembic_config(engine), revision)


@lru_cache(maxsize=1)
def code_heads() -> frozenset[str]:
    """The head revision of every branch shipped with this code."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return frozenset(ScriptDirectory.from_config(cfg).get_heads())


def migration_problem(conn: Connection) -> str | None:
    """None when the database is at every head of the code (alembic_version), else what differs
    (for /readyz and the operators' log; the fix is `python cli.py setup`)."""
    current = set(MigrationContext.configure(conn).get_current_heads())
    heads = code_heads()
    if current == heads:
        return None
    if not current:
        return "database schema not created (no alembic_version)"
    behind = sorted(heads - current)
    unknown = sorted(current - heads)
    parts = [f"not at head {', '.join(behind)}"] if behind else []
    parts += [f"at revision {', '.join(unknown)} unknown to this code"] if unknown else []
    return "migrations: " + "; ".join(parts)
