from datetime import datetime

import pytest

from importer.values import (
    ValueProblem,
    parse_bool,
    parse_code,
    parse_decimal,
    parse_int,
    parse_int_choice,
    parse_timestamp,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-03-10", datetime(2025, 3, 10, 0, 0)),  # date only: 00:00 local
        ("2025-03-10T08:30:00", datetime(2025, 3, 10, 8, 30)),  # no offset: already local
        ("2025-03-10 08:30", datetime(2025, 3, 10, 8, 30)),
        ("2025-03-10T08:30:00+07:00", datetime(2025, 3, 10, 8, 30)),
        ("2025-03-10T01:30:00Z", datetime(2025, 3, 10, 8, 30)),  # UTC → +7 h
        ("2025-03-09T20:00:00-05:00", datetime(2025, 3, 10, 8, 0)),  # 01:00 UTC → 08:00 local
        ("2025-03-10T17:30:00+00:00", datetime(2025, 3, 11, 0, 30)),  # crosses midnight locally
    ],
)
def test_timestamps_become_naive_local_time(text, expected):
    assert parse_timestamp(text) == expected


@pytest.mark.parametrize("text", ["10/03/2025", "2025-13-01", "hôm qua", "1899-01-01", "2025-02-30"])
def test_unreadable_timestamps_are_refused_with_the_value_named(text):
    with pytest.raises(ValueProblem, match=text.split("-")[0]):
        parse_timestamp(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1", True),
        ("0", False),
        ("true", True),
        ("FALSE", False),
        ("có", True),
        ("Không", False),
        ("CÓ", True),
    ],
)
def test_booleans_accept_the_documented_spellings(text, expected):
    assert parse_bool(text) is expected


def test_boolean_in_decomposed_unicode_is_accepted():
    assert parse_bool("co\u0301") is True  # "có" typed as c + o + combining acute


@pytest.mark.parametrize("text", ["yes", "2", "đúng"])
def test_other_boolean_spellings_are_refused(text):
    with pytest.raises(ValueProblem, match="1/0"):
        parse_bool(text)


def test_integers_and_decimals():
    assert parse_int("12") == 12
    assert parse_decimal("2.5") == 2.5
    assert parse_decimal(".5") == 0.5
    for bad in ("1.0", "1_000", "３", ""):
        with pytest.raises(ValueProblem):
            parse_int(bad)
    with pytest.raises(ValueProblem, match="dấu chấm"):
        parse_decimal("2,5")
    with pytest.raises(ValueProblem):
        parse_decimal("nan")


def test_codes_keep_leading_zeros_and_are_length_checked():
    assert parse_code("00123", 10) == "00123"
    with pytest.raises(ValueProblem, match="tối đa 5"):
        parse_code("123456", 5)


def test_enumerated_integers_are_range_checked():
    assert parse_int_choice("3", 1, 3) == 3
    with pytest.raises(ValueProblem, match="1–3"):
        parse_int_choice("4", 1, 3)
