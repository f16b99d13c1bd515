"""Schema migrations with Alembic, run programmatically (`upgrade(engine)`).

Alembic because the schema must evolve on deployed PostgreSQL databases as the
statistics and scoring issues add tables; the same scripts run on SQLite
(batch mode) so the embedded default follows the same path.
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


def upgrade(engine: Engine, revision: str = "head") -> None:
    command.upgrade(alembic_config(engine), revision)
