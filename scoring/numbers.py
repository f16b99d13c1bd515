"""Points arithmetic (their Vietnamese writing and reading is vi_format.format_points /
parse_points)."""

from __future__ import annotations

from vi_format import round_half_up

DECIMALS = 2  # points and percentages are kept to two decimals


def round_points(value: float) -> float:
    """Round half up to two decimals (Python's round() is half-to-even on binary floats)."""
    return round_half_up(value, DECIMALS)


def has_at_most_two_decimals(value: float) -> bool:
    return abs(value * 100 - round(value * 100)) < 1e-6
