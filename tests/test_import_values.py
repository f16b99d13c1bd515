from datetime import datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clock import LOCAL_TZ
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


def _general_path(text: str) -> datetime:
    """What parse_timestamp means for a text with an offset: converted to local time."""
    return datetime.fromisoformat(text).astimezone(LOCAL_TZ).replace(tzinfo=None)


@given(
    st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2100, 12, 31, 23, 59, 59)),
    st.sampled_from(["T", " "]),
)
def test_local_offset_shortcut_gives_the_general_conversion(value, separator):
    text = value.replace(microsecond=0).isoformat(sep=separator) + "+07:00"
    assert len(text) == 25
    assert parse_timestamp(text) == _general_path(text) == value.replace(microsecond=0)


@pytest.mark.parametrize(
    "text",
    [
        "1989-12-31T23:59:59+07:00",  # year out of range: the general path's message
        "2101-01-01T00:00:00+07:00",
        "2025-02-30T08:00:00+07:00",  # no such day
        "2025-03-10T24:00:00+07:00",
        "2025-03-10T08:30+07+07:00",  # the first 19 characters parse (with an offset), the whole does not
        "2025-03-10T08:3x:00+07:00",
    ],
)
def test_local_offset_shortcut_refuses_what_the_general_path_refuses(text):
    with pytest.raises(ValueProblem, match=text[:4]):
        parse_timestamp(text)


def test_other_offsets_of_the_same_length_are_converted():
    text = "2025-03-10T08:30:00+08:00"
    assert parse_timestamp(text) == datetime(2025, 3, 10, 8, 30) - timedelta(hours=1)


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
