"""Biểu số 06 on a small hand-built data set, period 10/03/2025 – 20/04/2025 (not whole months).

The registry is the one of test_stats_kpis (departments SNV and STC in two versions,
district committees 502 and 503, the OLD commune 20335 → successor 20341 in district 502,
the old commune 20338 without successor in district 502). Every expected number was
counted by hand from BIEU06_DOSSIERS; the comment on each dossier says how it counts.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pytest

from db.schema import dossiers
from dossier_stats import raw
from dossier_stats.bieu06 import query as bieu06
from dossier_stats.bieu06.csv_writer import CSV_COLUMNS, bieu06_csv
from dossier_stats.bieu06.files import report_file
from dossier_stats.bieu06.query import OPEN_SQL, bieu06_report
from dossier_stats.bieu06.report import Bieu06Report, InvalidRange
from dossier_stats.bieu06.unit import UnknownUnit, resolve_unit
from dossier_stats.kpis import Kpis
from dossier_stats.periods import Period
from tests.test_stats_kpis import AGENCIES, d, dossier_row, insert_dossiers, insert_registry

START, END = date(2025, 3, 10), date(2025, 4, 20)
NV, TC, DD, XD, HT = (
    ("NV", "Nội vụ"),
    ("TC", "Tài chính"),
    ("DD", "Đất đai"),
    ("XD", "Xây dựng"),
    ("HT", "Hộ tịch"),
)

# (code, agency label, status, channel, received, due, finished, sector) — how it counts.
BIEU06_DOSSIERS = [
    ("b01", "SNV", 10, 2, "2025-03-12", "2025-03-20", "2025-03-18", NV),  # online, early
    ("b02", "SNV", 9, 1, "2025-03-15", "2025-03-25", "2025-03-25", NV),  # direct, on time
    ("b03", "SNV", 10, 3, "2025-03-20", "2025-03-28", "2025-04-02", NV),  # postal, late
    ("b04", "SNV", 4, 2, "2025-04-01", "2025-04-10", None, NV),  # online, pending overdue
    ("b05", "SNV", 4, 1, "2025-04-15", "2025-04-20", None, NV),  # direct, due on the last day: within
    ("b06", "SNV", 7, 2, "2025-03-01", "2025-03-15", "2025-03-12", NV),  # carried, withdrawn: on time
    ("b07", "SNV", 9, 1, "2025-02-20", "2025-03-05", "2025-03-09", NV),  # ended the day before: out
    ("b08", "SNV", 5, 1, "2025-02-01", "2025-02-10", None, NV),  # carried, paused: within
    ("b09", "SNV", 10, 2, "2025-04-18", "2025-04-25", "2025-04-22", NV),  # online, ends after: within
    ("b10", "SNV", 3, 2, "2025-03-15", "2025-03-25", None, NV),  # refused: not counted
    ("b11", "SNV", 9, 1, "2025-04-21", "2025-04-30", "2025-04-25", NV),  # received after the period
    ("b12", "STC_v2", 9, 2, "2025-03-11", "2025-03-20", "2025-03-19", TC),  # online, early
    ("b13", "STC_v1", 4, 1, "2025-02-25", "2025-03-09", None, None),  # carried, overdue, no sector
    ("b14", "D502", 10, 1, "2025-03-10", "2025-03-20", "2025-03-20", DD),  # direct on day 1, on time
    ("b15", "D502", 9, 2, "2025-02-25", "2025-03-10", "2025-04-20", DD),  # carried, late on the last day
    ("b16", "D503", 4, 2, "2025-01-10", "2025-02-10", None, DD),  # carried, overdue
    ("b17", "D503", 8, 1, "2025-03-01", "2025-03-05", "2025-03-03", XD),  # stopped (paused): carried, within
    ("b18", "OLD_20335", 10, 2, "2025-04-05", "2025-04-10", "2025-04-09", HT),  # online, early
    ("b19", "OLD_20335", 6, 1, "2025-04-10", "2025-04-12", None, HT),  # direct, paused: within
    ("b20", "OLD_20338", 4, 1, "2024-12-20", "2025-01-10", None, HT),  # carried, overdue
    ("b21", "OLD_20335", 1, 2, None, None, None, HT),  # submitted, not received: not counted
    ("b22", "OLD_20335", 9, 1, "2025-03-25", "2025-04-05", "2025-04-05", DD),  # direct, on time
]


def K(**values: int) -> Kpis:
    return Kpis(**values)


NV_ROW = K(
    received_online=3,  # b01 b04 b09
    received_direct_postal=3,  # b02 b03 b05
    carried_over=2,  # b06 b08
    resolved_early=1,  # b01
    resolved_on_time=2,  # b02 b06
    resolved_late=1,  # b03
    pending_within=3,  # b05 b08 b09
    pending_overdue=1,  # b04
)
TC_ROW = K(received_online=1, resolved_early=1)  # b12
DEPT_OTHER_ROW = K(carried_over=1, pending_overdue=1)  # b13
DEPARTMENTS = NV_ROW + TC_ROW + DEPT_OTHER_ROW
DISTRICT_DD = K(
    received_direct_postal=1, carried_over=2, resolved_on_time=1, resolved_late=1, pending_overdue=1
)  # b14 b15 b16
DISTRICT_XD = K(carried_over=1, pending_within=1)  # b17
COMMUNE_DD = K(received_direct_postal=1, resolved_on_time=1)  # b22
COMMUNE_HT = K(
    received_online=1,
    received_direct_postal=1,
    carried_over=1,
    resolved_early=1,
    pending_within=1,
    pending_overdue=1,
)  # b18 b19 b20
TOTAL = K(
    received_online=5,
    received_direct_postal=6,
    carried_over=7,
    resolved_early=3,
    resolved_on_time=4,
    resolved_late=2,
    pending_within=5,
    pending_overdue=4,
)


def rows_of(dossier_specs, ids: dict[str, int]) -> list[dict]:
    rows = []
    for code, label, status, channel, received, due, finished, sector in dossier_specs:
        row = dossier_row(
            code, ids[label], AGENCIES[label]["code"], status, channel, d(received), d(due), d(finished)
        )
        row["field_code"], row["field_name"] = sector or (None, None)
        row["procedure_name"] = f"Thủ tục {code}"
        rows.append(row)
    return rows


def load_sample(engine) -> None:
    """The registry of test_stats_kpis and BIEU06_DOSSIERS, aggregated as the importer does."""
    with engine.begin() as connection:
        ids = insert_registry(connection)
        insert_dossiers(connection, rows_of(BIEU06_DOSSIERS, ids))


@pytest.fixture
def conn(db_engine):
    load_sample(db_engine)
    with db_engine.connect() as connection:
        yield connection


def table(report: Bieu06Report) -> list[tuple[str, str | None, str | None, str, Kpis]]:
    return [(r.row_type, r.level, r.field_code, r.label, r.counts) for r in report.rows]


def test_province_report_counted_by_hand_grouped_by_level_then_sector(conn):
    report = bieu06_report(conn, START, END)
    assert report.unit.name == "Tỉnh Quảng Nam"
    assert table(report) == [
        ("subtotal", "department", None, "Cấp tỉnh — sở, ban, ngành", DEPARTMENTS),
        ("sector", "department", "NV", "Nội vụ", NV_ROW),
        ("sector", "department", "TC", "Tài chính", TC_ROW),
        ("sector", "department", None, "Lĩnh vực khác", DEPT_OTHER_ROW),
        ("subtotal", "district", None, "Cấp huyện", DISTRICT_DD + DISTRICT_XD),
        ("sector", "district", "DD", "Đất đai", DISTRICT_DD),
        ("sector", "district", "XD", "Xây dựng", DISTRICT_XD),
        ("subtotal", "commune", None, "Cấp xã", COMMUNE_DD + COMMUNE_HT),
        ("sector", "commune", "DD", "Đất đai", COMMUNE_DD),
        ("sector", "commune", "HT", "Hộ tịch", COMMUNE_HT),
        ("total", None, None, "Tổng cộng", TOTAL),
    ]
    assert report.total == TOTAL
    assert (TOTAL.received_total, TOTAL.resolved_total, TOTAL.pending_total) == (18, 9, 9)


def test_every_row_satisfies_the_identities_of_the_form(conn):
    for r in bieu06_report(conn, START, END).rows:
        k = r.counts
        assert k.received_total == k.received_online + k.received_direct_postal + k.carried_over
        assert k.resolved_total == k.resolved_early + k.resolved_on_time + k.resolved_late
        assert k.pending_total == k.pending_within + k.pending_overdue
        assert k.received_total == k.resolved_total + k.pending_total, r.label


def test_withdrawn_counts_as_resolved_on_time_and_paused_as_pending_within(conn):
    one_day = bieu06_report(conn, date(2025, 3, 12), date(2025, 3, 12), resolve_unit(conn, "SNV"))
    # On 12/03: b06 (withdrawn that day) resolves on time; b08 (paused) is pending within although
    # its deadline 10/02 has passed; b01, received that day and due 20/03, is pending within.
    assert one_day.total == K(received_online=1, carried_over=2, resolved_on_time=1, pending_within=2)


def test_a_dossier_ending_the_day_before_the_period_is_not_carried_over(conn):
    report = bieu06_report(conn, date(2025, 3, 9), date(2025, 3, 9), resolve_unit(conn, "SNV"))
    # b07 ends on 09/03, b06 and b08 are open: all three carried over into a period starting 09/03.
    assert report.total.carried_over == 3
    assert report.total.resolved_late == 1  # b07: due 05/03, finished 09/03
    next_day = bieu06_report(conn, START, START, resolve_unit(conn, "SNV"))
    assert next_day.total.carried_over == 2  # b06 b08; b07 ended before 10/03


def test_district_report_holds_its_committee_and_its_communes_old_ones_included(conn):
    report = bieu06_report(conn, START, END, resolve_unit(conn, "502"))
    assert report.unit.name == "Thành phố Tam Kỳ"
    b14_b15 = K(received_direct_postal=1, carried_over=1, resolved_on_time=1, resolved_late=1)
    assert table(report) == [
        ("subtotal", "district", None, "Cấp huyện", b14_b15),
        ("sector", "district", "DD", "Đất đai", b14_b15),
        ("subtotal", "commune", None, "Cấp xã", COMMUNE_DD + COMMUNE_HT),
        ("sector", "commune", "DD", "Đất đai", COMMUNE_DD),
        ("sector", "commune", "HT", "Hộ tịch", COMMUNE_HT),  # b20 at 20338 (no successor) included
        ("total", None, None, "Tổng cộng", b14_b15 + COMMUNE_DD + COMMUNE_HT),
    ]


def test_commune_report_holds_the_old_communes_it_succeeds(conn):
    report = bieu06_report(conn, START, END, resolve_unit(conn, "20341"))
    b18_b19 = K(received_online=1, received_direct_postal=1, resolved_early=1, pending_within=1)
    assert [(r.row_type, r.field_code, r.counts) for r in report.rows] == [
        ("subtotal", None, COMMUNE_DD + b18_b19),
        ("sector", "DD", COMMUNE_DD),
        ("sector", "HT", b18_b19),
        ("total", None, COMMUNE_DD + b18_b19),
    ]


def test_department_report_joins_every_version_of_its_code(conn):
    unit = resolve_unit(conn, "STC")
    assert (unit.kind, unit.name) == ("department", "Sở Tài chính")
    report = bieu06_report(conn, START, END, unit)
    assert report.total == TC_ROW + DEPT_OTHER_ROW
    assert [r.label for r in report.rows] == [
        "Cấp tỉnh — sở, ban, ngành",
        "Tài chính",
        "Lĩnh vực khác",
        "Tổng cộng",
    ]


def test_a_period_without_dossiers_has_only_a_zero_total(conn):
    report = bieu06_report(conn, date(2020, 1, 1), date(2020, 12, 31))
    assert table(report) == [("total", None, None, "Tổng cộng", Kpis())]


def test_unknown_unit_and_reversed_dates_are_refused_with_a_message(conn):
    with pytest.raises(UnknownUnit, match="Không tìm thấy đơn vị có mã '99999'"):
        resolve_unit(conn, "99999")
    with pytest.raises(InvalidRange, match="ngày bắt đầu 21/04/2025 sau ngày kết thúc 20/04/2025"):
        bieu06_report(conn, date(2025, 4, 21), END)
    assert resolve_unit(conn, None).kind == "province"
    assert resolve_unit(conn, "49").kind == "province"


def test_on_whole_months_the_report_total_equals_the_raw_scan(conn):
    for key in ("2025-03", "2025-04", "2025-Q1", "2025-Q2", "2025", "2024-12"):
        period = Period.parse(key)
        assert bieu06_report(conn, period.start, period.end).total == raw.raw_province_kpis(conn, period), key


def readme_csv_columns() -> tuple[str, ...]:
    """The CSV columns README.md documents: the first cell of each line of its column table."""
    text = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    table = text.split("| column | form column | meaning |\n|---|---|---|\n", 1)[1].split("\n\n", 1)[0]
    return tuple(line.split("`")[1] for line in table.splitlines())


def test_csv_has_the_documented_columns_and_one_line_per_row(conn):
    report = bieu06_report(conn, START, END)
    content = bieu06_csv(report)
    assert content.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM for Excel
    lines = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    documented = readme_csv_columns()
    assert documented[:4] == ("row_type", "level", "field_code", "field_name")
    assert len(documented) == 4 + 11  # the form's columns (3) to (13)
    assert tuple(lines[0]) == CSV_COLUMNS == documented
    assert len(lines) == 1 + len(report.rows)
    nv = next(line for line in lines if line[2] == "NV")
    assert nv == [
        "sector",
        "department",
        "NV",
        "Nội vụ",
        "8",
        "3",
        "3",
        "2",
        "4",
        "1",
        "2",
        "1",
        "4",
        "3",
        "1",
    ]
    total = lines[-1]
    assert total[:4] == ["total", "", "", "Tổng cộng"]
    assert [int(v) for v in total[4:]] == [18, 5, 6, 7, 9, 3, 4, 2, 9, 5, 4]
    assert [line[0] for line in lines[1:]].count("subtotal") == 3


def test_report_file_gives_name_media_type_and_bytes_for_a_download(conn):
    csv_file = report_file(conn, START, END, "502", "csv")
    assert csv_file.filename == "bieu06_502_20250310_20250420.csv"
    assert csv_file.media_type == "text/csv"
    assert b"\xc4\x90\xe1\xba\xa5t \xc4\x91ai" in csv_file.content  # "Đất đai" in UTF-8
    xlsx_file = report_file(conn, START, END, None, "xlsx")
    assert xlsx_file.filename == "bieu06_tinh_20250310_20250420.xlsx"
    assert xlsx_file.content[:2] == b"PK"  # a zip container
    with pytest.raises(ValueError, match="Định dạng không hỗ trợ"):
        report_file(conn, START, END, None, "pdf")  # type: ignore[arg-type]


def test_the_open_dossier_predicate_is_the_partial_index_predicate():
    index = next(i for i in dossiers.indexes if i.name == "ix_dossiers_open_received")
    for dialect in ("postgresql", "sqlite"):
        assert str(index.dialect_options[dialect]["where"]) == OPEN_SQL
    assert bieu06.ENDING_STATUSES == (7, 9, 10)
