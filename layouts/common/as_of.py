"""The as-of day on screen (issue 14 item 1): a period that has not ended is counted to
today, and every place that shows it says so — "tính đến ngày dd/mm/yyyy"."""

from __future__ import annotations

from dossier_stats.asof import AsOf
from vi_format import format_date


def as_of_note(as_of: AsOf | None) -> str:
    """ "tính đến ngày 18/11/2026" while the period runs, "" once it has ended."""
    if as_of is None or not as_of.running:
        return ""
    return f"tính đến ngày {format_date(as_of.day)}"


def period_text(label: str, as_of: AsOf | None) -> str:
    """ "Tháng 11/2026 (tính đến ngày 18/11/2026)", or the label alone for a finished period."""
    note = as_of_note(as_of)
    return f"{label} ({note})" if note else label
