"""Working days of Việt Nam (dossier_stats/workdays.py) across Tết and substituted days.

Expected days checked against the official texts:
- Labour Code 2019 (Bộ luật Lao động 45/2019/QH14), art. 112: the public holidays;
- Thông báo 6150/TB-LĐTBXH (2024) of the Ministry of Labour, Invalids and Social Affairs
  on the 2025 holidays of public servants: Tết Ất Tỵ off from Saturday 25/01/2025 to
  Sunday 02/02/2025; 30/4–1/5: Friday 02/05/2025 off in exchange for Saturday 26/04/2025,
  which is worked;
- Công văn 2450/VPCP-KGVX (2024) of the Government Office: Monday 29/04/2024 off in
  exchange for Saturday 04/05/2024, which is worked;
- Tết Giáp Thìn 2024: off from Thursday 08/02/2024 to Wednesday 14/02/2024.
"""

from __future__ import annotations

from datetime import date

import pytest

from dossier_stats.workdays import add_working_days, holiday_name, is_working_day, working_days_between


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2025, 1, 24), True),  # Friday before Tết
        (date(2025, 1, 27), False),  # 28 Chạp: Tết holiday
        (date(2025, 1, 31), False),  # mùng 3
        (date(2025, 2, 3), True),  # back to work
        (date(2025, 4, 26), True),  # Saturday worked in exchange
        (date(2025, 4, 30), False),
        (date(2025, 5, 2), False),  # Friday off in exchange
        (date(2025, 5, 3), False),  # Saturday
        (date(2024, 4, 29), False),  # Monday off in exchange
        (date(2024, 5, 4), True),  # Saturday worked in exchange
        (date(2024, 2, 14), False),
        (date(2024, 2, 15), True),
        (date(2025, 9, 1), False),  # Quốc khánh 2025: 1–2/9
        (date(2025, 9, 3), True),
    ],
)
def test_working_days_of_the_official_calendars(day, working):
    assert is_working_day(day) is working


def test_the_next_working_days_jump_over_tet():
    assert add_working_days(date(2025, 1, 24), 1) == date(2025, 2, 3)
    assert add_working_days(date(2025, 1, 24), 2) == date(2025, 2, 4)
    assert add_working_days(date(2024, 2, 7), 1) == date(2024, 2, 15)  # Wednesday before Tết 2024
    assert working_days_between(date(2025, 1, 24), date(2025, 2, 3)) == 1


def test_substituted_days_move_the_count():
    assert add_working_days(date(2025, 4, 25), 1) == date(2025, 4, 26)  # the Saturday worked
    assert add_working_days(date(2025, 4, 29), 1) == date(2025, 5, 5)  # 30/4, 1/5, 2/5 off, weekend
    assert add_working_days(date(2024, 4, 26), 1) == date(2024, 5, 2)  # Mon 29/4 off, 30/4, 1/5
    assert add_working_days(date(2024, 5, 3), 1) == date(2024, 5, 4)
    assert working_days_between(date(2025, 4, 25), date(2025, 5, 6)) == 5  # 26/4, 28/4, 29/4, 5/5, 6/5
    assert holiday_name(date(2025, 5, 2)) == "Ngày nghỉ (thay cho ngày 26/04/2025)"


def test_bad_counts_are_refused():
    with pytest.raises(ValueError, match="Số ngày làm việc"):
        add_working_days(date(2025, 1, 1), 0)
    assert working_days_between(date(2025, 1, 5), date(2025, 1, 5)) == 0
