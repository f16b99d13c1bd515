"""StatsService: its own connections, results cached per data version; units lookup."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import insert, select, update

from db.schema import admin_units, agencies, data_state
from dossier_stats import kpis, units
from dossier_stats.periods import Period
from dossier_stats.service import StatsService
from dossier_stats.units import UnitInfo
from tests.test_stats_kpis import SEPT_502, dossier_row, insert_dossiers, load_sample

SEPTEMBER = Period("month", 2025, 9)


@pytest.fixture
def loaded_engine(db_engine):
    load_sample(db_engine)
    return db_engine


@pytest.fixture
def service(loaded_engine):
    return StatsService(loaded_engine, "49")


def test_service_answers_like_the_query_functions(loaded_engine, service):
    with loaded_engine.connect() as conn:
        assert service.district_kpis(SEPTEMBER) == kpis.district_kpis(conn, SEPTEMBER)
        assert service.commune_kpis(SEPTEMBER, "502") == kpis.commune_kpis(conn, SEPTEMBER, "502")
        assert service.department_kpis(SEPTEMBER) == kpis.department_kpis(conn, SEPTEMBER)
        assert service.unmapped_kpis(SEPTEMBER) == kpis.unmapped_kpis(conn, SEPTEMBER)
        assert service.province_kpis(SEPTEMBER) == kpis.province_kpis(conn, SEPTEMBER)
    assert {r.code: r.kpis for r in service.district_kpis(SEPTEMBER)}["502"] == SEPT_502


def test_data_state_before_any_import(service):
    assert service.data_version() == 0
    assert service.data_time() is None


def test_first_data_date_is_the_earliest_reception(service):
    assert service.first_data_date() == date(2024, 12, 20)  # d12


def test_first_data_date_is_none_without_dossiers(db_engine):
    assert StatsService(db_engine, "49").first_data_date() is None


def add_september_dossier(engine) -> None:
    with engine.begin() as conn:
        agency_id = conn.execute(
            select(agencies.c.id).where(agencies.c.code == "20341", agencies.c.valid_to.is_(None))
        ).scalar_one()
        row = dossier_row("extra", agency_id, "20341", 4, 2, date(2025, 9, 9), date(2025, 9, 30))
        insert_dossiers(conn, [row])


def test_results_are_cached_until_the_data_version_changes(loaded_engine, service):
    with loaded_engine.begin() as conn:
        conn.execute(insert(data_state).values(id=1, version=3, updated_at=datetime(2025, 10, 1, 8, 30)))
    before = service.district_kpis(SEPTEMBER)
    add_september_dossier(loaded_engine)
    assert service.district_kpis(SEPTEMBER) == before  # same version: cached answer
    with loaded_engine.begin() as conn:
        conn.execute(update(data_state).values(version=4, updated_at=datetime(2025, 10, 1, 9, 0)))
    after = {r.code: r.kpis for r in service.district_kpis(SEPTEMBER)}
    assert after["502"].received_online == SEPT_502.received_online + 1
    assert service.data_version() == 4
    assert service.data_time() == datetime(2025, 10, 1, 9, 0)


def test_cached_lists_cannot_be_changed_by_a_caller(service):
    first = service.district_kpis(SEPTEMBER)
    first.clear()
    assert len(service.district_kpis(SEPTEMBER)) == 3


def test_unit_lookup(service):
    assert service.unit("20341") == UnitInfo("20341", "Phường Tam Kỳ", "commune", "502")
    assert service.unit("502") == UnitInfo("502", "Thành phố Tam Kỳ", "district", "49")
    assert service.unit("20338") is None  # an old commune has no polygon
    assert service.province() == UnitInfo("49", "Tỉnh Quảng Nam", "province", None)


def test_province_lookup_fails_clearly_when_missing_or_ambiguous(db_engine):
    with db_engine.connect() as conn, pytest.raises(LookupError, match="Chưa có đơn vị hành chính"):
        units.province(conn)
    with db_engine.begin() as conn:
        conn.execute(
            insert(admin_units),
            [
                {"code": "49", "name": "Tỉnh Quảng Nam", "level": "province"},
                {"code": "48", "name": "Thành phố Đà Nẵng", "level": "province"},
            ],
        )
    with db_engine.connect() as conn:
        with pytest.raises(LookupError, match="Có nhiều đơn vị cấp tỉnh"):
            units.province(conn)
        assert units.province(conn, "48").name == "Thành phố Đà Nẵng"
    with pytest.raises(LookupError, match="mã 47"):
        StatsService(db_engine, "47").province()
