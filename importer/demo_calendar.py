"""Calendar and time trends of the demo data: working days, daily volumes, rising rates.

Public holidays are Vietnam's official days off (Tết, Hùng Kings, 30/4–1/5, 2/9,
New Year): as announced for 2023–2025, as expected for 2026–2027 (approximate);
later years fall back to weekends only. They only shape volumes and deadlines.
"""

from __future__ import annotations

from datetime import date

import numpy as np

DEMO_START = date(2023, 1, 1)

_HOLIDAY_RANGES: tuple[tuple[str, str], ...] = (
    ("2023-01-01", "2023-01-02"),
    ("2023-01-20", "2023-01-26"),
    ("2023-04-29", "2023-05-03"),
    ("2023-09-01", "2023-09-04"),
    ("2024-01-01", "2024-01-01"),
    ("2024-02-08", "2024-02-14"),
    ("2024-04-18", "2024-04-18"),
    ("2024-04-27", "2024-05-01"),
    ("2024-08-31", "2024-09-03"),
    ("2025-01-01", "2025-01-01"),
    ("2025-01-25", "2025-02-02"),
    ("2025-04-07", "2025-04-07"),
    ("2025-04-30", "2025-05-04"),
    ("2025-08-30", "2025-09-02"),
    ("2026-01-01", "2026-01-01"),
    ("2026-02-14", "2026-02-22"),
    ("2026-04-27", "2026-04-27"),
    ("2026-04-30", "2026-05-03"),
    ("2026-08-29", "2026-09-02"),
    ("2027-01-01", "2027-01-01"),
    ("2027-02-04", "2027-02-10"),
    ("2027-04-16", "2027-04-16"),
    ("2027-04-30", "2027-05-02"),
    ("2027-09-02", "2027-09-03"),
)


def holidays() -> np.ndarray:
    """Every public holiday as datetime64[D]."""
    days = [
        np.arange(np.datetime64(first), np.datetime64(last) + 1, dtype="datetime64[D]")
        for first, last in _HOLIDAY_RANGES
    ]
    return np.concatenate(days)


def working_calendar() -> np.busdaycalendar:
    return np.busdaycalendar(weekmask="1111100", holidays=holidays())


def day_weights(days: np.ndarray, calendar: np.busdaycalendar) -> np.ndarray:
    """Relative dossier volume of each day (datetime64[D]).

    Working days 1, Saturdays 0.12 (some desks open in the morning, online receptions),
    Sundays and holidays 0.03; volume grows about 8% a year; a mild year-end peak.
    """
    weekday = (days.astype("int64") + 3) % 7  # 1970-01-01 was a Thursday; Monday = 0
    weight = np.where(weekday == 5, 0.12, np.where(weekday == 6, 0.03, 1.0))
    weight = np.where(np.isin(days, calendar.holidays), 0.03, weight)
    years = years_since_start(days)
    month = days.astype("datetime64[M]").astype("int64") % 12 + 1
    seasonal = 1.0 + 0.08 * np.cos((month - 12) / 12 * 2 * np.pi)
    return weight * (1.0 + 0.08 * years) * seasonal


def years_since_start(days: np.ndarray) -> np.ndarray:
    start = np.datetime64(DEMO_START, "D")
    return (days.astype("datetime64[D]") - start).astype("int64") / 365.25


# Share of dossiers filed online, overall (DOMAIN.md §3: 66% nationally in August 2025).
ONLINE_SHARE_POINTS: tuple[tuple[str, float], ...] = (
    ("2023-01-01", 0.28),
    ("2024-01-01", 0.40),
    ("2025-01-01", 0.52),
    ("2025-08-01", 0.66),
    ("2026-12-31", 0.70),
)


def online_share(days: np.ndarray) -> np.ndarray:
    xs = np.array([np.datetime64(d, "D").astype("int64") for d, _ in ONLINE_SHARE_POINTS], dtype=float)
    ys = np.array([v for _, v in ONLINE_SHARE_POINTS])
    return np.interp(days.astype("datetime64[D]").astype("int64").astype(float), xs, ys)


def ramp(days: np.ndarray, first: float, last: float, over_years: float = 3.5) -> np.ndarray:
    """A rate rising linearly from `first` on DEMO_START to `last` after `over_years`."""
    t = np.clip(years_since_start(days) / over_years, 0.0, 1.0)
    return first + (last - first) * t
