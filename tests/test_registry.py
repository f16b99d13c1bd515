from datetime import date

import pytest
from sqlalchemy import func, select

from db.registry import AgencyIndex, AgencyPeriod, _UnitsView, map_units_for, resolve_map_units
from db.schema import admin_units, agencies, commune_crosswalk


@pytest.fixture
def registry_engine(registry_db):
    return registry_db


def _mapping(engine, code, valid_from):
    with engine.connect() as conn:
        row = conn.execute(
            select(agencies.c.map_district_code, agencies.c.map_commune_code).where(
                agencies.c.code == code, agencies.c.valid_from == valid_from
            )
        ).one()
    return tuple(row)


def test_units_and_crosswalk_are_loaded_from_the_shipped_boundary_folder(registry_engine):
    with registry_engine.connect() as conn:
        levels = dict(
            conn.execute(select(admin_units.c.level, func.count()).group_by(admin_units.c.level)).all()
        )
        links = conn.execute(select(func.count()).select_from(commune_crosswalk)).scalar_one()
        without_successor = conn.execute(
            select(func.count()).select_from(commune_crosswalk).where(commune_crosswalk.c.new_code.is_(None))
        ).scalar_one()
    assert levels == {"province": 1, "district": 18, "commune": 78}
    assert links == 242
    assert without_successor == 8


def test_each_kind_of_agency_colours_the_expected_polygons(registry_engine):
    expected = {
        ("SNV", date(2020, 1, 1)): (None, None),  # department: province only
        ("502", date(2020, 1, 1)): ("502", None),  # district committee: its district
        ("20344", date(2020, 6, 1)): ("502", "20350"),  # old Hòa Hương → new Hương Trà
        ("20335", date(2020, 6, 1)): ("502", "20335"),  # old Tân Thạnh → new Bàn Thạch (same code)
        ("20335", date(2025, 7, 1)): ("502", "20335"),  # new Bàn Thạch: itself
        ("20338", date(2020, 6, 1)): ("502", None),  # merged 2025-01-01, no successor: district only
        ("20674", date(2025, 1, 1)): ("519", "20669"),  # created 2025-01-01 → new Quế Phước (former 519)
        ("20669", date(2020, 6, 1)): ("519", "20669"),  # old Phước Ninh, code reused by new Quế Phước
    }
    got = {key: _mapping(registry_engine, *key) for key in expected}
    assert got == expected


def test_reused_code_names_two_different_agencies(registry_engine):
    with registry_engine.connect() as conn:
        rows = conn.execute(
            select(agencies.c.id, agencies.c.name, agencies.c.valid_to)
            .where(agencies.c.code == "20335")
            .order_by(agencies.c.valid_from)
        ).all()
    assert [r.name for r in rows] == ["Ủy ban nhân dân phường Tân Thạnh", "Ủy ban nhân dân phường Bàn Thạch"]
    assert rows[0].id != rows[1].id
    assert rows[0].valid_to == date(2025, 6, 30) and rows[1].valid_to is None


def test_old_commune_follows_the_crosswalk_even_when_its_code_is_a_current_commune():
    # Old 100 (until 2025-06-30) went to new 200; a new commune 100 also exists from 2025-07-01.
    view = _UnitsView(
        districts=frozenset({"10", "11"}),
        commune_parent={"100": "10", "200": "11"},
        successors={"100": ("200", "10")},
    )
    old = map_units_for("commune", "100", date(2025, 6, 30), view)
    new = map_units_for("commune", "100", None, view)
    assert (old.district_code, old.commune_code) == ("11", "200")
    assert (new.district_code, new.commune_code) == ("10", "100")


def test_map_codes_only_point_at_loaded_polygons():
    # A boundary folder without a district layer (the 2025 two-tier city): communes only.
    view = _UnitsView(districts=frozenset(), commune_parent={"300": "48"}, successors={"301": ("300", "490")})
    assert map_units_for("commune", "300", None, view).district_code is None
    assert map_units_for("commune", "301", date(2025, 6, 30), view).commune_code == "300"
    assert map_units_for("district", "490", date(2025, 6, 30), view).district_code is None


def test_resolve_map_units_changes_nothing_when_run_again(registry_engine):
    with registry_engine.begin() as conn:
        assert resolve_map_units(conn) == 0


def test_agency_index_finds_the_agency_valid_on_the_date(registry_engine):
    with registry_engine.connect() as conn:
        index = AgencyIndex.load(conn)
        ids = dict(
            conn.execute(select(agencies.c.valid_from, agencies.c.id).where(agencies.c.code == "20335")).all()
        )
    assert index.lookup("20335", date(2025, 6, 30)) == ids[date(2020, 6, 1)]
    assert index.lookup("20335", date(2025, 7, 1)) == ids[date(2025, 7, 1)]
    assert index.lookup("20335", date(2020, 5, 31)) is None
    assert index.lookup("20338", date(2025, 1, 1)) is None
    assert index.lookup("NOPE", date(2025, 1, 1)) is None


def test_agency_index_explains_unknown_code_and_date_outside_validity():
    index = AgencyIndex(
        [
            ("20338", AgencyPeriod(1, date(2020, 6, 1), date(2024, 12, 31))),
            ("SNV", AgencyPeriod(2, date(2020, 1, 1), None)),
        ]
    )
    assert "không có trong danh mục" in index.explain("X1", date(2025, 1, 1))
    message = index.explain("20338", date(2025, 3, 1))
    assert "không có hiệu lực ngày 01/03/2025" in message
    assert "01/06/2020–31/12/2024" in message
    assert "01/01/2020–nay" in index.explain("SNV", date(2019, 12, 31))


def test_agency_index_handles_gaps_between_periods():
    index = AgencyIndex(
        [
            ("A", AgencyPeriod(1, date(2020, 1, 1), date(2020, 12, 31))),
            ("A", AgencyPeriod(2, date(2022, 1, 1), None)),
        ]
    )
    assert index.lookup("A", date(2020, 12, 31)) == 1
    assert index.lookup("A", date(2021, 6, 1)) is None
    assert index.lookup("A", date(2030, 1, 1)) == 2
