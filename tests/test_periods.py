from datetime import date

import pytest

from dossier_stats.periods import Period, default_period, last_full_month, periods_between


@pytest.mark.parametrize(
    ("key", "kind", "year", "index", "label", "start", "end", "first", "last"),
    [
        (
            "2026-10",
            "month",
            2026,
            10,
            "Tháng 10/2026",
            date(2026, 10, 1),
            date(2026, 10, 31),
            202610,
            202610,
        ),
        ("2024-02", "month", 2024, 2, "Tháng 2/2024", date(2024, 2, 1), date(2024, 2, 29), 202402, 202402),
        ("2026-Q3", "quarter", 2026, 3, "Quý III/2026", date(2026, 7, 1), date(2026, 9, 30), 202607, 202609),
        ("2025-Q4", "quarter", 2025, 4, "Quý IV/2025", date(2025, 10, 1), date(2025, 12, 31), 202510, 202512),
        ("2026", "year", 2026, 0, "Năm 2026", date(2026, 1, 1), date(2026, 12, 31), 202601, 202612),
    ],
)
def test_period_key_parses_to_its_bounds_and_label(key, kind, year, index, label, start, end, first, last):
    p = Period.parse(key)
    assert p == Period(kind, year, index)
    assert (p.key, p.label, p.start, p.end, p.first_month, p.last_month) == (
        key,
        label,
        start,
        end,
        first,
        last,
    )


def test_parse_accepts_lowercase_quarter_and_surrounding_spaces():
    assert Period.parse(" 2026-q1 ") == Period("quarter", 2026, 1)
    assert Period.parse("2026-3").key == "2026-03"


@pytest.mark.parametrize(
    "bad", ["", "2026-13", "2026-00", "2026-Q5", "2026-Q0", "26-10", "2026/10", "tháng 10", "0000"]
)
def test_parse_rejects_bad_keys_with_a_vietnamese_message(bad):
    with pytest.raises(ValueError, match="Kỳ báo cáo không hợp lệ"):
        Period.parse(bad)


def test_invalid_period_cannot_be_built():
    with pytest.raises(ValueError, match="không hợp lệ"):
        Period("month", 2026, 13)
    with pytest.raises(ValueError, match="không hợp lệ"):
        Period("week", 2026, 1)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="không hợp lệ"):
        Period("year", 2026, 1)


@pytest.mark.parametrize(
    ("key", "previous"),
    [
        ("2026-01", "2025-12"),
        ("2026-10", "2026-09"),
        ("2026-Q1", "2025-Q4"),
        ("2026-Q3", "2026-Q2"),
        ("2026", "2025"),
    ],
)
def test_previous_period(key, previous):
    assert Period.parse(key).previous() == Period.parse(previous)


def test_months_of_a_quarter_and_a_year():
    assert Period.parse("2025-Q3").months() == [202507, 202508, 202509]
    assert Period.parse("2025").months() == [202500 + m for m in range(1, 13)]


def test_last_full_month_and_default_periods():
    today = date(2026, 1, 15)
    assert last_full_month(today) == Period("month", 2025, 12)
    assert default_period("month", today) == Period("month", 2025, 12)
    assert default_period("quarter", today) == Period("quarter", 2025, 4)
    assert default_period("year", today) == Period("year", 2025, 0)
    assert default_period("quarter", date(2026, 7, 1)) == Period("quarter", 2026, 2)


def test_periods_between_lists_newest_first_including_the_current_one():
    got = periods_between("quarter", date(2025, 2, 3), date(2026, 1, 5))
    assert [p.key for p in got] == ["2026-Q1", "2025-Q4", "2025-Q3", "2025-Q2", "2025-Q1"]
    months = periods_between("month", date(2025, 11, 30), date(2026, 1, 1))
    assert [p.key for p in months] == ["2026-01", "2025-12", "2025-11"]
    assert [p.key for p in periods_between("year", date(2024, 6, 1), date(2026, 1, 1))] == [
        "2026",
        "2025",
        "2024",
    ]


def test_periods_between_with_first_after_today_gives_only_the_current_period():
    assert periods_between("month", date(2026, 5, 1), date(2026, 3, 9)) == [Period("month", 2026, 3)]


def test_periods_sort_chronologically_within_a_kind():
    keys = ["2026-02", "2025-12", "2026-01"]
    assert [p.key for p in sorted(Period.parse(k) for k in keys)] == ["2025-12", "2026-01", "2026-02"]
