"""The as-of day on screen (issue 14 item 1): a period that has not ended is counted to
today, and every place that shows it says so — "tính đến ngày dd/mm/yyyy"."""

from __future__ import annotations

from datetime import datetime

from dossier_stats.asof import AsOf
from vi_format import data_time_text, format_date

RULE_LINE = (
    "Quy tắc: kỳ chưa kết thúc được tính từ ngày đầu kỳ đến hết ngày tính số liệu; hồ sơ đang "
    "giải quyết được xét hạn tại ngày đó (trong hạn khi hạn trả từ ngày đó trở đi)."
)
SOURCE_LINE = "Nguồn: cơ sở dữ liệu hồ sơ thủ tục hành chính của tỉnh (Bản đồ thể chế)"


def export_notes(data_time: datetime | None) -> list[str]:
    """The rule and source lines after the as-of line of a CSV."""
    return [RULE_LINE, f"{SOURCE_LINE}; {data_time_text(data_time).lower()}."]


def as_of_note(as_of: AsOf | None) -> str:
    """ "tính đến ngày 18/11/2026" while the period runs, "" once it has ended."""
    if as_of is None or not as_of.running:
        return ""
    return f"tính đến ngày {format_date(as_of.day)}"


def period_text(label: str, as_of: AsOf | None) -> str:
    """ "Tháng 11/2026 (tính đến ngày 18/11/2026)", or the label alone for a finished period."""
    note = as_of_note(as_of)
    return f"{label} ({note})" if note else label
