"""The grouped-SQL contributions (PostgreSQL) equal the Python rules on random facts.

dossier_stats.sql_contributions is the importer's set-based twin of
rules.monthly_contributions and index766.facts.accumulate (through AggregateBuffer.add);
the facts here include what the importer never lets through (deadlines before
reception, negative supplement days, ends without dates), so every branch of the
rules is compared, not only the common ones.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, delete, insert, select

from db.schema_stats import dossier_facts
from dossier_stats.aggregates import AggregateBuffer
from dossier_stats.index766.aggregates import nonzero
from dossier_stats.index766.facts import Facts
from dossier_stats.sql_contributions import add_contributions
from tests.conftest import _migrated, create_pg_database, drop_pg_database, require_pg


@pytest.fixture(scope="module")
def pg_engine() -> Iterator[Engine]:
    require_pg()
    url = create_pg_database()
    engine = _migrated(url)
    try:
        yield engine
    finally:
        engine.dispose()
        drop_pg_database(url)


# Dates near month ends and near one another, so that "same day", "one day later" and
# "next month" all happen often (days from 2025-01-20; deadlines and ends a few days apart).
START = date(2025, 1, 20)


@st.composite
def facts_strategy(draw: st.DrawFn) -> Facts:
    def near(base: date | None, low: int, high: int) -> date | None:
        if base is None or draw(st.integers(0, 9)) == 0:
            return None
        return base + timedelta(days=draw(st.integers(low, high)))

    received = near(START, 0, 45)
    return Facts(
        dossier_code="",  # numbered by the test
        agency_id=draw(st.sampled_from([1, 2])),
        procedure_code=draw(st.sampled_from(["P1", "P2"])),
        status=draw(st.integers(1, 10)),
        channel=draw(st.integers(1, 3)),
        received_on=received,
        due_on=(due := near(received or START, -2, 12)),
        finished_on=near(due or received or START, -2, 4),
        supplement_count=draw(st.integers(0, 3)),
        supplement_days=draw(st.sampled_from([0.0, 0.5, 1.0, 1.5, 2.5, -1.0, -0.5, 40_000.0])),
        online_offered=draw(st.booleans()),
        has_fee=draw(st.booleans()),
        paid_online=draw(st.booleans()),
        e_result=draw(st.booleans()),
        digitized=draw(st.booleans()),
        reused_data=draw(st.booleans()),
        unsatisfied=draw(st.booleans()),
    )


def _tables(buffer: AggregateBuffer) -> tuple[dict, dict, dict]:
    return nonzero(buffer.stats), nonzero(buffer.months), nonzero(buffer.procedures)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(facts_strategy(), min_size=1, max_size=40))
def test_sql_contributions_equal_the_python_rules(pg_engine, drawn):
    facts = [f._replace(dossier_code=f"D{i}") for i, f in enumerate(drawn)]
    expected = AggregateBuffer()
    expected.add((), facts)
    got = AggregateBuffer()
    with pg_engine.begin() as conn:
        conn.execute(delete(dossier_facts))
        conn.execute(insert(dossier_facts), [f._asdict() for f in facts])
        add_contributions(conn, select(dossier_facts), got)
    assert _tables(got) == _tables(expected)


def test_a_pending_dossier_past_its_deadline_moves_from_within_to_overdue(pg_engine):
    pending = Facts(
        "P",
        1,
        "P1",
        status=4,
        channel=2,
        received_on=date(2025, 1, 20),
        due_on=date(2025, 2, 10),
        finished_on=None,
    )
    got = AggregateBuffer()
    with pg_engine.begin() as conn:
        conn.execute(delete(dossier_facts))
        conn.execute(insert(dossier_facts), [pending._asdict()])
        add_contributions(conn, select(dossier_facts), got)
    stats = nonzero(got.stats)
    assert stats[(1, 202501)]["received_online"] == 1
    assert stats[(1, 202501)]["d_pending_within"] == 1
    assert stats[(1, 202502)]["d_pending_within"] == -1
    assert stats[(1, 202502)]["d_pending_overdue"] == 1
