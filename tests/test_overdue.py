"""The overdue list on the hand-built data set of test_bieu06 (days counted by hand)."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest

from dossier_stats.bieu06.query import bieu06_report
from dossier_stats.bieu06.unit import resolve_unit
from dossier_stats.overdue import CSV_HEADER, as_of_day, overdue_csv, overdue_dossiers
from dossier_stats.periods import Period
from tests.test_bieu06 import END, load_sample

# Pending past their deadline on 20/04/2025 (b05 is due that very day: within deadline;
# b08, b17, b19 are paused; b15 ended on 20/04): code -> days overdue.
ON_APRIL_20 = {
    "b20": 100,  # due 10/01: 21 + 28 + 31 + 20 days
    "b16": 69,  # due 10/02: 18 + 31 + 20
    "b13": 42,  # due 09/03: 22 + 20
    "b04": 10,  # due 10/04
}


@pytest.fixture
def conn(db_engine):
    load_sample(db_engine)
    with db_engine.connect() as connection:
        yield connection


def codes(page) -> list[str]:
    return [r.dossier_code for r in page.rows]


def test_most_overdue_first_by_default_with_days_and_names(conn):
    page = overdue_dossiers(conn, resolve_unit(conn, None), END)
    assert page.total == 4
    assert [(r.dossier_code, r.days_overdue) for r in page.rows] == list(ON_APRIL_20.items())
    first = page.rows[0]
    assert (first.agency_code, first.agency_name) == ("20338", "Ủy ban nhân dân phường Phước Hòa")
    assert (first.received_on, first.due_on) == (date(2024, 12, 20), date(2025, 1, 10))
    assert first.procedure == "Thủ tục b20"


def test_sorting_by_each_column_and_direction(conn):
    province = resolve_unit(conn, None)

    def sorted_by(sort: str, descending: bool) -> list[str]:
        return codes(overdue_dossiers(conn, province, END, sort=sort, descending=descending))

    assert sorted_by("days_overdue", False) == ["b04", "b13", "b16", "b20"]
    assert sorted_by("code", False) == ["b04", "b13", "b16", "b20"]
    # 01/04/2025, 25/02/2025, 10/01/2025, 20/12/2024
    assert sorted_by("received", True) == ["b04", "b13", "b16", "b20"]
    # Sở Nội vụ < Sở Tài chính (cũ) < Ủy ban … phường Phước Hòa < Ủy ban … thành phố Hội An
    assert sorted_by("agency", False) == ["b04", "b13", "b20", "b16"]
    assert sorted_by("procedure", True) == ["b20", "b16", "b13", "b04"]


def test_limit_and_offset_page_through_the_list_with_the_total(conn):
    page = overdue_dossiers(conn, resolve_unit(conn, None), END, limit=2, offset=1)
    assert codes(page) == ["b16", "b13"]
    assert page.total == 4
    beyond = overdue_dossiers(conn, resolve_unit(conn, None), END, limit=2, offset=10)
    assert (beyond.rows, beyond.total) == ([], 4)


def test_unit_filter_and_an_earlier_day(conn):
    assert codes(overdue_dossiers(conn, resolve_unit(conn, "502"), END)) == ["b20"]  # old commune of 502
    assert codes(overdue_dossiers(conn, resolve_unit(conn, "SNV"), END)) == ["b04"]
    # On 20/03: b15 (due 10/03) was still open; b04 not received yet.
    page = overdue_dossiers(conn, resolve_unit(conn, None), date(2025, 3, 20))
    assert [(r.dossier_code, r.days_overdue) for r in page.rows] == [
        ("b20", 69),
        ("b16", 38),
        ("b13", 11),
        ("b15", 10),
    ]


def test_the_list_has_as_many_dossiers_as_column_13_of_the_report(conn):
    province = resolve_unit(conn, None)
    for day in (date(2025, 1, 31), date(2025, 3, 9), date(2025, 3, 20), END, date(2025, 6, 30)):
        report = bieu06_report(conn, date(2025, 1, 1), day)
        assert overdue_dossiers(conn, province, day).total == report.total.pending_overdue, day


def test_a_period_or_a_range_means_its_last_day():
    assert as_of_day(Period.parse("2025-Q1")) == date(2025, 3, 31)
    assert as_of_day((date(2025, 3, 1), date(2025, 3, 20))) == date(2025, 3, 20)
    with pytest.raises(ValueError, match="Kỳ không hợp lệ"):
        as_of_day((date(2025, 3, 21), date(2025, 3, 20)))


def test_bad_sort_and_paging_are_refused(conn):
    province = resolve_unit(conn, None)
    with pytest.raises(ValueError, match="Không sắp xếp được theo 'color'"):
        overdue_dossiers(conn, province, END, sort="color")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="Số dòng mỗi trang"):
        overdue_dossiers(conn, province, END, limit=0)
    with pytest.raises(ValueError, match="Vị trí bắt đầu"):
        overdue_dossiers(conn, province, END, offset=-1)


def test_csv_download_has_vietnamese_headers_and_every_row(conn):
    page = overdue_dossiers(conn, resolve_unit(conn, None), END, limit=None)
    content = overdue_csv(page.rows)
    assert content.startswith(b"\xef\xbb\xbf")
    lines = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert tuple(lines[0]) == CSV_HEADER
    assert lines[1] == [
        "b20",
        "1.000001",
        "Thủ tục b20",
        "20338",
        "Ủy ban nhân dân phường Phước Hòa",
        "20/12/2024",
        "10/01/2025",
        "100",
    ]
    assert [line[0] for line in lines[1:]] == list(ON_APRIL_20)
