import csv
from datetime import date

import pytest
from sqlalchemy import func, select

from config import Settings
from db.editions import replace_editions
from db.migrate import upgrade
from db.registry import resolve_map_units
from db.schema import agencies, quarantine
from db.units import replace_crosswalk, replace_units
from geodata.editions import load_editions
from geodata.records import CrosswalkRecord, UnitRecord, crosswalk_records, unit_records
from importer.agencies import import_agencies
from importer.csv_source import FileRejected
from importer.dossiers import PrerequisiteMissing
from importer.runs import data_version
from tests.conftest import TEMPLATE_STEPS, template_engine
from tests.import_fixtures import AGENCIES_FILE, GEODATA_DIR

COLUMNS = ("code", "name", "kind", "unit_code", "valid_from", "valid_to")


def write_registry(path, rows, columns=COLUMNS):
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(columns)
        writer.writerows(rows)
    return path


def load_units(engine):
    """Migrated, with the shipped units, crosswalk and editions (no agency yet)."""
    upgrade(engine)
    with engine.begin() as conn:
        replace_units(conn, unit_records(GEODATA_DIR))
        replace_crosswalk(conn, crosswalk_records(GEODATA_DIR))
        replace_editions(conn, load_editions(Settings.editions_file))  # as setup does: the city (48) too


TEMPLATE_STEPS["units"] = load_units


@pytest.fixture
def units_engine(backend, tmp_path):
    """A copy of the session's "units" template (load_units) on each backend."""
    with template_engine(backend, tmp_path, "units") as engine:
        yield engine


def agency_rows(engine):
    with engine.connect() as conn:
        return conn.execute(select(agencies).order_by(agencies.c.code, agencies.c.valid_from)).all()


def test_shipped_registry_imports_then_reimports_unchanged(units_engine):
    with AGENCIES_FILE.open(encoding="utf-8") as fh:
        expected_rows = sum(1 for _ in csv.DictReader(fh))

    first = import_agencies(units_engine, AGENCIES_FILE)
    with units_engine.connect() as conn:
        version = data_version(conn)
    second = import_agencies(units_engine, AGENCIES_FILE)

    assert (first.rows_read, first.inserted, first.quarantined) == (expected_rows, expected_rows, 0)
    assert (second.inserted, second.updated, second.unchanged) == (0, 0, expected_rows)
    with units_engine.connect() as conn:
        assert data_version(conn) == version
    assert any("20338" in w for w in first.warnings)  # an old commune without successor is reported


def test_changed_name_or_validity_updates_the_agency_in_place(units_engine, tmp_path):
    rows = [
        ("SNV", "Sở Nội vụ", "department", "49", "2020-01-01", ""),
        ("502", "UBND thành phố Tam Kỳ", "district", "502", "2020-01-01", "2025-06-30"),
    ]
    import_agencies(units_engine, write_registry(tmp_path / "a.csv", rows))
    ids = {r.code: r.id for r in agency_rows(units_engine)}
    rows[0] = ("SNV", "Sở Nội vụ tỉnh Quảng Nam", "department", "49", "2020-01-01", "2025-06-30")

    summary = import_agencies(units_engine, write_registry(tmp_path / "b.csv", rows))

    assert (summary.updated, summary.unchanged) == (1, 1)
    snv = next(r for r in agency_rows(units_engine) if r.code == "SNV")
    assert (snv.id, snv.name, snv.valid_to) == (ids["SNV"], "Sở Nội vụ tỉnh Quảng Nam", date(2025, 6, 30))


BASE = [
    ("SNV", "Sở Nội vụ", "department", "49", "2020-01-01", ""),
    ("20335", "UBND phường Tân Thạnh", "commune", "20335", "2020-06-01", "2025-06-30"),
]
AGENCY_RULE_CASES = [
    ("missing_code", ("", "Tên", "department", "49", "2020-01-01", "")),
    ("missing_name", ("X1", "", "department", "49", "2020-01-01", "")),
    ("missing_valid_from", ("X1", "Tên", "department", "49", "", "")),
    ("invalid_kind", ("X1", "Tên", "ministry", "49", "2020-01-01", "")),
    ("invalid_valid_from", ("X1", "Tên", "department", "49", "01/01/2020", "")),
    ("invalid_code", ("X" * 21, "Tên", "department", "49", "2020-01-01", "")),
    ("valid_to_before_valid_from", ("X1", "Tên", "department", "49", "2020-01-01", "2019-12-31")),
    ("unit_not_province", ("X1", "Tên", "department", "502", "2020-01-01", "")),
    ("unknown_unit", ("99999", "UBND xã Không Có", "commune", "99999", "2020-01-01", "")),
    ("duplicate_agency", ("SNV", "Sở Nội vụ (bản sao)", "department", "49", "2020-01-01", "")),
    ("overlapping_validity", ("20335", "UBND phường Bàn Thạch", "commune", "20335", "2025-06-01", "")),
]


@pytest.mark.parametrize(("rule", "bad"), AGENCY_RULE_CASES, ids=[r for r, _ in AGENCY_RULE_CASES])
def test_registry_row_breaking_a_rule_is_quarantined(units_engine, tmp_path, rule, bad):
    path = write_registry(tmp_path / "agencies.csv", [*BASE, bad])
    summary = import_agencies(units_engine, path)
    assert (summary.rows_read, summary.inserted, summary.quarantined) == (3, 2, 1)
    with units_engine.connect() as conn:
        entries = conn.execute(select(quarantine.c.rule, quarantine.c.line_no)).all()
    assert (rule, 4) in [tuple(e) for e in entries]


def test_period_overlapping_a_stored_agency_is_quarantined(units_engine, tmp_path):
    import_agencies(units_engine, write_registry(tmp_path / "a.csv", BASE))
    clash = [("20335", "UBND phường Bàn Thạch", "commune", "20335", "2025-06-01", "")]
    summary = import_agencies(units_engine, write_registry(tmp_path / "b.csv", clash))
    assert summary.quarantined == 1
    with units_engine.connect() as conn:
        message = conn.execute(select(quarantine.c.message)).scalar_one()
    assert "01/06/2020–30/06/2025" in message


def test_successive_periods_of_one_code_are_accepted(units_engine, tmp_path):
    rows = [*BASE, ("20335", "UBND phường Bàn Thạch", "commune", "20335", "2025-07-01", "")]
    summary = import_agencies(units_engine, write_registry(tmp_path / "a.csv", rows))
    assert (summary.inserted, summary.quarantined) == (3, 0)


def test_missing_column_rejects_the_registry_naming_it(units_engine, tmp_path):
    path = write_registry(
        tmp_path / "a.csv", [r[:2] + r[3:] for r in BASE], [c for c in COLUMNS if c != "kind"]
    )
    with pytest.raises(FileRejected, match="kind"):
        import_agencies(units_engine, path)
    with units_engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(agencies)).scalar_one() == 0


def test_registry_needs_the_units_first(db_engine):
    with pytest.raises(PrerequisiteMissing, match="setup"):
        import_agencies(db_engine, AGENCIES_FILE)


def test_another_provinces_registry_imports_with_its_own_codes(db_engine, tmp_path):
    units = [
        UnitRecord("77", "Tỉnh Thử", "province", None, 1000),
        UnitRecord("901", "Huyện Một", "district", "77", 600),
        UnitRecord("30001", "Xã Mới", "commune", "901", 600),
    ]
    links = [
        CrosswalkRecord("30001", "Xã Cũ A", "901", "30001", "full"),
        CrosswalkRecord("30004", "Xã Cũ B", "901", "30001", "full"),
        CrosswalkRecord("30007", "Xã Cũ C", "902", None, None),
    ]
    with db_engine.begin() as conn:
        replace_units(conn, units)
        replace_crosswalk(conn, links)
        resolve_map_units(conn)
    rows = [
        ("SYT", "Sở Y tế", "department", "77", "2020-01-01", ""),
        ("SNV", "Sở Nội vụ", "department", "49", "2020-01-01", ""),  # Quảng Nam's code: refused
        ("901", "UBND huyện Một", "district", "901", "2020-01-01", "2025-06-30"),
        ("30004", "UBND xã Cũ B", "commune", "30004", "2020-01-01", "2025-06-30"),
        ("30007", "UBND xã Cũ C", "commune", "30007", "2020-01-01", "2024-12-31"),
        ("30001", "UBND xã Mới", "commune", "30001", "2025-07-01", ""),
    ]
    summary = import_agencies(db_engine, write_registry(tmp_path / "other.csv", rows))

    assert (summary.inserted, summary.quarantined) == (5, 1)
    assert summary.rule_counts == {"unit_not_province": 1}
    mapped = {r.code: (r.map_district_code, r.map_commune_code) for r in agency_rows(db_engine)}
    assert mapped == {
        "SYT": (None, None),
        "901": ("901", None),
        "30004": ("901", "30001"),
        "30007": (None, None),  # no successor and its district 902 has no polygon here
        "30001": ("901", "30001"),
    }
