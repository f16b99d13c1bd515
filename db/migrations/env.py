"""Alembic environment: the engine comes from db.migrate (config.attributes), or DATABASE_URL."""

from __future__ import annotations

from alembic import context

from config import Settings
from db.engine import make_engine
from db.models import metadata

config = context.config
engine = config.attributes.get("engine") or make_engine(Settings.from_env().database_url)

with engine.begin() as connection:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    context.run_migrations()
