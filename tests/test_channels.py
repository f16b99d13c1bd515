"""Channels and desks of reception on the hand-built data set of test_bieu06 (counted by hand)."""

from __future__ import annotations

import pytest

from dossier_stats import kpis
from dossier_stats.bieu06.unit import resolve_unit
from dossier_stats.channels import DESK_LABELS, ChannelCounts, channel_report
from dossier_stats.periods import Period
from tests.test_bieu06 import load_sample

MARCH = Period.parse("2025-03")


@pytest.fixture
def conn(db_engine):
    load_sample(db_engine)
    with db_engine.connect() as connection:
        yield connection


def test_march_by_desk_and_channel_counted_by_hand(conn):
    report = channel_report(conn, resolve_unit(conn, None), MARCH)
    # Departments: SNV b01 online, b02 direct, b03 postal, b06 online; STC b12 online (b10 refused).
    assert report.desk("department") == ChannelCounts(direct=1, online=3, postal=1)
    assert report.desk("district") == ChannelCounts(direct=2)  # b14 at 502, b17 at 503
    assert report.desk("commune") == ChannelCounts(direct=1)  # b22
    assert report.total == ChannelCounts(direct=4, online=3, postal=1)
    assert report.total.share("online") == 3 / 8
    assert list(report.by_desk) == list(DESK_LABELS)


def test_a_district_has_its_committee_and_commune_desks_and_no_department_desk(conn):
    report = channel_report(conn, resolve_unit(conn, "502"), MARCH)
    assert report.by_desk == {
        "department": ChannelCounts(),
        "district": ChannelCounts(direct=1),  # b14
        "commune": ChannelCounts(direct=1),  # b22 at the old 20335
    }
    assert ChannelCounts().share("direct") is None


def test_channel_sums_equal_the_newly_received_dossiers(conn):
    for key in ("2024-12", "2025-01", "2025-02", "2025-03", "2025-04", "2025-Q1", "2025"):
        period = Period.parse(key)
        province = channel_report(conn, resolve_unit(conn, None), period)
        assert province.total.total == kpis.province_kpis(conn, period).received_new, key
        districts = {d.code: d.kpis for d in kpis.district_kpis(conn, period)}
        for code, k in districts.items():
            assert channel_report(conn, resolve_unit(conn, code), period).total.total == k.received_new
        by_kind = channel_report(conn, resolve_unit(conn, None), period).by_desk
        assert sum(c.online for c in by_kind.values()) == kpis.province_kpis(conn, period).received_online
