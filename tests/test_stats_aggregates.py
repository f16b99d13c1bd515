"""agency_month_stats maintenance as the KPI queries rely on it: the incremental path
(aggregates.apply_changes) and a full rebuild give the same table."""

from __future__ import annotations

import random

from sqlalchemy import select

from db.schema import agency_month_stats
from dossier_stats import aggregates
from tests.test_stats_kpis import insert_dossiers, insert_registry
from tests.test_stats_raw import change_some, random_dossiers


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
    rng = random.Random(11)
    with db_engine.begin() as conn:
        ids = insert_registry(conn)
        rows = random_dossiers(rng, ids, 300)
        insert_dossiers(conn, rows)
        change_some(conn, rng, rows, ids)
    with db_engine.connect() as conn:
        incremental = monthly_table(conn)
    assert len(incremental) > 50
    with db_engine.begin() as conn:
        aggregates.rebuild(conn, batch_size=64)  # several batches
    with db_engine.connect() as conn:
        assert monthly_table(conn) == incremental
