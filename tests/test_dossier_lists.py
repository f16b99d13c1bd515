"""Drill-through, early warning and dossier lookup (issue 14 items 5–7), both backends.

Drill-through: for every count kind of every unit the map shows (province, districts,
communes, departments, unmapped old communes), a finished period and a running one, the
list's total equals the KPI of the StatsService (agency_month_stats, the map's figures),
and for every cell of Biểu 06 (level × sector) it equals the report's figure.
"""

from __future__ import annotations

import csv
import io
from datetime import date, datetime

import pytest
from sqlalchemy import insert

from db.schema import dossiers, import_runs, quarantine
from dossier_stats.aggregates import apply_changes
from dossier_stats.bieu06.query import bieu06_report
from dossier_stats.bieu06.unit import resolve_unit
from dossier_stats.dossier_list import ListOrder
from dossier_stats.drill import COUNT_KINDS, DrillCell, drill_page
from dossier_stats.kpis import Kpis
from dossier_stats.lists_service import DossierListService
from dossier_stats.service import StatsService
from tests import test_bieu06
from tests.test_bieu06_properties import add_pending_dossier, registry_ids, rows_for
from tests.test_stats_kpis import Q3, SEPTEMBER, _facts, by_code, load_sample

MID_SEPTEMBER = date(2025, 9, 15)
RECEIVED = DrillCell("received_total")
BY_DUE_DAY_LAST_FIRST = ListOrder("due", descending=True)


def listing(stats: StatsService, period) -> dict[str | None, Kpis]:
    out: dict[str | None, Kpis] = {None: stats.province_kpis(period)}
    out.update(by_code(stats.district_kpis(period)))
    for district in ("502", "503", "504"):
        out.update(by_code(stats.commune_kpis(period, district)))
    out.update(by_code(stats.department_kpis(period)))
    out.update(by_code(stats.unmapped_kpis(period)))
    return out


@pytest.mark.parametrize("today", [date(2025, 10, 1), MID_SEPTEMBER])
def test_every_count_of_every_unit_lists_exactly_its_dossiers(db_engine, today):
    load_sample(db_engine)
    stats = StatsService(db_engine, "49", today=lambda: today)
    lists = DossierListService(db_engine, "49", today=lambda: today)
    checked = 0
    for period in (SEPTEMBER, Q3):
        for code, kpis in listing(stats, period).items():
            for kind in COUNT_KINDS:
                page = lists.drill(code, period, DrillCell(kind), page_size=1000)
                assert page.total == len(page.rows) == getattr(kpis, kind), (period.key, code, kind)
                assert page.as_of == min(period.end, today)
                checked += page.total
    assert checked > 100  # the sample has dossiers in most cells


def test_the_listed_dossiers_are_the_ones_counted_by_hand(db_engine):
    load_sample(db_engine)

    def codes(today: date, kind: str) -> list[str]:
        lists = DossierListService(db_engine, "49", today=lambda: today)
        return [
            r.dossier_code for r in lists.drill("20341", SEPTEMBER, DrillCell(kind), ListOrder("code")).rows
        ]

    assert codes(date(2025, 10, 1), "pending_overdue") == ["d03", "d11"]  # test_stats_kpis.SEPT_20341
    assert codes(MID_SEPTEMBER, "pending_overdue") == ["d11"]  # d03 is due on the 20th
    assert codes(MID_SEPTEMBER, "resolved_on_time") == ["d01", "d06"]
    assert codes(MID_SEPTEMBER, "carried_over") == ["d05", "d11"]


def test_every_cell_of_bieu06_lists_as_many_dossiers_as_it_says(db_engine):
    test_bieu06.load_sample(db_engine)
    start, end = test_bieu06.START, test_bieu06.END
    with db_engine.connect() as conn:
        for code in (None, "502", "20341", "SNV"):
            unit = resolve_unit(conn, code)
            report = bieu06_report(conn, start, end, unit)
            for row in report.rows:
                level = row.level
                sector = None if row.row_type != "sector" else (row.field_code or "")
                for kind in COUNT_KINDS:
                    page = drill_page(conn, unit, start, end, DrillCell(kind, level, sector), page_size=1000)
                    assert page.total == len(page.rows) == getattr(row.counts, kind), (code, row.label, kind)


def test_pages_are_sorted_on_the_server_and_add_up_to_the_whole_list(db_engine):
    test_bieu06.load_sample(db_engine)
    start, end = test_bieu06.START, test_bieu06.END
    with db_engine.connect() as conn:
        unit = resolve_unit(conn, None)
        whole = drill_page(conn, unit, start, end, RECEIVED, BY_DUE_DAY_LAST_FIRST, page_size=None)
        pages = [
            drill_page(conn, unit, start, end, RECEIVED, ListOrder("due", True, n), page_size=4)
            for n in range((whole.total + 3) // 4)
        ]
    assert whole.total == test_bieu06.TOTAL.received_total == 18  # 22 less b07, b10, b11, b21
    assert [r.dossier_code for p in pages for r in p.rows] == [r.dossier_code for r in whole.rows]
    dues = [r.due_on for r in whole.rows]
    assert dues == sorted(dues, reverse=True)
    first = whole.rows[0]
    assert (first.status_text, first.channel_text) in {
        ("Đã xử lý xong", "Trực tiếp"),
        ("Đã trả kết quả", "Trực tuyến"),
    }
    with pytest.raises(ValueError, match="Không sắp xếp được"), db_engine.connect() as conn:
        drill_page(conn, unit, start, end, RECEIVED, ListOrder("size"))  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="Không có số liệu"), db_engine.connect() as conn:
        drill_page(conn, unit, start, end, DrillCell("everything"))


def _hostile_dossier(engine) -> None:
    add_pending_dossier(
        engine,
        2,
        date(2025, 9, 2),
        date(2025, 9, 4),
        dossier_code="-HOSTILE",
        procedure_name='=HYPERLINK("http://example.invalid","x")',
    )


def test_the_csv_has_title_as_of_header_and_neutralised_text(db_engine):
    load_sample(db_engine)
    _hostile_dossier(db_engine)
    lists = DossierListService(db_engine, "49", today=lambda: MID_SEPTEMBER)
    export = lists.drill_csv("20341", SEPTEMBER, DrillCell("pending_overdue"), ListOrder("code"))
    lines = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig"))))
    assert lines[0] == ["Đang giải quyết quá hạn — Phường Tam Kỳ — Tháng 9/2025"]
    assert lines[1] == ["Số liệu tính đến ngày 15/09/2025"]
    assert lines[2][:3] == ["Mã hồ sơ", "Mã thủ tục", "Tên thủ tục"]
    body = {r[0]: r for r in lines[3:]}
    assert export.total == len(body) == 2
    assert body["'-HOSTILE"][2] == '\'=HYPERLINK("http://example.invalid","x")'
    assert body["d11"][5:10] == ["20/06/2025", "15/07/2025", "", "Đang xử lý", "Trực tiếp"]


# ---------------------------------------------------------------- early warning


def _due_soon_sample(engine) -> None:
    """Open dossiers around Tết 2025, asked on Friday 24/01/2025 (next working days: 03/02, 04/02)."""
    with engine.begin() as conn:
        ids = registry_ids(conn)
        specs = [
            ("w1", "NEW_20341", 4, date(2025, 1, 20), date(2025, 1, 24)),  # due today
            ("w2", "NEW_20341", 2, date(2025, 1, 20), date(2025, 1, 29)),  # due in Tết: before 03/02
            ("w3", "NEW_20335", 4, date(2025, 1, 20), date(2025, 2, 3)),  # 1st working day
            ("w4", "SNV", 4, date(2025, 1, 20), date(2025, 2, 4)),  # 2nd working day
            ("w5", "SNV", 4, date(2025, 1, 20), date(2025, 2, 5)),  # 3rd: outside
            ("w6", "NEW_20341", 5, date(2025, 1, 20), date(2025, 1, 28)),  # paused: left out
            ("w7", "NEW_20341", 4, date(2025, 1, 10), date(2025, 1, 23)),  # overdue already: left out
            ("w8", "NEW_20341", 9, date(2025, 1, 20), date(2025, 1, 28)),  # resolved below: left out
        ]
        rows = rows_for(
            [
                {
                    "label": label,
                    "status": status,
                    "channel": 1,
                    "received": received,
                    "due": due,
                    "finished": date(2025, 1, 22) if status == 9 else None,
                    "sector": None,
                }
                for _, label, status, received, due in specs
            ],
            ids,
        )
        for row, spec in zip(rows, specs, strict=True):
            row["dossier_code"] = spec[0]
        conn.execute(insert(dossiers), rows)
        apply_changes(conn, [], [_facts(r) for r in rows])


def test_due_soon_counts_working_days_across_tet(db_engine):
    _due_soon_sample(db_engine)
    lists = DossierListService(db_engine, "49", today=lambda: date(2025, 1, 24))
    two = lists.due_soon(None, 2, page_size=50)
    assert two.window.last_day == date(2025, 2, 4)
    assert [r.dossier_code for r in two.page.rows] == ["w1", "w2", "w3", "w4"]  # by deadline
    one = lists.due_soon(None, 1)
    assert (one.window.last_day, one.page.total) == (date(2025, 2, 3), 3)
    assert lists.due_soon("20341", 2).page.total == 2
    assert lists.due_soon_counts("commune", "502").counts == {"20341": 2, "20335": 1}
    assert lists.due_soon_counts("district").counts == {"502": 3}
    assert lists.due_soon_counts("department").counts == {"SNV": 1}
    export = lists.due_soon_csv(None, 2)
    lines = export.content.decode("utf-8-sig").splitlines()
    assert lines[0].endswith("Hạn trả từ 24/01/2025 đến 04/02/2025 (2 ngày làm việc tới)")
    assert lines[1] == "Số liệu tính đến ngày 24/01/2025"
    assert export.total == 4
    with pytest.raises(ValueError, match="1 hoặc 2 ngày"):
        lists.due_soon(None, 3)


# ---------------------------------------------------------------- lookup


def test_lookup_tells_where_a_dossier_counts(db_engine):
    load_sample(db_engine)
    lists = DossierListService(db_engine, "49", today=lambda: MID_SEPTEMBER)
    found = lists.lookup("  d11 ")
    record = found.record
    assert record is not None and found.quarantined == ()
    assert (
        record.fields["agency_code"] == "20335" and record.agency_name == "Ủy ban nhân dân phường Tân Thạnh"
    )
    assert record.commune == ("20341", "Phường Tam Kỳ")  # the old commune counts for its successor
    assert record.district == ("502", "Thành phố Tam Kỳ")
    assert (record.received_month.key, record.outcome) == ("2025-06", "pending_overdue")  # type: ignore[union-attr]
    assert record.days_overdue == 62  # due 15/07: 16 + 31 + 15
    resolved = lists.lookup("d02").record
    assert (resolved.outcome, resolved.ended_month.key) == ("resolved_late", "2025-09")  # type: ignore[union-attr]
    assert lists.lookup("d09").record.outcome == "not_counted"  # type: ignore[union-attr]
    assert lists.lookup("d10").record.outcome == "pending_within"  # type: ignore[union-attr]  # ends on the 25th
    with pytest.raises(ValueError, match="Chưa nhập mã"):
        lists.lookup("  ")


def test_a_code_that_was_rejected_shows_its_quarantined_rows(db_engine):
    load_sample(db_engine)
    with db_engine.begin() as conn:
        run = conn.execute(
            insert(import_runs).values(
                kind="dossiers", source_file="cu.csv", started_at=datetime(2025, 9, 1), status="done"
            )
        ).inserted_primary_key[0]
        conn.execute(
            insert(quarantine).values(
                import_run_id=run,
                source_file="cu.csv",
                line_no=7,
                rule="received_after_due",
                message="Ngày tiếp nhận sau ngày hẹn trả",
                raw_row='{"dossier_code": "OLD-0007", "agency_code": "SNV"}',
                created_at=datetime(2025, 9, 1),
            )
        )
    found = DossierListService(db_engine, "49", today=lambda: MID_SEPTEMBER).lookup("OLD-0007")
    assert found.record is None
    assert [(q.source_file, q.line_no, q.rule) for q in found.quarantined] == [
        ("cu.csv", 7, "received_after_due")
    ]
    assert DossierListService(db_engine, "49").lookup("OLD-000%").quarantined == ()  # % is not a wildcard
