"""The deployment's identity (table `deployment`, created with the schema by migration ops_0001)."""

from __future__ import annotations

from sqlalchemy import Connection, select

from db.schema_ops import DEPLOYMENT_ROW, deployment


def deployment_id(conn: Connection) -> str:
    """The random identity of this database; LookupError when the schema lacks it."""
    value = conn.execute(
        select(deployment.c.instance_id).where(deployment.c.id == DEPLOYMENT_ROW)
    ).scalar_one_or_none()
    if value is None:
        raise LookupError("bảng deployment không có dòng định danh (chạy python cli.py setup)")
    return str(value)
