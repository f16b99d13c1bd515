"""The overdue list's fast path (issue 12's load benchmark) against the direct count, on both
backends: its total read from the monthly aggregates counted to the day (asof.py), its pages
read part by part in the page's order up to the page's end — for days before, on and after
"today", month ends and days inside a month, and through DetailsService for a finished
month, the running month and quarter, and a period not begun."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import Connection, and_, func, not_, select

from db.schema import dossiers
from dossier_stats.asof import PeriodNotStarted
from dossier_stats.bieu06.query import OPEN_SQL, bieu06_report
from dossier_stats.bieu06.unit import ReportUnit, resolve_unit
from dossier_stats.details import DetailsService
from dossier_stats.overdue import SORT_KEYS, overdue_dossiers, overdue_total
from dossier_stats.periods import Period
from tests.test_bieu06_properties import a_dossier, database_examples, replace_dossiers

LEVEL_CODES = [None, "502", "503", "20341", "SNV", "STC"]
TODAY = date(2025, 1, 20)  # inside the random data's two months: events before and after it


def direct_overdue(conn: Connection, unit: ReportUnit, day: date) -> list[str]:
    """The rule read straight from every dossier (no index, no aggregate): counted (not 1, 3),
    not paused (5, 6, 8), received by `day`, not ended by it (7, 9, 10 with an end date on or
    before it), deadline (due date, else reception day) before it."""
    d = dossiers.c
    ids = unit.agency_ids()
    ended = and_(d.status.in_([7, 9, 10]), d.finished_on.is_not(None), d.finished_on <= day)
    query = select(d.dossier_code).where(
        d.status.not_in([1, 3, 5, 6, 8]),
        d.received_on <= day,
        not_(ended),
        func.coalesce(d.due_on, d.received_on) < day,
        *([] if ids is None else [d.agency_id.in_(ids)]),
    )
    return sorted(conn.execute(query).scalars())


@database_examples(20)
@given(specs=st.lists(a_dossier(), min_size=1, max_size=40), day_offset=st.integers(-5, 70))
def test_the_total_and_every_page_equal_the_direct_count(db_engine, specs, day_offset):
    """Any day from before the data to after it (month ends included: 31/01, 28/02): the total
    from the aggregates equals the direct count and Biểu 06's column 13; the rows of the
    whole list are the direct ones; pages of 3 in every order are slices of the whole list."""
    replace_dossiers(db_engine, specs)
    day = date(2025, 1, 1) + timedelta(days=day_offset)
    with db_engine.connect() as conn:
        for code in LEVEL_CODES:
            unit = resolve_unit(conn, code)
            expected = direct_overdue(conn, unit, day)
            assert overdue_total(conn, unit, day) == len(expected), (code, day)
            report = bieu06_report(conn, min(day, date(2025, 1, 1)), day, unit)
            assert report.total.pending_overdue == len(expected), (code, day)
            whole = overdue_dossiers(conn, unit, day, limit=None)
            assert sorted(r.dossier_code for r in whole.rows) == expected
            assert whole.total == len(expected)
        unit = resolve_unit(conn, None)
        for sort in SORT_KEYS:
            for descending in (False, True):
                ordered = overdue_dossiers(conn, unit, day, sort=sort, descending=descending, limit=None)
                for offset in (0, 2, 5):
                    page = overdue_dossiers(
                        conn, unit, day, sort=sort, descending=descending, limit=3, offset=offset
                    )
                    assert page.rows == ordered.rows[offset : offset + 3], (sort, descending, offset)


@pytest.fixture
def random_month(db_engine):
    """120 random dossiers received from December 2024 to February 2025 (seeded)."""
    rng = random.Random(1212)
    labels = ["SNV", "STC_v1", "D502", "D503", "OLD_20335", "OLD_20338", "NEW_20341"]
    specs = []
    for i in range(120):
        received = date(2024, 12, 1) + timedelta(days=rng.randint(0, 80))
        status = rng.choice([2, 4, 4, 5, 7, 8, 9, 10, 10, 10])
        finished = received + timedelta(days=rng.randint(0, 40)) if status in (7, 9, 10) else None
        specs.append(
            {
                "label": labels[i % len(labels)],
                "status": status,
                "channel": rng.choice([1, 2, 3]),
                "received": received,
                "due": None if i % 9 == 0 else received + timedelta(days=rng.randint(0, 15)),
                "finished": finished,
                "sector": None,
            }
        )
    replace_dossiers(db_engine, specs)
    return db_engine


def test_the_tab_counts_a_finished_a_running_and_a_future_period_as_the_direct_count(random_month):
    service = DetailsService(random_month, "49", today=lambda: TODAY)
    cases = {
        Period("month", 2024, 12): date(2024, 12, 31),  # finished
        Period("month", 2025, 1): TODAY,  # running: counted to today
        Period("quarter", 2025, 1): TODAY,  # running quarter
    }
    with random_month.connect() as conn:
        for period, day in cases.items():
            for code in LEVEL_CODES:
                expected = direct_overdue(conn, resolve_unit(conn, code), day)
                page = service.overdue_page(code, period, "days_overdue", True, 0, 50)
                assert (page.as_of, page.total) == (day, len(expected)), (period.key, code)
                whole = overdue_dossiers(conn, resolve_unit(conn, code), day, limit=None)
                assert sorted(r.dossier_code for r in whole.rows) == expected
                assert page.rows == whole.rows[:50]
        assert any(direct_overdue(conn, resolve_unit(conn, None), day) for day in cases.values())
    with pytest.raises(PeriodNotStarted):
        service.overdue_page(None, Period("month", 2025, 2), "days_overdue", True, 0, 50)


def test_the_overdue_list_index_has_the_open_dossier_predicate():
    """PostgreSQL uses a partial index only for a query whose text implies its predicate."""
    index = next(i for i in dossiers.indexes if i.name == "ix_dossiers_open_deadline")
    for dialect in ("postgresql", "sqlite"):
        assert str(index.dialect_options[dialect]["where"]) == OPEN_SQL
