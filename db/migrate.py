"""Schema migrations with Alembic, run programmatically (`upgrade(engine)`).

Alembic because the schema must evolve on deployed PostgreSQL databases as the
statistics and scoring issues add tables; the same scripts run on SQLite
(batch mode) so the embedded default follows the same path.

Branches: a part that adds tables starts its revisions from "0001" with its own
`branch_labels` (e.g. ("stats",), ("scoring",)); `upgrade` goes to all heads.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine

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
