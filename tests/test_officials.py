"""Officials' statistics on both backends, on a hand-made year of dossiers (every count
below worked out by hand from the Biểu 06 rules), and the optional name mapping
(`import-handlers`): validated, quarantined, idempotent, shown only when asked for."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from sqlalchemy import select

from db.schema_accounts import official_handlers
from dossier_stats.officials import STATEMENT, officials_csv, officials_report
from importer.dossiers import import_dossiers
from importer.handlers import import_handlers
from importer.quarantine import iter_quarantine
from tests.import_fixtures import dossier, write_dossiers

TODAY = date(2026, 3, 1)


def d(code: str, handler: str, received: str, due: str, finished: str = "", **extra: str) -> dict[str, str]:
    status = extra.pop("status", "9" if finished else "4")
    return dossier(
        code,
        handler_id=handler,
        status=status,
        submitted_at=f"{received}T07:00:00",
        received_at=f"{received}T08:00:00",
        due_at=due,
        finished_at=f"{finished}T15:00:00" if finished else "",
        returned_at=f"{finished}T16:00:00" if status == "10" else "",
        updated_at=f"{finished or received}T17:00:00",
        **extra,
    )


DOSSIERS = [
    # H1 at Sở Nội vụ
    d("D1", "H1", "2025-03-03", "2025-03-10", "2025-03-07", channel="2"),  # early, online
    d("D2", "H1", "2025-04-01", "2025-04-05", "2025-04-05", channel="1", supplement_count="2"),  # on time
    d("D3", "H1", "2025-05-01", "2025-05-05", "2025-05-08", channel="1"),  # late
    d("D4", "H1", "2025-06-01", "2025-06-10", channel="2", supplement_count="3"),  # pending, overdue
    d("D5", "H1", "2024-12-20", "2025-01-10", "2025-01-05", channel="2", status="10"),  # carried over, early
    d("D6", "H1", "2024-05-01", "2024-05-10", "2024-05-03"),  # 2024 only: not in 2025
    # H2 at Sở Nội vụ, one online dossier resolved early after one supplement request
    d("D7", "H2", "2025-07-01", "2025-07-10", "2025-07-09", channel="2", supplement_count="1"),
    # no handler, Sở Nội vụ: counts for the unit and the province only
    d("D8", "", "2025-08-01", "2025-08-05", "2025-08-20", channel="1"),
    # H3 at Sở Tư pháp, by post, early
    d("D9", "H3", "2025-02-02", "2025-02-10", "2025-02-09", agency_code="STP", channel="3"),
]


@pytest.fixture
def loaded(registry_db, tmp_path):
    summary = import_dossiers(registry_db, [write_dossiers(tmp_path / "d.csv", DOSSIERS)], today=TODAY)
    assert summary.quarantined == 0
    return registry_db


def test_each_official_with_the_units_and_the_provinces_figures(loaded):
    with loaded.connect() as conn:
        report = officials_report(conn, 2025, TODAY)
    rows = {r.handler_id: r for r in report.rows}
    assert [(r.unit_code, r.handler_id) for r in report.rows] == [("SNV", "H1"), ("SNV", "H2"), ("STP", "H3")]
    h1 = rows["H1"].figures
    k = h1.kpis
    assert (h1.handled, k.resolved_early, k.resolved_on_time, k.resolved_late, k.pending_overdue) == (
        5,
        2,
        1,
        1,
        1,
    )
    assert (h1.online_share, h1.repeated_supplement_share) == (2 / 4, 2 / 5)
    assert rows["H1"].unit_name == "Sở Nội vụ" and rows["H1"].full_name is None
    h2 = rows["H2"].figures
    assert (h2.handled, h2.kpis.resolved_early, h2.online_share, h2.repeated_supplement_share) == (
        1,
        1,
        1.0,
        0.0,
    )
    snv = report.units["SNV"]
    assert (snv.handled, snv.kpis.resolved_early, snv.kpis.resolved_late, snv.kpis.pending_overdue) == (
        7,
        3,
        2,
        1,
    )
    assert (snv.online_share, snv.repeated_supplement_share) == (3 / 6, 2 / 7)
    assert (report.province.handled, report.province.kpis.resolved_early) == (8, 4)
    assert report.province.online_share == 3 / 7
    assert (report.start, report.end) == (date(2025, 1, 1), date(2025, 12, 31))


def test_one_unit_only_and_the_current_year_counted_up_to_today(loaded):
    with loaded.connect() as conn:
        stp = officials_report(conn, 2025, TODAY, unit_code="STP")
        this_year = officials_report(conn, 2026, TODAY)
        mid_2025 = officials_report(conn, 2025, date(2025, 6, 5), unit_code="SNV")
    assert [r.handler_id for r in stp.rows] == ["H3"] and list(stp.units) == ["STP"]
    assert stp.province.handled == 8  # the province is always the whole province
    assert this_year.end == TODAY
    assert {r.handler_id: r.figures.handled for r in this_year.rows} == {"H1": 1}  # D4 still pending
    h1 = mid_2025.rows[0].figures.kpis  # on 05/06/2025 D4 is pending but not yet overdue
    assert (mid_2025.end, h1.pending_overdue, h1.pending_within) == (date(2025, 6, 5), 0, 1)


def test_names_come_from_the_mapping_only_when_asked_for(loaded, tmp_path):
    mapping = tmp_path / "handlers.csv"
    mapping.write_text(
        "handler_id,full_name,unit_code\n"
        "H1,Nguyễn Văn Một,SNV\n"
        "H2,=cmd|' /C calc'!A0,SNV\n"  # a formula as a name: stored as text, neutralised in CSV
        "H3,Trần Thị Ba,KHONGCO\n"  # unknown unit: quarantined
        ",Không Mã,SNV\n"  # no id: quarantined
        "H1,Nguyễn Văn Khác,SNV\n",  # the same id with another name: quarantined
        encoding="utf-8",
    )
    summary = import_handlers(loaded, mapping)
    assert (summary.inserted, summary.quarantined) == (2, 3)
    assert dict(summary.rule_counts) == {"unknown_unit": 1, "missing_handler_id": 1, "duplicate_handler": 1}
    with loaded.connect() as conn:
        rules = sorted((q["line_no"], q["rule"]) for q in iter_quarantine(conn, summary.run_ids[0]))
        hidden = officials_report(conn, 2025, TODAY)
        named = officials_report(conn, 2025, TODAY, with_names=True)
    assert rules == [(4, "unknown_unit"), (5, "missing_handler_id"), (6, "duplicate_handler")]
    assert [r.full_name for r in hidden.rows] == [None, None, None] and not hidden.names_shown
    assert [r.full_name for r in named.rows] == ["Nguyễn Văn Một", "=cmd|' /C calc'!A0", None]
    table = list(csv.reader(io.StringIO(officials_csv(named).decode("utf-8-sig"))))
    assert table[0][:6] == ["Năm", "Mã cán bộ xử lý", "Họ và tên", "Mã đơn vị", "Đơn vị", "Hồ sơ xử lý"]
    assert table[1][:13] == [
        "2025",
        "H1",
        "Nguyễn Văn Một",
        "SNV",
        "Sở Nội vụ",
        "5",
        "2",
        "1",
        "1",
        "1",
        "75.0",
        "50.0",
        "40.0",
    ]
    assert table[2][2] == "'=cmd|' /C calc'!A0"
    # unit: 4 of 6 resolved in time (D8 and D3 late), 3 of 6 online, 2 of 7 repeated; province: 5 of 7
    assert table[1][13:] == ["66.7", "50.0", "28.6", "71.4", "42.9", "25.0"]
    assert import_handlers(loaded, mapping).inserted == 0  # the same file again changes nothing
    with loaded.connect() as conn:
        assert conn.execute(select(official_handlers.c.handler_id)).scalars().all() == ["H1", "H2"]


def test_the_page_statement_says_it_supports_not_replaces_the_assessment():
    assert "chỉ hỗ trợ, không thay thế việc đánh giá" in STATEMENT
