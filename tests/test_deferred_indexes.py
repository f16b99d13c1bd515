"""Bulk loads without the secondary indexes of `dossiers`: the same data and aggregates as
an import that maintains them, the indexes back exactly as they were — after success,
after a failure half-way, and after a load killed before it could rebuild them."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import func, select

from db.schema import deferred_indexes, dossiers
from importer import deferred_indexes as deferral
from importer.csv_source import FileRejected
from importer.dossiers import import_dossiers
from importer.refresh import refresh
from tests.import_fixtures import dossier, generated_rows, write_dossiers
from tests.test_import_dossiers import assert_aggregates_match_dossiers

NOW = datetime(2026, 1, 15, 10, 0)


@pytest.fixture
def registry_engine(registry_db):
    return registry_db


def definitions(engine) -> dict[str, str]:
    with engine.connect() as conn:
        return deferral.secondary_indexes(conn)


def saved(engine) -> list[str]:
    with engine.connect() as conn:
        return list(conn.execute(select(deferred_indexes.c.name)).scalars())


def table_rows(engine) -> list[tuple]:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(select(dossiers).order_by(dossiers.c.dossier_code))]


def test_the_schema_has_secondary_indexes_to_defer(registry_engine):
    names = set(definitions(registry_engine))
    assert {"ix_dossiers_updated_at", "ix_dossiers_received_finished", "ix_dossiers_open_received"} <= names
    assert not any("pk" in name or "unique" in name.lower() for name in names)


def test_a_deferred_load_stores_what_a_maintained_one_does_and_rebuilds_the_indexes(
    registry_engine, tmp_path
):
    before = definitions(registry_engine)
    rows, _ = generated_rows(300, bad_every=17)
    first = write_dossiers(tmp_path / "a.csv", rows[:200])
    # the second file updates and repeats codes of the first: the row-by-row path too
    later = [dict(r, handler_id="CB999", updated_at="2026-01-10T00:00:00") for r in rows[150:250]]
    second = write_dossiers(tmp_path / "b.csv", [*later, *rows[250:], rows[260], rows[10]])

    summary = import_dossiers(registry_engine, [first, second], now=NOW, defer_indexes=True)

    assert summary.deferral is not None
    assert summary.inserted > 0 and summary.updated > 0 and summary.unchanged > 0 and summary.quarantined > 0
    assert summary.repeats > 0
    assert sorted(summary.deferral.names) == sorted(before)
    assert "chỉ mục phụ" in summary.format_vi()
    assert definitions(registry_engine) == before
    assert saved(registry_engine) == []
    assert_aggregates_match_dossiers(registry_engine)
    deferred_rows = table_rows(registry_engine)

    # the same files into an emptied database, indexes maintained
    with registry_engine.begin() as conn:
        for table in ("quarantine", "import_runs", "dossier_facts", "agency_month_stats", "dossiers"):
            conn.exec_driver_sql(f"DELETE FROM {table}")
    maintained = import_dossiers(registry_engine, [first, second], now=NOW, defer_indexes=False)
    assert maintained.deferral is None
    assert (
        maintained.inserted,
        maintained.updated,
        maintained.unchanged,
        maintained.repeats,
        maintained.quarantined,
    ) == (summary.inserted, summary.updated, summary.unchanged, summary.repeats, summary.quarantined)
    assert [r[:-1] for r in table_rows(registry_engine)] == [r[:-1] for r in deferred_rows]  # but imported_at


def test_indexes_come_back_when_a_file_is_malformed_half_way(registry_engine, tmp_path):
    before = definitions(registry_engine)
    good = write_dossiers(tmp_path / "good.csv", [dossier("H1")])
    bad = write_dossiers(tmp_path / "bad.csv", [dossier("H2"), dossier("H3")])
    with bad.open("a", encoding="utf-8") as fh:
        fh.write('X1,"' + "x" * 200_000 + "\n")  # a quote never closed: the rest cannot be read

    with pytest.raises(FileRejected):
        import_dossiers(registry_engine, [good, bad], now=NOW, defer_indexes=True)

    assert definitions(registry_engine) == before
    assert saved(registry_engine) == []
    with registry_engine.connect() as conn:
        assert list(conn.execute(select(dossiers.c.dossier_code)).scalars()) == ["H1"]


def test_the_next_import_rebuilds_what_a_killed_load_left_dropped(registry_engine, tmp_path):
    before = definitions(registry_engine)
    dropped = deferral.drop(registry_engine, NOW)  # a load that then died
    assert sorted(dropped) == sorted(before)
    assert definitions(registry_engine) == {}
    assert sorted(saved(registry_engine)) == sorted(before)

    path = write_dossiers(tmp_path / "d.csv", [dossier("H1")])
    summary = import_dossiers(registry_engine, [path], now=NOW, defer_indexes=False)

    assert summary.inserted == 1
    assert definitions(registry_engine) == before
    assert saved(registry_engine) == []


def test_restore_leaves_an_index_rebuilt_meanwhile_and_forgets_it(registry_engine):
    before = definitions(registry_engine)
    deferral.drop(registry_engine, NOW)
    name, definition = next(iter(before.items()))
    with registry_engine.begin() as conn:
        conn.exec_driver_sql(definition)  # e.g. rebuilt by hand

    rebuilt = deferral.restore(registry_engine)

    assert sorted(rebuilt) == sorted(set(before) - {name})
    assert definitions(registry_engine) == before
    assert saved(registry_engine) == []


@pytest.mark.parametrize(
    ("incoming", "stored", "expected"),
    [
        (deferral.MIN_RECORDS - 1, 0, False),  # too small to be worth a rebuild
        (deferral.MIN_RECORDS, 0, True),
        (deferral.MIN_RECORDS, deferral.MIN_RECORDS, True),
        (deferral.MIN_RECORDS, deferral.MIN_RECORDS + 1, False),  # the table is bigger
        (10_000_000, 9_999_999, True),
    ],
)
def test_when_a_load_defers_the_indexes(incoming, stored, expected):
    assert deferral.should_defer(incoming, stored) is expected


def test_stored_rows_are_counted_up_to_the_limit(registry_engine, tmp_path):
    path = write_dossiers(tmp_path / "d.csv", [dossier(f"H{i}") for i in range(5)])
    import_dossiers(registry_engine, [path], now=NOW)
    with registry_engine.connect() as conn:
        assert deferral.stored_rows_up_to(conn, 3) == 3
        assert deferral.stored_rows_up_to(conn, 10) == 5
        assert conn.execute(select(func.count()).select_from(dossiers)).scalar_one() == 5


def test_a_load_smaller_than_the_table_keeps_its_indexes(registry_engine, tmp_path, monkeypatch):
    """Issue 12's load benchmark: 200,000 dossiers imported into 10,000,000 dropped and rebuilt
    every index of the table while the map was read. Here 3 records into a table of 5 (the
    threshold lowered to 3): the indexes stay; 5 into 5 defer them."""
    from importer import dossiers as dossier_import

    path = write_dossiers(tmp_path / "a.csv", [dossier(f"H{i}") for i in range(5)])
    import_dossiers(registry_engine, [path], now=NOW)
    monkeypatch.setattr(deferral, "MIN_RECORDS", 3)
    assert dossier_import._big_load(registry_engine, 3) is False
    assert dossier_import._big_load(registry_engine, 5) is True
    assert dossier_import._big_load(registry_engine, 2) is False  # below the threshold


def test_small_imports_keep_their_indexes(registry_engine, tmp_path):
    path = write_dossiers(tmp_path / "d.csv", [dossier("H1")])
    summary = import_dossiers(registry_engine, [path], now=NOW)
    assert summary.deferral is None


def test_refresh_rebuilds_what_a_killed_load_left_dropped(registry_engine):
    before = definitions(registry_engine)
    deferral.drop(registry_engine, NOW)  # a load that then died

    summary = refresh(registry_engine, now=NOW)

    assert sorted(summary.indexes_rebuilt) == sorted(before)
    # the four of the reports, the open-due index of migration asof_0001, the overdue list's of asof_0002
    assert len(before) == 6
    assert "Đã dựng lại 6 chỉ mục" in summary.format_vi()
    assert definitions(registry_engine) == before
    assert saved(registry_engine) == []


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
def test_a_running_load_is_left_alone_and_rebuilds_at_its_end(registry_engine, tmp_path):
    """While a deferred load holds its lock, an import or a refresh beside it does not
    rebuild the indexes under it (a CREATE INDEX would wait for it and then hold it up)."""
    before = definitions(registry_engine)
    with deferral.deferred(registry_engine, NOW) as running:
        assert definitions(registry_engine) == {}
        assert deferral.restore_abandoned(registry_engine) == []
        assert refresh(registry_engine, now=NOW).indexes_rebuilt == []
        path = write_dossiers(tmp_path / "d.csv", [dossier("H1")])
        assert import_dossiers(registry_engine, [path], now=NOW).inserted == 1
        assert definitions(registry_engine) == {}
    assert sorted(running.names) == sorted(before)
    assert definitions(registry_engine) == before
    # the lock is released: a later load can take it, and nothing is left to rebuild
    assert deferral.restore_abandoned(registry_engine) == []
    with deferral.deferred(registry_engine, NOW):
        pass
    assert definitions(registry_engine) == before
