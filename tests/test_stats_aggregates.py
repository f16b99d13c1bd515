"""agency_month_stats maintenance as the KPI queries rely on it: the incremental path
(aggregates.apply_changes) and a full rebuild give the same table."""

from __future__ import annotations

from sqlalchemy import select

from db.schema import agency_month_stats
from dossier_stats import aggregates
from tests.test_stats_raw import random_history


def monthly_table(conn) -> dict:
    """agency_month_stats without its all-zero rows (what the incremental path may leave)."""
    rows = conn.execute(select(agency_month_stats)).mappings()
    out = {}
    for r in rows:
        values = {k: v for k, v in r.items() if k not in ("agency_id", "month")}
        if any(values.values()):
            out[(r["agency_id"], r["month"])] = values
    return out


def test_rebuild_recomputes_the_same_monthly_table_as_incremental_changes(db_engine):
    random_history(db_engine, 11, 300)
    with db_engine.connect() as conn:
        incremental = monthly_table(conn)
    assert len(incremental) > 50
    with db_engine.begin() as conn:
        aggregates.rebuild(conn, batch_size=64)  # several batches
    with db_engine.connect() as conn:
        assert monthly_table(conn) == incremental
