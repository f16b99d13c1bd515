"""The as-of rule (issue 14 item 1), on both backends: a period that has not ended is
counted from its first day to today.

The hand-computed case is test_stats_kpis's data set asked on 15/09/2025 (APP_TODAY
mid-month); the property test compares the as-of KPIs of random data sets, days and units
with test_bieu06_properties' independent Python count of the rules over [first day, today].
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from config import Settings
from db.schema import dossiers
from dossier_stats import kpis
from dossier_stats.asof import AsOf, PeriodNotStarted, as_of, asof_source
from dossier_stats.bieu06.query import OPEN_SQL, bieu06_report
from dossier_stats.bieu06.unit import resolve_unit
from dossier_stats.details import DetailsService
from dossier_stats.kpis import Kpis
from dossier_stats.periods import Period
from dossier_stats.service import StatsService
from dossier_stats.trends import unit_trends
from tests.test_bieu06_properties import (
    a_dossier,
    add_pending_dossier,
    database_examples,
    expected_rows,
    replace_dossiers,
)
from tests.test_stats_kpis import Q3, SEPT_20341, SEPTEMBER, K, by_code, load_sample

MID_SEPTEMBER = date(2025, 9, 15)

# test_stats_kpis.DOSSIERS counted by hand for 01/09–15/09/2025 (pending judged on 15/09).
# Against the whole month: d03 (due 20/09) is within deadline on the 15th, not overdue;
# d10 (received 15/09, resolved 25/09) is pending, not resolved; d13 (received 20/09) and
# d16 (29/09) are not received yet.
PROVINCE_15_9 = K(
    received_online=6,  # d01 d04 d06 d10 d15 d19
    received_direct_postal=3,  # d02 d03 d07
    carried_over=4,  # d05 d11 d12 d14
    resolved_early=2,  # d05 d15
    resolved_on_time=2,  # d01 d06 (withdrawn on the 15th)
    resolved_late=2,  # d02 d14
    pending_within=5,  # d03 d04 d07 (paused) d10 d19 (stopped)
    pending_overdue=2,  # d11 d12
)
# As the whole of September but for d03 (due 20/09): within deadline on the 15th.
COMMUNE_20341_15_9 = replace(SEPT_20341, pending_within=3, pending_overdue=1)  # d03 d04 d07 | d11
COMMUNE_20335_15_9 = K(received_online=1, pending_within=1)  # d10: resolved on the 25th
DISTRICT_502_15_9 = COMMUNE_20341_15_9 + COMMUNE_20335_15_9 + K(carried_over=1, pending_overdue=1)  # + d12


@pytest.fixture
def loaded(db_engine):
    load_sample(db_engine)
    return db_engine


def stats_on(engine, day: date) -> StatsService:
    """The service as the app builds it, with APP_TODAY set to `day`."""
    app_settings = Settings.from_env({"DATABASE_URL": str(engine.url), "APP_TODAY": day.isoformat()})
    return StatsService(engine, "49", today=app_settings.today)


def test_a_running_month_is_counted_to_today_counted_by_hand(loaded):
    stats = stats_on(loaded, MID_SEPTEMBER)
    assert stats.as_of(SEPTEMBER) == AsOf(SEPTEMBER, MID_SEPTEMBER)
    assert stats.province_kpis(SEPTEMBER) == PROVINCE_15_9
    assert by_code(stats.commune_kpis(SEPTEMBER, "502")) == {
        "20335": COMMUNE_20335_15_9,
        "20341": COMMUNE_20341_15_9,
    }
    assert by_code(stats.district_kpis(SEPTEMBER))["502"] == DISTRICT_502_15_9
    assert by_code(stats.department_kpis(SEPTEMBER)) == {
        "SNV": Kpis(),  # d16 arrives on the 29th
        "STC": K(received_online=1, carried_over=1, resolved_early=1, resolved_late=1),  # d14 d15
    }


def test_a_running_quarter_is_counted_from_its_first_day_to_today(loaded):
    quarter = by_code(stats_on(loaded, MID_SEPTEMBER).commune_kpis(Q3, "502"))["20341"]
    # Q3 of test_stats_kpis minus what happens after the 15th: d03 is within deadline.
    assert quarter == K(
        received_online=4,  # d01 d04 d06 d18
        received_direct_postal=4,  # d02 d03 d05 d07
        carried_over=1,  # d11
        resolved_early=2,  # d05 d18
        resolved_on_time=2,  # d01 d06
        resolved_late=1,  # d02
        pending_within=3,  # d03 d04 d07
        pending_overdue=1,  # d11
    )


def test_a_finished_period_is_unchanged(loaded):
    stats = stats_on(loaded, date(2025, 10, 1))
    assert stats.as_of(SEPTEMBER) == AsOf(SEPTEMBER, date(2025, 9, 30))
    assert not stats.as_of(SEPTEMBER).running
    with loaded.connect() as conn:
        assert stats.province_kpis(SEPTEMBER) == kpis.province_kpis(conn, SEPTEMBER)
        assert stats.district_kpis(SEPTEMBER) == kpis.district_kpis(conn, SEPTEMBER)


def test_the_running_month_equals_bieu06_from_its_first_day_to_today_on_every_day(loaded):
    """Biểu 06 counts straight from the dossiers; the KPIs from the monthly table and its
    corrections. They agree for every unit on every day of August and September."""
    with loaded.connect() as conn:
        for offset in range(61):
            day = date(2025, 8, 1) + timedelta(days=offset)
            period = Period.containing("month", day)
            source = asof_source(conn, day)
            got = {
                None: kpis.province_kpis(conn, period, source=source),
                **by_code(kpis.district_kpis(conn, period, source=source)),
                **by_code(kpis.commune_kpis(conn, period, "502", source=source)),
                **by_code(kpis.department_kpis(conn, period, source=source)),
            }
            for code, value in got.items():
                expected = bieu06_report(conn, period.start, day, resolve_unit(conn, code)).total
                assert value == expected, (day, code)


def test_bieu06_of_a_running_month_stops_today(loaded):
    """Biểu 06 for 1–30/9 asked on 15/9 equals Biểu 06 for 1–15/9."""
    service = DetailsService(loaded, "49", today=lambda: MID_SEPTEMBER)
    report = service.bieu06(None, SEPTEMBER)
    with loaded.connect() as conn:
        assert report == bieu06_report(conn, SEPTEMBER.start, MID_SEPTEMBER, resolve_unit(conn, None))
    assert report.end == MID_SEPTEMBER
    assert report.total == PROVINCE_15_9


def test_trends_last_point_and_channels_stop_today(loaded):
    service = DetailsService(loaded, "49", today=lambda: MID_SEPTEMBER)
    trends = service.trends("20341", 202509, months=3)
    assert trends.as_of == MID_SEPTEMBER
    september = trends.unit.points[-1]
    assert (september.month, september.received, september.resolved) == (202509, 6, 4)
    assert september.on_time_rate == pytest.approx(3 / 4)  # d05 early, d01 d06 on time, d02 late
    province_september = trends.province.points[-1]
    assert (province_september.received, province_september.resolved) == (9, 6)
    channels = service.channels(None, SEPTEMBER)
    assert channels.as_of == MID_SEPTEMBER
    total = channels.total
    assert (total.online, total.direct, total.postal) == (6, 2, 1)  # d03 by post; d13 d16 later


def test_the_overdue_list_of_a_running_month_counts_days_to_today(db_engine):
    """Issue 14 (a): a dossier due on 3 November shows 32 days overdue on 5 December, not 58."""
    load_sample(db_engine)
    add_pending_dossier(db_engine, 1, date(2026, 10, 27), date(2026, 11, 3))
    december = Period("month", 2026, 12)
    service = DetailsService(db_engine, "49", today=lambda: date(2026, 12, 5))
    page = service.overdue_page("20341", december, "days_overdue", True, 0, 50)
    assert page.as_of == date(2026, 12, 5)
    assert [(r.due_on, r.days_overdue) for r in page.rows if r.due_on == date(2026, 11, 3)] == [
        (date(2026, 11, 3), 32)
    ]
    export = service.overdue_export("20341", december, "days_overdue", True)
    assert export.content.decode("utf-8-sig").splitlines()[0] == "Số liệu tính đến ngày 05/12/2026"


def test_a_period_not_begun_is_refused_and_the_as_of_texts():
    with pytest.raises(PeriodNotStarted, match="chưa bắt đầu"):
        as_of(Period("month", 2026, 12), date(2026, 11, 30))
    running = as_of(Period("year", 2026, 0), date(2026, 9, 15))
    assert (running.running, running.text, running.line) == (
        True,
        "tính đến ngày 15/09/2026",
        "Số liệu tính đến ngày 15/09/2026",
    )


def test_the_open_due_index_has_the_open_dossier_predicate():
    index = next(i for i in dossiers.indexes if i.name == "ix_dossiers_open_due")
    for dialect in ("postgresql", "sqlite"):
        assert str(index.dialect_options[dialect]["where"]) == OPEN_SQL


def test_unit_trends_without_as_of_judge_the_month_at_its_end(loaded):
    with loaded.connect() as conn:
        whole = unit_trends(conn, resolve_unit(conn, "20341"), 202509, 2)
        to_15 = unit_trends(conn, resolve_unit(conn, "20341"), 202509, 2, as_of=MID_SEPTEMBER)
    assert whole.unit.points[-1].received == 6 and whole.as_of is None
    assert to_15.unit.points[0] == whole.unit.points[0]  # August is finished: unchanged


LEVEL_CODES = [None, "502", "503", "20341", "SNV", "STC"]


def _as_of_listing(conn, period: Period, day: date) -> dict[str | None, Kpis]:
    source = asof_source(conn, day)
    return {
        None: kpis.province_kpis(conn, period, source=source),
        **by_code(kpis.district_kpis(conn, period, source=source)),
        **by_code(kpis.commune_kpis(conn, period, "502", source=source)),
        **by_code(kpis.department_kpis(conn, period, source=source)),
    }


@database_examples(40)
@given(
    specs=st.lists(a_dossier(), max_size=40),
    day_offset=st.integers(0, 58),
    kind=st.sampled_from(["month", "quarter"]),
)
def test_as_of_kpis_follow_the_rules_on_random_data(db_engine, specs, day_offset, kind):
    """Random dossiers of January–February 2025, any day of those months, a month or the
    quarter: each unit's as-of KPIs equal the independent count of the rules over
    [first day, day] (test_bieu06_properties.expected_rows, summed over levels and sectors)."""
    replace_dossiers(db_engine, specs)
    day = date(2025, 1, 1) + timedelta(days=day_offset)
    period = Period.containing(kind, day)  # type: ignore[arg-type]
    with db_engine.connect() as conn:
        got = _as_of_listing(conn, period, day)
    for code in LEVEL_CODES:
        expected = sum(expected_rows(specs, code, period.start, day).values(), Kpis())
        assert got.get(code, Kpis()) == expected, (code, period.key, day)


def test_the_bieu06_workbook_of_a_running_month_says_to_which_day(loaded):
    import io

    from openpyxl import load_workbook

    from dossier_stats.bieu06.xlsx_writer import SHEET_TITLE, note_row_index

    service = DetailsService(loaded, "49", today=lambda: MID_SEPTEMBER)
    sheet = load_workbook(io.BytesIO(service.bieu06_bytes(None, SEPTEMBER, "xlsx")))[SHEET_TITLE]
    report = service.bieu06(None, SEPTEMBER)
    assert sheet.cell(row=note_row_index(report) + 1, column=1).value == "Số liệu tính đến ngày 15/09/2025"
    assert "đến ngày 15/09/2025" in sheet.cell(row=5, column=1).value  # the period line stops today
