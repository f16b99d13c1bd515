"""Property tests of Biểu số 06 on random data sets and random date ranges (both backends).

For any dossiers and any period [start, end]: every row satisfies the identities of the
form (DOMAIN.md §2.3), subtotals and the total add up, and each (level, sector) row
equals an independent Python count of the rules (`expected_rows`, written from the
rules of DOMAIN.md §2.2–2.3 with their default choices).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, insert, select

from db.schema import agencies, agency_month_stats, dossiers
from dossier_stats.aggregates import apply_changes
from dossier_stats.bieu06.query import bieu06_report
from dossier_stats.bieu06.report import Bieu06Report
from dossier_stats.bieu06.unit import resolve_unit
from dossier_stats.kpis import Kpis
from tests.test_stats_kpis import AGENCIES, _facts, dossier_row, insert_registry

BASE = date(2025, 1, 1)  # dates within a few weeks of each other, so boundaries coincide often
SECTORS = [None, ("", ""), ("DD", "Đất đai"), ("HT", "Hộ tịch"), ("NV", "Nội vụ")]
UNITS = [None, "502", "503", "20341", "SNV", "STC"]


@st.composite
def a_dossier(draw: st.DrawFn) -> dict:
    label = draw(st.sampled_from(sorted(AGENCIES)))
    status = draw(st.integers(1, 10))
    received = None if draw(st.integers(0, 9)) == 0 else BASE + timedelta(days=draw(st.integers(0, 40)))
    due = None
    finished = None
    if received is not None:
        due = None if draw(st.integers(0, 9)) == 0 else received + timedelta(days=draw(st.integers(0, 15)))
        # Ended dossiers have an end date; stopped (8) and, as live data may hold, others sometimes too.
        if status in (7, 9, 10) or draw(st.integers(0, 4)) == 0:
            finished = received + timedelta(days=draw(st.integers(0, 20)))
    return {
        "label": label,
        "status": status,
        "channel": draw(st.integers(1, 3)),
        "received": received,
        "due": due,
        "finished": finished,
        "sector": draw(st.sampled_from(SECTORS)),
    }


def expected_rows(specs: list[dict], unit_code: str | None, start: date, end: date) -> dict:
    """(level, sector code or None) -> counts, by the rules, for the unit's agencies."""
    counts: dict[tuple[str, str | None], dict[str, int]] = defaultdict(lambda: dict.fromkeys(FIELDS, 0))
    for s in specs:
        agency = AGENCIES[s["label"]]
        if not in_unit(agency, unit_code):
            continue
        status, received, finished = s["status"], s["received"], s["finished"]
        if status in (1, 3) or received is None or received > end:
            continue
        ends = status in (7, 9, 10) and finished is not None
        if ends and finished < start:
            continue
        if received < start:
            came = "carried_over"
        else:
            came = "received_online" if s["channel"] == 2 else "received_direct_postal"
        if ends and finished <= end:
            deadline = s["due"] or finished
            if status == 7 or finished == deadline:
                outcome = "resolved_on_time"
            else:
                outcome = "resolved_early" if finished < deadline else "resolved_late"
        elif status in (5, 6, 8) or (s["due"] or received) >= end:
            outcome = "pending_within"
        else:
            outcome = "pending_overdue"
        code = (s["sector"] or (None,))[0] or None
        row = counts[(agency["kind"], code)]
        row[came] += 1
        row[outcome] += 1
    return {key: Kpis(**values) for key, values in counts.items()}


FIELDS = tuple(Kpis().__dataclass_fields__)


def in_unit(agency: dict, unit_code: str | None) -> bool:
    if unit_code is None:
        return True
    if unit_code in ("502", "503"):
        return agency["map_district_code"] == unit_code
    if unit_code == "20341":
        return agency["map_commune_code"] == unit_code
    return agency["kind"] == "department" and agency["code"] == unit_code


def rows_for(specs: list[dict], ids: dict[str, int]) -> list[dict]:
    rows = []
    for i, s in enumerate(specs):
        label = s["label"]
        row = dossier_row(
            f"p{i:03d}",
            ids[label],
            AGENCIES[label]["code"],
            s["status"],
            s["channel"],
            s["received"],
            s["due"],
            s["finished"],
        )
        row["field_code"], row["field_name"] = s["sector"] or (None, None)
        rows.append(row)
    return rows


def registry_ids(conn) -> dict[str, int]:
    """Agency ids by label: the registry is written by the first example of a test."""
    stored = {
        (r.code, r.valid_from): r.id
        for r in conn.execute(select(agencies.c.id, agencies.c.code, agencies.c.valid_from))
    }
    if not stored:
        return insert_registry(conn)
    return {label: stored[(a["code"], a["valid_from"])] for label, a in AGENCIES.items()}


def add_pending_dossier(engine, channel: int, received: date, due: date, **columns: object) -> None:
    """One more dossier of Phường Tam Kỳ (NEW_20341) still being handled (status 4), stored
    and counted as the importer does; `columns` overwrite values of its row."""
    with engine.begin() as conn:
        spec = {"label": "NEW_20341", "status": 4, "channel": channel, "received": received, "due": due}
        rows = rows_for([{**spec, "finished": None, "sector": None}], registry_ids(conn))
        rows[0].update(columns)
        conn.execute(insert(dossiers), rows)
        apply_changes(conn, [], [_facts(r) for r in rows])


def replace_dossiers(engine, specs: list[dict]) -> None:
    """The stored dossiers become `specs` (rows_for), counted as the importer does."""
    with engine.begin() as conn:
        ids = registry_ids(conn)
        conn.execute(delete(agency_month_stats))
        conn.execute(delete(dossiers))
        if specs:
            rows = rows_for(specs, ids)
            conn.execute(insert(dossiers), rows)
            apply_changes(conn, [], [_facts(r) for r in rows])


def check_identities(report: Bieu06Report) -> None:
    for r in report.rows:
        k = r.counts
        assert k.received_total == k.received_online + k.received_direct_postal + k.carried_over
        assert k.resolved_total == k.resolved_early + k.resolved_on_time + k.resolved_late
        assert k.pending_total == k.pending_within + k.pending_overdue
        assert k.received_total == k.resolved_total + k.pending_total
    subtotals = [r for r in report.rows if r.row_type == "subtotal"]
    for sub in subtotals:
        sectors = [r.counts for r in report.rows if r.row_type == "sector" and r.level == sub.level]
        assert sub.counts == sum(sectors, Kpis())
    assert report.total == sum((s.counts for s in subtotals), Kpis())
    assert report.rows[-1].row_type == "total"


def database_examples(n: int) -> settings:
    """Hypothesis settings of a property over a database fixture: `n` examples, no deadline."""
    return settings(
        max_examples=n,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )


@database_examples(50)
@given(
    specs=st.lists(a_dossier(), max_size=40),
    first=st.integers(0, 50),
    length=st.integers(0, 20),
    unit_code=st.sampled_from(UNITS),
)
def test_report_rows_follow_the_rules_and_the_identities(db_engine, specs, first, length, unit_code):
    with db_engine.begin() as conn:
        ids = registry_ids(conn)
        conn.execute(delete(agency_month_stats))
        conn.execute(delete(dossiers))
        if specs:
            conn.execute(insert(dossiers), rows_for(specs, ids))
    start = BASE + timedelta(days=first)
    end = start + timedelta(days=length)
    with db_engine.connect() as conn:
        report = bieu06_report(conn, start, end, resolve_unit(conn, unit_code))
    check_identities(report)
    got = {(r.level, r.field_code): r.counts for r in report.rows if r.row_type == "sector"}
    assert got == expected_rows(specs, unit_code, start, end)
