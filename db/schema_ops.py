"""Tables of the running system itself (issue 12), on db.schema.metadata.

- `deployment`: one row, a random identity created with the schema. Caches shared between
  processes and machines (Redis) are namespaced by it, so that two deployments using one
  Redis never read each other's values, and a database rebuilt from nothing starts with a
  cache of its own.
"""

from __future__ import annotations

from sqlalchemy import Column, DateTime, Integer, String, Table

from db.schema import metadata

DEPLOYMENT_ROW = 1

deployment = Table(
    "deployment",
    metadata,
    Column("id", Integer, primary_key=True),  # always DEPLOYMENT_ROW
    Column("instance_id", String(36), nullable=False),  # uuid4, hex with dashes
    Column("created_at", DateTime, nullable=False),
)
