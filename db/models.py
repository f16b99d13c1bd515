"""Every table of the schema: importing this module registers them all on `metadata`.

Each part of the system that owns tables keeps them in its own `db/schema_*.py`
module built on `db.schema.metadata`, and is imported here.
"""

import db.schema_scoring  # noqa: F401
from db import (
    schema_accounts,  # noqa: F401
    schema_editions,  # noqa: F401
    schema_ops,  # noqa: F401
    schema_stats,  # noqa: F401
)
from db.schema import metadata

__all__ = ["metadata"]
