"""Vietnamese number, percent and date formatting (vi_format.py)."""

from datetime import date, datetime

from vi_format import (
    data_time_text,
    format_date,
    format_datetime,
    format_int,
    format_number,
    format_percent,
    format_points,
    parse_points,
    round_half_up,
    vietnamese_sort_key,
)


def test_integers_group_thousands_with_dots():
    assert format_int(0) == "0"
    assert format_int(999) == "999"
    assert format_int(1234) == "1.234"
    assert format_int(1234567) == "1.234.567"
    assert format_int(-4500) == "-4.500"


def test_decimals_use_a_comma_and_thousands_a_dot():
    assert format_number(1234.5) == "1.234,5"
    assert format_number(0.25, 2) == "0,25"
    assert format_number(1000000.0, 0) == "1.000.000"
    assert format_number(2.05, 1) in {"2,0", "2,1"}  # binary rounding of 2.05, either is honest
    assert format_number(-1234.56, 1) == "-1.234,6"


def test_negative_zero_is_shown_as_zero():
    assert format_number(-0.01, 1) == "0,0"


def test_rates_are_shown_as_percentages_with_a_decimal_comma():
    assert format_percent(0.875) == "87,5%"
    assert format_percent(1.0) == "100,0%"
    assert format_percent(0.0) == "0,0%"
    assert format_percent(2 / 3) == "66,7%"
    assert format_percent(0.5, 0) == "50%"


def test_missing_values_are_an_em_dash():
    assert format_int(None) == "—"
    assert format_number(None) == "—"
    assert format_percent(None) == "—"
    assert format_date(None) == "—"
    assert format_datetime(None) == "—"


def test_dates_are_day_month_year_with_leading_zeros():
    assert format_date(date(2026, 10, 5)) == "05/10/2026"


def test_times_are_hours_minutes_then_the_date():
    assert format_datetime(datetime(2026, 11, 27, 8, 5)) == "08:05 27/11/2026"


def test_data_time_line_names_the_update_time_or_says_there_is_none():
    assert data_time_text(datetime(2026, 11, 27, 14, 30)) == "Dữ liệu cập nhật lúc 14:30 27/11/2026"
    assert data_time_text(None) == "Chưa có dữ liệu hồ sơ"


def test_names_sort_in_vietnamese_alphabetical_order():
    names = ["Xã Đắc Pring", "Xã Dờn", "Xã Ân Phú", "Xã An Hải", "Xã Bình Lãnh", "Xã Ăn", "Xã Zô"]
    assert sorted(names, key=vietnamese_sort_key) == [
        "Xã An Hải",
        "Xã Ăn",
        "Xã Ân Phú",
        "Xã Bình Lãnh",
        "Xã Dờn",
        "Xã Đắc Pring",
        "Xã Zô",
    ]


def test_tones_only_break_ties_between_the_same_letters():
    assert sorted(["Má", "Mà", "Ma", "Mạ"], key=vietnamese_sort_key) == ["Ma", "Mà", "Má", "Mạ"]
    assert sorted(["Mả", "Mb"], key=vietnamese_sort_key) == ["Mả", "Mb"]


def test_points_keep_two_decimals_at_most_and_drop_trailing_zeros():
    assert format_points(7.5) == "7,5"
    assert format_points(6.0) == "6"
    assert format_points(1234.25) == "1.234,25"
    assert format_points(-0.001) == "0"  # no "-0"
    assert format_points(None) == "—"


def test_points_round_half_up_where_binary_floats_would_round_down():
    assert round(2.675, 2) == 2.67  # Python: 2.675 is stored as 2.67499…
    assert round_half_up(2.675, 2) == 2.68  # as written, half up
    assert format_points(2.675) == "2,68"
    assert round_half_up(0.125, 2) == 0.13


def test_points_are_read_with_a_comma_or_a_dot():
    assert parse_points("7,5") == 7.5
    assert parse_points(" 7.5 ") == 7.5
    assert parse_points("6") == 6.0
    for bad in ("", "abc", "nan", "inf", "1,2,3"):
        try:
            parse_points(bad)
        except ValueError:
            continue
        raise AssertionError(f"{bad!r} was accepted")
