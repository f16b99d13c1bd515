"""Migration stats766_0006 (issue 16) on a database that already has dossiers, on SQLite and
PostgreSQL: the new column appears, the tables are marked for a rebuild, and the next
`refresh` recounts them under the default rule set (the hand-computed 2025-Q3 case)."""

from __future__ import annotations

from datetime import datetime

from alembic import command
from sqlalchemy import inspect, select, update

from db.migrate import alembic_config, upgrade
from db.schema_stats import refresh_state
from dossier_stats.index766.results import index766_for_agencies
from dossier_stats.periods import Period
from importer.dossiers import import_dossiers
from importer.refresh import refresh
from tests.import_fixtures import write_dossiers
from tests.test_index766_hand import DOSSIERS

NOW = datetime(2025, 10, 15, 12, 0)


def snv_counts(engine):
    with engine.connect() as conn:
        row = next(r for r in index766_for_agencies(conn, Period.parse("2025-Q3")) if r.code == "SNV")
    return row.counts.handled, row.counts.good, row.counts.unsatisfied_ok


def test_upgrading_a_database_with_dossiers_recounts_the_766_tables(registry_db, tmp_path):
    assert (
        import_dossiers(registry_db, [write_dossiers(tmp_path / "d.csv", DOSSIERS)], now=NOW).inserted == 38
    )
    # back to the revision before, as a database of the previous release
    command.downgrade(alembic_config(registry_db), "stats766_0006-1")
    assert "unsatisfied_ok" not in {c["name"] for c in inspect(registry_db).get_columns("agency_month_766")}
    with registry_db.begin() as conn:
        conn.execute(update(refresh_state).values(bootstrapped=True))
    upgrade(registry_db)
    assert "unsatisfied_ok" in {c["name"] for c in inspect(registry_db).get_columns("agency_month_766")}
    with registry_db.connect() as conn:
        assert conn.execute(select(refresh_state.c.bootstrapped)).scalar() is False
    # the column starts at 0 everywhere: until the rebuild, N21 is not counted
    assert snv_counts(registry_db) == (29, 24, 0)
    assert refresh(registry_db, now=NOW).bootstrapped
    assert snv_counts(registry_db) == (29, 24, 1)  # handled, good, N21 in time yet unsatisfied
