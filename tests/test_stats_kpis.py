"""KPIs per unit and period from agency_month_stats, on a small hand-built registry.

The registry is synthetic but shaped like Quảng Nam's: district 502 has the new communes
20335 (Bàn Thạch) and 20341 (Tam Kỳ); the OLD commune 20335 (Tân Thạnh, until
2025-06-30) has 20341 as successor here, so its dossiers must colour 20341, not the new
20335 that reuses its code; old commune 20338 (Phước Hòa) has no successor. Dossiers
are written and aggregated the importer's way (aggregates.apply_changes).
Every expected number below was counted by hand from the DOSSIERS table.
"""

from __future__ import annotations

from dataclasses import fields
from datetime import date, datetime, time

import pytest
from sqlalchemy import Connection, insert, select, update

from db.schema import admin_units, agencies, commune_crosswalk, dossiers
from dossier_stats import kpis, raw
from dossier_stats.aggregates import apply_changes, facts_from_row
from dossier_stats.kpis import Kpis, UnitKpis
from dossier_stats.periods import Period
from dossier_stats.rules import DossierFacts

UNITS = [
    ("49", "Tỉnh Quảng Nam", "province", None),
    ("502", "Thành phố Tam Kỳ", "district", "49"),
    ("503", "Thành phố Hội An", "district", "49"),
    ("504", "Huyện Tây Giang", "district", "49"),
    ("20335", "Phường Bàn Thạch", "commune", "502"),
    ("20341", "Phường Tam Kỳ", "commune", "502"),
    ("20400", "Phường Hội An", "commune", "503"),
    ("20500", "Xã Tây Giang", "commune", "504"),
]
CROSSWALK = [
    ("20335", "Phường Tân Thạnh", "502", "20341", "full"),
    ("20338", "Phường Phước Hòa", "502", None, None),
]
UBND = "Ủy ban nhân dân "
OLD_END, NEW_START = "2025-06-30", "2025-07-01"


def agency(code, name, kind, valid_from, valid_to=None, map_district=None, map_commune=None) -> dict:
    return {
        "code": code,
        "name": name,
        "kind": kind,
        "unit_code": "49" if kind == "department" else code,
        "valid_from": date.fromisoformat(valid_from),
        "valid_to": None if valid_to is None else date.fromisoformat(valid_to),
        "map_district_code": map_district,
        "map_commune_code": map_commune,
    }


AGENCIES = {
    "STC_v1": agency("STC", "Sở Tài chính (cũ)", "department", "2020-01-01", "2025-02-28"),
    "STC_v2": agency("STC", "Sở Tài chính", "department", "2025-03-01"),
    "SNV": agency("SNV", "Sở Nội vụ", "department", "2020-01-01"),
    "SKHDT": agency("SKHDT", "Sở Kế hoạch và Đầu tư", "department", "2020-01-01", "2025-02-28"),
    "D502": agency("502", UBND + "thành phố Tam Kỳ", "district", "2020-01-01", OLD_END, "502"),
    "D503": agency("503", UBND + "thành phố Hội An", "district", "2020-01-01", OLD_END, "503"),
    "OLD_20335": agency("20335", UBND + "phường Tân Thạnh", "commune", "2020-06-01", OLD_END, "502", "20341"),
    "OLD_20338": agency("20338", UBND + "phường Phước Hòa", "commune", "2020-06-01", "2024-12-31", "502"),
    "NEW_20335": agency("20335", UBND + "phường Bàn Thạch", "commune", NEW_START, None, "502", "20335"),
    "NEW_20341": agency("20341", UBND + "phường Tam Kỳ", "commune", NEW_START, None, "502", "20341"),
    "NEW_20400": agency("20400", UBND + "phường Hội An", "commune", NEW_START, None, "503", "20400"),
    "NEW_20500": agency("20500", UBND + "xã Tây Giang", "commune", NEW_START, None, "504", "20500"),
}


def d(s: str | None) -> date | None:
    return None if s is None else date.fromisoformat(s)


def insert_registry(conn: Connection) -> dict[str, int]:
    """Units, crosswalk and agencies; returns agency ids by label."""
    conn.execute(
        insert(admin_units),
        [{"code": c, "name": n, "level": lv, "parent_code": p} for c, n, lv, p in UNITS],
    )
    conn.execute(
        insert(commune_crosswalk),
        [
            {"old_code": o, "old_name": n, "old_district_code": dc, "new_code": nc, "link_type": t}
            for o, n, dc, nc, t in CROSSWALK
        ],
    )
    return {
        label: conn.execute(insert(agencies).values(**row)).inserted_primary_key[0]
        for label, row in AGENCIES.items()
    }


def _at(day: date | None) -> datetime | None:
    return None if day is None else datetime.combine(day, time(9, 0))


def _facts(row: dict) -> DossierFacts:
    return DossierFacts(**{f.name: row[f.name] for f in fields(DossierFacts)})


def dossier_row(
    code: str,
    agency_id: int,
    agency_code: str,
    status: int,
    channel: int,
    received: date | None,
    due: date | None,
    finished: date | None = None,
) -> dict:
    return {
        "dossier_code": code,
        "agency_id": agency_id,
        "agency_code": agency_code,
        "procedure_code": "1.000001",
        "channel": channel,
        "status": status,
        "received_at": _at(received),
        "due_at": _at(due),
        "finished_at": _at(finished),
        "returned_at": _at(finished) if status == 10 else None,
        "received_on": received,
        "due_on": due,
        "finished_on": finished,
        "supplement_count": 0,
        "supplement_days": 0.0,
        "updated_at": datetime(2025, 10, 1),
        "imported_at": datetime(2025, 10, 1),
    }


def insert_dossiers(conn: Connection, rows: list[dict]) -> None:
    """Write dossiers and add their contributions to agency_month_stats, as the importer does."""
    conn.execute(insert(dossiers), rows)
    apply_changes(conn, [], [_facts(r) for r in rows])


def update_dossier(conn: Connection, code: str, **changes: object) -> None:
    """Change a stored dossier and move its contributions (old subtracted, new added)."""
    old = conn.execute(select(*facts_columns()).where(dossiers.c.dossier_code == code)).one()
    conn.execute(update(dossiers).where(dossiers.c.dossier_code == code).values(**changes))
    new = conn.execute(select(*facts_columns()).where(dossiers.c.dossier_code == code)).one()
    apply_changes(conn, [facts_from_row(old)], [facts_from_row(new)])


def facts_columns() -> tuple:
    c = dossiers.c
    return (c.agency_id, c.status, c.channel, c.received_on, c.due_on, c.finished_on)


# (code, agency label, status, channel, received, due, finished) — what each one tests.
DOSSIERS = [
    (
        "d01",
        "NEW_20341",
        10,
        2,
        "2025-09-03",
        "2025-09-10",
        "2025-09-10",
    ),  # finished on its due date: on time
    ("d02", "NEW_20341", 9, 1, "2025-09-04", "2025-09-12", "2025-09-13"),  # a day late
    ("d03", "NEW_20341", 4, 3, "2025-09-05", "2025-09-20", None),  # pending past deadline: overdue
    ("d04", "NEW_20341", 4, 2, "2025-09-08", "2025-09-30", None),  # due on the period's last day: within
    ("d05", "NEW_20341", 10, 1, "2025-08-25", "2025-09-15", "2025-09-05"),  # carried over, resolved early
    ("d06", "NEW_20341", 7, 2, "2025-09-10", "2025-09-25", "2025-09-15"),  # withdrawn: resolved on time
    ("d07", "NEW_20341", 5, 1, "2025-09-11", "2025-09-20", None),  # paused past deadline: within
    ("d08", "NEW_20341", 3, 2, "2025-09-12", "2025-09-20", None),  # refused: not counted
    ("d09", "NEW_20341", 1, 2, None, None, None),  # submitted, not received: not counted
    ("d10", "NEW_20335", 9, 2, "2025-09-15", "2025-09-25", "2025-09-25"),  # at the new 20335: on time
    ("d11", "OLD_20335", 4, 1, "2025-06-20", "2025-07-15", None),  # old 20335 -> 20341; carried, overdue
    ("d12", "OLD_20338", 2, 1, "2024-12-20", "2025-01-10", None),  # no successor: unmapped; carried, overdue
    ("d13", "D502", 4, 1, "2025-09-20", "2025-10-05", None),  # district committee: within
    ("d14", "STC_v1", 10, 1, "2025-02-20", "2025-03-10", "2025-09-09"),  # old version: carried, late
    ("d15", "STC_v2", 10, 2, "2025-09-01", "2025-09-05", "2025-09-04"),  # new version: early
    ("d16", "SNV", 4, 2, "2025-09-29", "2025-10-10", None),  # within
    ("d17", "NEW_20400", 10, 2, "2025-07-05", "2025-07-10", "2025-07-10"),  # July only
    ("d18", "NEW_20341", 9, 2, "2025-08-01", "2025-08-10", "2025-08-05"),  # August only, early
    ("d19", "NEW_20400", 8, 2, "2025-09-02", "2025-09-10", "2025-09-03"),  # stopped (paused): within
]

SEPTEMBER = Period("month", 2025, 9)
Q3 = Period("quarter", 2025, 3)
YEAR = Period("year", 2025, 0)


def K(**counts: int) -> Kpis:
    return Kpis(**counts)


def load_sample(engine, dossiers: list[tuple] = DOSSIERS) -> dict[str, int]:
    """Write the registry and `dossiers` (DOSSIERS), aggregated; returns agency ids by label."""
    with engine.begin() as connection:
        ids = insert_registry(connection)
        insert_dossiers(
            connection,
            [
                dossier_row(code, ids[a], AGENCIES[a]["code"], st, ch, d(rcv), d(due), d(fin))
                for code, a, st, ch, rcv, due, fin in dossiers
            ],
        )
    return ids


@pytest.fixture
def loaded_engine(db_engine):
    load_sample(db_engine)
    return db_engine


@pytest.fixture
def conn(loaded_engine):
    with loaded_engine.connect() as connection:
        yield connection


def by_code(rows: list[UnitKpis]) -> dict[str, Kpis]:
    return {r.code: r.kpis for r in rows}


# Counted by hand from DOSSIERS for September 2025.
SEPT_20341 = K(
    received_online=3,  # d01 d04 d06
    received_direct_postal=3,  # d02 d03 d07
    carried_over=2,  # d05 d11
    resolved_early=1,  # d05
    resolved_on_time=2,  # d01 d06
    resolved_late=1,  # d02
    pending_within=2,  # d04 d07
    pending_overdue=2,  # d03 d11
)
SEPT_20335 = K(received_online=1, resolved_on_time=1)  # d10 only: d11 is the OLD 20335's
SEPT_502 = K(  # 20341 + 20335 + d12 + d13
    received_online=4,
    received_direct_postal=4,
    carried_over=3,
    resolved_early=1,
    resolved_on_time=3,
    resolved_late=1,
    pending_within=3,
    pending_overdue=3,
)
SEPT_503 = K(received_online=1, pending_within=1)  # d19
SEPT_STC = K(received_online=1, carried_over=1, resolved_early=1, resolved_late=1)  # d14 d15
SEPT_SNV = K(received_online=1, pending_within=1)  # d16
SEPT_20338 = K(carried_over=1, pending_overdue=1)  # d12


def test_commune_kpis_of_september_counted_by_hand(conn):
    rows = kpis.commune_kpis(conn, SEPTEMBER, "502")
    assert [(r.code, r.name) for r in rows] == [("20335", "Phường Bàn Thạch"), ("20341", "Phường Tam Kỳ")]
    assert by_code(rows) == {"20335": SEPT_20335, "20341": SEPT_20341}


def test_old_commune_counts_for_its_successor_not_for_the_new_commune_reusing_its_code(conn):
    rows = by_code(kpis.commune_kpis(conn, Period("month", 2025, 6), "502"))
    # d11 received 2025-06-20 at the old 20335 (Tân Thạnh), successor 20341.
    assert rows["20341"] == K(received_direct_postal=1, pending_within=1)
    assert rows["20335"] == Kpis()


def test_september_rates_of_commune_20341(conn):
    k = by_code(kpis.commune_kpis(conn, SEPTEMBER, "502"))["20341"]
    assert k.on_time_rate == pytest.approx(3 / 4)
    assert k.online_share == pytest.approx(3 / 6)
    assert (k.received_new, k.received_total, k.resolved_total, k.pending_total) == (6, 8, 4, 4)


def test_district_kpis_list_every_district_with_zeros_when_no_data(conn):
    rows = kpis.district_kpis(conn, SEPTEMBER)
    assert [(r.code, r.name) for r in rows] == [
        ("502", "Thành phố Tam Kỳ"),
        ("503", "Thành phố Hội An"),
        ("504", "Huyện Tây Giang"),
    ]
    assert by_code(rows) == {"502": SEPT_502, "503": SEPT_503, "504": Kpis()}


def test_commune_kpis_of_a_district_without_data_are_zero(conn):
    rows = kpis.commune_kpis(conn, SEPTEMBER, "504")
    assert [(r.code, r.kpis) for r in rows] == [("20500", Kpis())]
    assert kpis.commune_kpis(conn, SEPTEMBER, "999") == []


def test_department_kpis_group_versions_of_a_code_and_take_the_latest_valid_name(conn):
    rows = kpis.department_kpis(conn, SEPTEMBER)
    # SKHDT ended on 2025-02-28, so it is not listed for September.
    assert [(r.code, r.name) for r in rows] == [("SNV", "Sở Nội vụ"), ("STC", "Sở Tài chính")]
    assert by_code(rows) == {"SNV": SEPT_SNV, "STC": SEPT_STC}


def test_department_kpis_of_an_earlier_period_list_the_versions_valid_then(conn):
    rows = kpis.department_kpis(conn, Period("month", 2025, 2))
    assert [(r.code, r.name) for r in rows] == [
        ("SKHDT", "Sở Kế hoạch và Đầu tư"),
        ("SNV", "Sở Nội vụ"),
        ("STC", "Sở Tài chính (cũ)"),
    ]
    assert by_code(rows)["STC"] == K(received_direct_postal=1, pending_within=1)  # d14


def test_province_kpis_of_september_count_every_agency(conn):
    expected = K(
        received_online=7,  # 502: 4, 503: 1, STC: 1, SNV: 1
        received_direct_postal=4,
        carried_over=4,  # d05 d11 d12 d14
        resolved_early=2,  # d05 d15
        resolved_on_time=3,  # d01 d06 d10
        resolved_late=2,  # d02 d14
        pending_within=5,  # d04 d07 d13 d16 d19
        pending_overdue=3,  # d03 d11 d12
    )
    province = kpis.province_kpis(conn, SEPTEMBER)
    assert province == expected
    assert province == SEPT_502 + SEPT_503 + SEPT_STC + SEPT_SNV


def test_unmapped_kpis_list_old_communes_without_successor_only_with_data(conn):
    assert kpis.unmapped_kpis(conn, SEPTEMBER) == [
        UnitKpis("20338", "Ủy ban nhân dân phường Phước Hòa", SEPT_20338)
    ]
    december = kpis.unmapped_kpis(conn, Period("month", 2024, 12))
    assert [(r.code, r.kpis) for r in december] == [("20338", K(received_direct_postal=1, pending_within=1))]
    assert kpis.unmapped_kpis(conn, Period("month", 2024, 11)) == []


def test_unmapped_dossiers_count_in_their_district_but_in_no_commune(conn):
    district = by_code(kpis.district_kpis(conn, SEPTEMBER))["502"]
    communes = kpis.commune_kpis(conn, SEPTEMBER, "502")
    committee = K(received_direct_postal=1, pending_within=1)  # d13 at the district committee
    assert sum((r.kpis for r in communes), Kpis()) + committee + SEPT_20338 == district


def test_quarter_of_commune_20341_counted_by_hand(conn):
    k = by_code(kpis.commune_kpis(conn, Q3, "502"))["20341"]
    assert k == K(
        received_online=4,  # d01 d04 d06 d18
        received_direct_postal=4,  # d02 d03 d05 d07
        carried_over=1,  # d11 pending at the end of June
        resolved_early=2,  # d05 d18
        resolved_on_time=2,  # d01 d06
        resolved_late=1,  # d02
        pending_within=2,  # d04 d07
        pending_overdue=2,  # d03 d11
    )


FLOWS = ("received_online", "received_direct_postal", "resolved_early", "resolved_on_time", "resolved_late")


def combined(months: list[Kpis]) -> Kpis:
    """A longer period from its months: flows add up, carried over is the first month's,
    pending is the last month's."""
    values = {f: sum(getattr(m, f) for m in months) for f in FLOWS}
    return Kpis(
        **values,
        carried_over=months[0].carried_over,
        pending_within=months[-1].pending_within,
        pending_overdue=months[-1].pending_overdue,
    )


def all_listings(conn, period: Period) -> dict[tuple[str, str], Kpis]:
    out = {("province", "49"): kpis.province_kpis(conn, period)}
    for level, rows in (
        ("district", kpis.district_kpis(conn, period)),
        ("department", kpis.department_kpis(conn, period)),
        ("unmapped", kpis.unmapped_kpis(conn, period)),
        *((f"commune/{dc}", kpis.commune_kpis(conn, period, dc)) for dc in ("502", "503", "504")),
    ):
        out.update({(level, r.code): r.kpis for r in rows})
    return out


LONGER_PERIODS = [Q3, YEAR, Period("year", 2024, 0), Period("quarter", 2025, 1), Period("quarter", 2024, 4)]
SOME_PERIODS = [SEPTEMBER, *LONGER_PERIODS, Period("month", 2025, 6), Period("month", 2024, 12)]


def test_quarter_and_year_equal_the_combination_of_their_months(conn):
    for period in LONGER_PERIODS:
        whole = all_listings(conn, period)
        months = [all_listings(conn, Period("month", m // 100, m % 100)) for m in period.months()]
        for key, value in whole.items():
            assert value == combined([m.get(key, Kpis()) for m in months]), (period.key, key)


def test_received_total_equals_resolved_plus_pending_for_every_unit(conn):
    for period in SOME_PERIODS:
        for key, k in all_listings(conn, period).items():
            assert k.received_total == k.resolved_total + k.pending_total, (period.key, key)


def test_raw_scan_of_dossiers_gives_the_same_kpis(conn):
    for period in SOME_PERIODS:
        assert raw.raw_province_kpis(conn, period) == kpis.province_kpis(conn, period)
        assert raw.raw_district_kpis(conn, period) == kpis.district_kpis(conn, period)
        assert raw.raw_department_kpis(conn, period) == kpis.department_kpis(conn, period)
        assert raw.raw_unmapped_kpis(conn, period) == kpis.unmapped_kpis(conn, period)
        for district in ("502", "503", "504"):
            assert raw.raw_commune_kpis(conn, period, district) == kpis.commune_kpis(conn, period, district)


def test_raw_scan_counts_september_by_hand_too(conn):
    assert by_code(raw.raw_commune_kpis(conn, SEPTEMBER, "502")) == {"20335": SEPT_20335, "20341": SEPT_20341}


def test_resolving_a_pending_dossier_moves_it_from_overdue_to_late(loaded_engine):
    with loaded_engine.begin() as c:
        update_dossier(
            c, "d03", status=10, finished_on=date(2025, 10, 2), finished_at=datetime(2025, 10, 2, 9)
        )
    with loaded_engine.connect() as c:
        october = by_code(kpis.commune_kpis(c, Period("month", 2025, 10), "502"))["20341"]
        september = by_code(kpis.commune_kpis(c, SEPTEMBER, "502"))["20341"]
        assert october.resolved_late == 1
        assert october.carried_over == SEPT_20341.pending_total
        assert september == SEPT_20341  # still overdue at the end of September
        assert kpis.commune_kpis(c, Period("month", 2025, 10), "502") == raw.raw_commune_kpis(
            c, Period("month", 2025, 10), "502"
        )


def test_kpis_without_data_are_zero_and_rates_undefined(db_engine):
    with db_engine.connect() as c:
        k = kpis.province_kpis(c, SEPTEMBER)
    assert k == Kpis()
    assert (k.on_time_rate, k.online_share) == (None, None)
    assert all(getattr(k, f.name) == 0 for f in fields(Kpis))
