"""Points arithmetic and their Vietnamese writing (7,5 — comma decimals, dot thousands)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

DECIMALS = 2  # points and percentages are kept to two decimals


def round_points(value: float) -> float:
    """Round half up to two decimals (Python's round() is half-to-even on binary floats)."""
    return float(Decimal(repr(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)) + 0.0


def has_at_most_two_decimals(value: float) -> bool:
    return abs(value * 100 - round(value * 100)) < 1e-6


def format_points(value: float | None) -> str:
    """7.5 -> "7,5", 6.0 -> "6", 1234.25 -> "1.234,25"; None -> "—"."""
    if value is None:
        return "—"
    text = f"{round_points(value):,.2f}".rstrip("0").rstrip(".")
    if text in ("-0", ""):
        text = "0"
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def parse_points(text: str) -> float:
    """A points value as people type it: "7,5" or "7.5" (points are small: a dot is always
    decimal), " 6 ". ValueError when it is not a finite number."""
    cleaned = text.strip().replace(" ", "")
    if cleaned.count(",") == 1 and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")
    value = float(cleaned)
    if value != value or value in (float("inf"), float("-inf")):
        raise ValueError(text)
    return value
