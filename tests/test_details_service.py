"""DetailsService on the hand-built data set of test_bieu06 (SQLite and PostgreSQL): codes
resolved like the map's, the overdue list paged and exported in the order on screen, the
report's bytes, and results cached until the data version changes."""

from __future__ import annotations

import csv
import io

import pytest

from clock import now_local
from dossier_stats.bieu06.csv_writer import bieu06_csv
from dossier_stats.bieu06.query import bieu06_report
from dossier_stats.bieu06.unit import UnknownUnit, resolve_unit
from dossier_stats.details import DetailsService
from dossier_stats.periods import Period
from importer.runs import bump_data_state
from tests.test_bieu06 import load_sample

APRIL = Period("month", 2025, 4)
# Pending past their deadline on 30/04/2025 (b08, b17, b19 paused; b09, b11, b15 ended in
# April): code -> days overdue, counted by hand.
ON_APRIL_30 = {
    "b20": 110,  # due 10/01: 21 + 28 + 31 + 30
    "b16": 79,  # due 10/02: 18 + 31 + 30
    "b13": 52,  # due 09/03: 22 + 30
    "b04": 20,  # due 10/04
    "b05": 10,  # due 20/04
}


@pytest.fixture
def service(db_engine):
    load_sample(db_engine)
    return DetailsService(db_engine, "49")


def codes(page) -> list[str]:
    return [r.dossier_code for r in page.rows]


def test_overdue_pages_follow_the_sort_and_count_every_dossier(service):
    pages = [service.overdue_page(None, APRIL, "days_overdue", True, n, 2) for n in range(3)]
    assert [p.total for p in pages] == [5, 5, 5]
    assert [codes(p) for p in pages] == [["b20", "b16"], ["b13", "b04"], ["b05"]]
    assert [r.days_overdue for p in pages for r in p.rows] == list(ON_APRIL_30.values())
    fewest_first = service.overdue_page(None, APRIL, "days_overdue", False, 0, 50)
    assert codes(fewest_first) == list(reversed(ON_APRIL_30))


def test_overdue_of_a_district_holds_its_old_communes(service):
    page = service.overdue_page("502", APRIL, "days_overdue", True, 0, 50)
    assert (page.total, codes(page)) == (1, ["b20"])  # old commune 20338, no successor, in 502


def test_overdue_export_is_the_whole_list_in_the_order_on_screen(service):
    export = service.overdue_export("49", APRIL, "code", False)
    rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig"))))
    assert export.total == 5
    assert rows[0] == ["Số liệu tính đến ngày 30/04/2025"]  # the as-of line, then the header
    assert rows[1][0] == "Mã hồ sơ"
    assert [r[0] for r in rows[2:]] == sorted(ON_APRIL_30)
    assert {r[0]: int(r[-1]) for r in rows[2:]} == ON_APRIL_30


def test_a_negative_page_is_refused(service):
    with pytest.raises(ValueError, match="Số trang"):
        service.overdue_page(None, APRIL, "code", False, -1, 50)


def test_report_bytes_are_the_report_of_the_whole_period(service, db_engine):
    with db_engine.connect() as conn:
        expected = bieu06_csv(bieu06_report(conn, APRIL.start, APRIL.end, resolve_unit(conn, "502")))
    assert service.bieu06_bytes("502", APRIL, "csv") == expected
    assert service.bieu06_bytes("502", APRIL, "xlsx")[:2] == b"PK"  # a zip: the XLSX container
    assert service.bieu06("49", APRIL).unit.kind == "province"


def test_codes_resolve_to_the_province_a_district_or_a_commune(service):
    assert service.unit_name(None) == service.unit_name("49") == "Tỉnh Quảng Nam"
    assert service.unit_name("502") == "Thành phố Tam Kỳ"
    commune = service.trends("20341", 202504)
    assert (commune.unit.unit.kind, commune.parent.unit.code) == ("commune", "502")
    assert service.trends("502", 202504).parent.unit.kind == "province"
    with pytest.raises(UnknownUnit, match="99999"):
        service.unit_name("99999")


def test_results_are_cached_until_the_data_version_changes(service, db_engine):
    first = service.channels("502", APRIL)
    assert service.channels("502", APRIL) is first
    with db_engine.begin() as conn:
        bump_data_state(conn, now_local())
    again = service.channels("502", APRIL)
    assert again is not first
    assert again == first  # same data, recomputed
