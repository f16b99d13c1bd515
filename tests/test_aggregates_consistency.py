"""Every aggregate equals a recomputation from the raw dossiers after random imports,
updates, re-imports (through importer.dossiers.import_dossiers, CSVs written here) and
direct SQL changes followed by `refresh` — on SQLite and PostgreSQL.

Checked after each step (`assert_aggregates_consistent`):
- agency_month_stats, agency_month_766, agency_procedure_month equal the contributions
  of every stored dossier computed afresh (rules.monthly_contributions,
  index766.facts.month_contributions / procedure_contributions);
- the dossier_facts shadow holds exactly the facts of every stored dossier;
- read through the period queries, the KPIs equal a direct scan of the dossiers
  (raw.dossier_scan) and the 766 counts equal the independent date-comparison scan
  (index766.raw), for months, quarters and years around the data.
"""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, datetime, timedelta

from sqlalchemy import delete, insert, select, update

from db.schema import agencies, agency_month_stats, dossiers
from db.schema_stats import (
    MONTH_766_COLUMNS,
    PROCEDURE_MONTH_COLUMNS,
    agency_month_766,
    agency_procedure_month,
)
from dossier_stats import kpis, raw
from dossier_stats.aggregates import STAT_COLUMNS, deltas_for
from dossier_stats.index766.aggregates import load_facts
from dossier_stats.index766.facts import (
    DOSSIER_SOURCE_COLUMNS,
    facts_from_dossier,
    month_contributions,
    procedure_contributions,
)
from dossier_stats.index766.raw import raw_agency_counts
from dossier_stats.index766.results import agency_counts
from dossier_stats.periods import Period
from importer.dossiers import import_dossiers
from importer.refresh import refresh
from tests.import_fixtures import dossier, write_dossiers

OLD = ("SNV", "STP", "502", "509", "20335", "20338", "20341")  # valid all of 2024
NEW = ("SNV", "SYT", "20335", "20341", "20350")  # valid from 2025-07-01
PROCEDURES = ("P1", "P2", "P3", "P4", "P5")
PERIODS = [
    Period.parse(k)
    for k in (
        "2024-01",
        "2024-06",
        "2024-Q2",
        "2024-Q4",
        "2024",
        "2025-08",
        "2025-Q3",
        "2025-Q4",
        "2025",
        "2026",
    )
]


def nonzero_table(conn, table, keys, columns) -> dict:
    out = {}
    for r in conn.execute(select(table)).mappings():
        values = {c: r[c] for c in columns}
        if any(values.values()):
            out[tuple(r[k] for k in keys)] = values
    return out


def expected_766(facts) -> tuple[dict, dict]:
    """The two 766 tables summed from the reference generators of index766.facts."""
    months: dict = {}
    procedures: dict = {}
    for f in facts:
        for month, column, delta in month_contributions(f):
            row = months.setdefault((f.agency_id, month), dict.fromkeys(MONTH_766_COLUMNS, 0))
            row[column] += delta
        for code, month, column, delta in procedure_contributions(f):
            row = procedures.setdefault((f.agency_id, code, month), dict.fromkeys(PROCEDURE_MONTH_COLUMNS, 0))
            row[column] += delta
    nonzero = lambda table: {k: v for k, v in table.items() if any(v.values())}  # noqa: E731
    return nonzero(months), nonzero(procedures)


def assert_aggregates_consistent(engine) -> None:
    with engine.connect() as conn:
        rows = [
            dict(r._mapping) for r in conn.execute(select(*(dossiers.c[c] for c in DOSSIER_SOURCE_COLUMNS)))
        ]
        facts = [facts_from_dossier(r) for r in rows]
        assert nonzero_table(conn, agency_month_stats, ("agency_id", "month"), STAT_COLUMNS) == deltas_for(
            (), [f.base for f in facts]
        )
        months, procedures = expected_766(facts)
        assert nonzero_table(conn, agency_month_766, ("agency_id", "month"), MONTH_766_COLUMNS) == months
        procedure_table = nonzero_table(
            conn, agency_procedure_month, ("agency_id", "procedure_code", "month"), PROCEDURE_MONTH_COLUMNS
        )
        assert procedure_table == procedures
        shadow = load_facts(conn, [f.dossier_code for f in facts])
        assert shadow == {f.dossier_code: f for f in facts}
        for period in PERIODS:
            assert kpis.province_kpis(conn, period) == raw.raw_province_kpis(conn, period), period.key
            assert kpis.district_kpis(conn, period) == raw.raw_district_kpis(conn, period), period.key
            from_tables = {a: c for a, c in agency_counts(conn, period).items() if any(vars(c).values())}
            # full_received* are counted by the direct scan only (the portal-table splits)
            scanned = {
                a: c
                for a, c in (
                    (a, replace(c, full_received=0, full_received_online=0))
                    for a, c in raw_agency_counts(conn, period).items()
                )
                if any(vars(c).values())
            }
            assert from_tables == scanned, period.key


def random_row(rng: random.Random, code: str, version: int = 0) -> dict[str, str]:
    new_period = rng.random() < 0.5
    agency = rng.choice(NEW if new_period else OLD)
    start = date(2025, 7, 1) if new_period else date(2024, 1, 1)
    received = start + timedelta(days=rng.randint(0, 170))
    due = received + timedelta(days=rng.randint(0, 25))
    status = rng.choice((2, 4, 5, 6, 7, 8, 9, 9, 10, 10, 10))
    finished = received + timedelta(days=rng.randint(0, 60))
    has_fee = rng.random() < 0.5
    supplements = rng.choice((0, 0, 0, 1, 1, 2, 3))
    return dossier(
        code,
        agency_code=agency,
        procedure_code=rng.choice(PROCEDURES),
        online_level=rng.choice(("full", "partial", "")),
        channel=str(rng.randint(1, 3)),
        status=str(status),
        submitted_at=f"{received.isoformat()}T07:00:00",
        received_at=f"{received.isoformat()}T08:00:00",
        due_at=due.isoformat(),
        finished_at=f"{finished.isoformat()}T15:00:00" if status in (7, 8, 9, 10) else "",
        returned_at=f"{(finished + timedelta(days=1)).isoformat()}T09:00:00" if status == 10 else "",
        supplement_count=str(supplements),
        supplement_days=f"{rng.choice((0, 0.5, 1, 2.5, 4)) if supplements else 0}",
        has_fee="1" if has_fee else "0",
        paid_online="1" if has_fee and rng.random() < 0.5 else "0",
        e_result=rng.choice(("1", "0", "")),
        digitized=rng.choice(("1", "0", "")),
        reused_data=rng.choice(("1", "0", "")),
        rating=rng.choice(("", "", "satisfied", "neutral", "unsatisfied")),
        updated_at=f"2026-0{1 + version}-01T00:00:00",
    )


def direct_changes(engine, rng: random.Random, now: datetime, n: int) -> None:
    """What the processing system does behind the importer's back: new status and end
    timestamps, moved reception, another agency code, flags — *_on and agency_id stale."""
    with engine.begin() as conn:
        codes = sorted(conn.execute(select(dossiers.c.dossier_code)).scalars())
        ids = dict(
            conn.execute(select(agencies.c.code, agencies.c.id).where(agencies.c.valid_to.is_(None))).all()
        )
        for code in rng.sample(codes, k=min(n, len(codes))):
            row = conn.execute(select(dossiers).where(dossiers.c.dossier_code == code)).mappings().one()
            received = row["received_at"]
            kind = rng.randrange(5)
            values: dict = {"updated_at": now - timedelta(seconds=rng.randint(0, 120))}
            if kind == 0 and received is not None:  # resolved now, finished_on not written
                values |= {"status": 10, "finished_at": received + timedelta(days=rng.randint(0, 40))}
            elif kind == 1 and received is not None:  # reception moved a few days
                values |= {"received_at": received + timedelta(days=rng.randint(-3, 3))}
            elif kind == 2:  # flags and rating
                values |= {
                    "e_result": rng.random() < 0.5,
                    "digitized": rng.random() < 0.5,
                    "rating": "unsatisfied",
                    "supplement_count": rng.randint(0, 3),
                    "supplement_days": rng.choice((0.0, 1.5, 3.0)),
                }
            elif kind == 3 and received is not None and received.date() >= date(2025, 7, 1):
                other = rng.choice([c for c in NEW if c != row["agency_code"]])
                values |= {"agency_code": other}  # agency_id left as it was
            else:  # back to pending, deadline moved
                values |= {"status": 4, "finished_at": None, "due_at": (received or now) + timedelta(days=9)}
            conn.execute(update(dossiers).where(dossiers.c.dossier_code == code).values(**values))
        received = datetime(2025, 9, 2, 8, 0)
        conn.execute(
            insert(dossiers).values(
                dossier_code=f"DIRECT{rng.randrange(10**6)}",
                agency_id=ids["SNV"],
                agency_code="SNV",
                procedure_code="P9",
                channel=2,
                status=4,
                received_at=received,
                due_at=received + timedelta(days=5),
                supplement_count=0,
                supplement_days=0.0,
                updated_at=now,
                imported_at=now,
            )
        )


def test_random_imports_reimports_and_direct_changes_keep_every_aggregate_exact(registry_db, tmp_path):
    rng = random.Random(766)
    codes = [f"R{i:04d}" for i in range(160)]
    first = [random_row(rng, c) for c in codes]
    import_dossiers(registry_db, [write_dossiers(tmp_path / "a.csv", first)], batch_size=37)
    assert_aggregates_consistent(registry_db)

    # re-import: a third changed (newer), some unchanged, a few stale, some new ones
    second = [random_row(rng, c, version=1) for c in rng.sample(codes, 60)]
    second += [dict(r) for r in rng.sample(first, 20)]
    second += [{**random_row(rng, c), "updated_at": "2025-12-31T00:00:00"} for c in rng.sample(codes, 10)]
    second += [random_row(rng, f"N{i:03d}", version=1) for i in range(40)]
    summary = import_dossiers(registry_db, [write_dossiers(tmp_path / "b.csv", second)], batch_size=50)
    assert summary.updated > 30 and summary.stale > 0 and summary.inserted == 40
    assert_aggregates_consistent(registry_db)

    now = datetime(2026, 6, 1, 10, 0)
    direct_changes(registry_db, rng, now, 40)
    result = refresh(registry_db, now=now)
    assert result.updated + result.inserted >= 30 and result.rederived > 0
    assert_aggregates_consistent(registry_db)
    assert not refresh(registry_db, now=now + timedelta(minutes=1)).changed

    # changed directly again, then re-imported from a CSV BEFORE any refresh: the importer
    # subtracts the facts as last aggregated (the shadow), not the directly written row
    later = now + timedelta(minutes=5)
    direct_changes(registry_db, rng, later, 30)
    third = [random_row(rng, c, version=7) for c in rng.sample(codes, 40)]
    import_dossiers(registry_db, [write_dossiers(tmp_path / "c.csv", third)], batch_size=16)
    refresh(registry_db, now=later + timedelta(minutes=1))
    assert_aggregates_consistent(registry_db)

    # a dossier deleted directly: found and subtracted by a full refresh
    with registry_db.begin() as conn:
        conn.execute(delete(dossiers).where(dossiers.c.dossier_code.in_(codes[:3])))
    gone = refresh(registry_db, now=later + timedelta(minutes=2), full=True)
    assert gone.removed == 3
    assert_aggregates_consistent(registry_db)


def test_dossier_deleted_directly_and_imported_again_before_a_refresh_counts_once(registry_db, tmp_path):
    rng = random.Random(2025)
    codes = [f"D{i:03d}" for i in range(30)]
    import_dossiers(registry_db, [write_dossiers(tmp_path / "a.csv", [random_row(rng, c) for c in codes])])
    with registry_db.begin() as conn:
        conn.execute(delete(dossiers).where(dossiers.c.dossier_code.in_(codes[:5])))
    # the deleted codes come back changed, with a new one, before any refresh
    again = [random_row(rng, c, version=3) for c in [*codes[:5], "D999"]]
    summary = import_dossiers(registry_db, [write_dossiers(tmp_path / "b.csv", again)])
    assert summary.inserted == 6
    assert_aggregates_consistent(registry_db)
    assert refresh(registry_db, now=datetime(2026, 6, 1, 10, 0), full=True).removed == 0
    assert_aggregates_consistent(registry_db)
