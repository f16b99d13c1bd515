"""The aggregate-based KPIs equal a direct scan of the dossiers (raw.py) on random data.

A few hundred seeded random dossiers at the hand-built registry of test_stats_kpis
(valid data: received <= due, received <= finished, agency valid on reception), some
of them later changed the way a re-import changes them (resolved, moved, re-dated).
"""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest
from sqlalchemy import Engine

from dossier_stats import kpis, raw
from dossier_stats.periods import Period
from tests.test_stats_kpis import AGENCIES, dossier_row, insert_dossiers, insert_registry, update_dossier

FIRST_DAY, LAST_DAY = date(2024, 10, 1), date(2025, 12, 31)
STATUS_WEIGHTS = {1: 2, 2: 4, 3: 2, 4: 10, 5: 3, 6: 2, 7: 3, 8: 2, 9: 20, 10: 20}
PERIODS = [
    *(Period.parse(k) for k in ("2024-12", "2025-01", "2025-03", "2025-06", "2025-07", "2025-10", "2025-12")),
    Period.parse("2026-01"),
    *(Period.parse(k) for k in ("2024-Q4", "2025-Q1", "2025-Q3", "2024", "2025")),
]


def random_day(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randint(0, (last - first).days))


def random_dossiers(rng: random.Random, ids: dict[str, int], n: int) -> list[dict]:
    rows = []
    labels = list(AGENCIES)
    for i in range(n):
        label = rng.choice(labels)
        spec = AGENCIES[label]
        first = max(FIRST_DAY, spec["valid_from"])
        last = min(LAST_DAY, spec["valid_to"] or LAST_DAY)
        status = rng.choices(list(STATUS_WEIGHTS), weights=list(STATUS_WEIGHTS.values()))[0]
        received = (
            None if status == 1 or (status == 3 and rng.random() < 0.5) else random_day(rng, first, last)
        )
        due = None if received is None else received + timedelta(days=rng.randint(0, 45))
        finished = None
        if received is not None and (status in (7, 9, 10) or (status == 8 and rng.random() < 0.5)):
            finished = received + timedelta(days=rng.randint(0, 70))
        channel = rng.choice((1, 2, 2, 3))
        rows.append(
            dossier_row(f"r{i:04d}", ids[label], spec["code"], status, channel, received, due, finished)
        )
    return rows


def change_some(conn, rng: random.Random, rows: list[dict], ids: dict[str, int]) -> None:
    """What later imports do: resolve pending dossiers, move one to another agency, re-date one."""
    pending = [r for r in rows if r["status"] in (2, 4, 5, 6)]
    for r in rng.sample(pending, k=min(40, len(pending))):
        finished = r["received_on"] + timedelta(days=rng.randint(0, 90))
        status = rng.choice((7, 9, 10))
        update_dossier(conn, r["dossier_code"], status=status, finished_on=finished)
    counted = [r for r in rows if r["received_on"] is not None and r["status"] not in (1, 3)]
    for r in rng.sample(counted, k=20):
        candidates = [
            label
            for label, spec in AGENCIES.items()
            if spec["valid_from"] <= r["received_on"] <= (spec["valid_to"] or LAST_DAY)
        ]
        label = rng.choice(candidates)
        update_dossier(
            conn,
            r["dossier_code"],
            agency_id=ids[label],
            agency_code=AGENCIES[label]["code"],
            due_on=r["received_on"] + timedelta(days=rng.randint(0, 30)),
            channel=rng.choice((1, 2, 3)),
        )


def random_history(engine: Engine, seed: int, n: int) -> None:
    """The registry and `n` random dossiers, some of them changed afterwards (the
    incremental path of the aggregates at work)."""
    rng = random.Random(seed)
    with engine.begin() as conn:
        ids = insert_registry(conn)
        rows = random_dossiers(rng, ids, n)
        insert_dossiers(conn, rows)
        change_some(conn, rng, rows, ids)


def every_listing(conn, period: Period, source) -> dict:
    return {
        "province": kpis.province_kpis(conn, period, source=source),
        "districts": kpis.district_kpis(conn, period, source=source),
        "departments": kpis.department_kpis(conn, period, source=source),
        "unmapped": kpis.unmapped_kpis(conn, period, source=source),
        **{
            f"communes {dc}": kpis.commune_kpis(conn, period, dc, source=source)
            for dc in ("502", "503", "504")
        },
    }


@pytest.mark.parametrize("seed", [7, 2025])
def test_aggregate_kpis_equal_a_raw_scan_of_random_dossiers(db_engine, seed):
    random_history(db_engine, seed, 400)
    with db_engine.connect() as conn:
        province_total = kpis.province_kpis(conn, Period.parse("2025"))
        assert province_total.received_new > 250  # the data really reaches the queries
        for period in PERIODS:
            aggregated = every_listing(conn, period, kpis.monthly_source)
            assert aggregated == every_listing(conn, period, raw.dossier_scan), period.key
            assert raw.raw_province_kpis(conn, period) == aggregated["province"]
            for name, listing in aggregated.items():
                for unit in listing if isinstance(listing, list) else []:
                    k = unit.kpis
                    assert k.received_total == k.resolved_total + k.pending_total, (
                        period.key,
                        name,
                        unit.code,
                    )
