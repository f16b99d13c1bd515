"""The change history of a unit's scores, under its scorecard: who changed what, and when.

Pure builders from `scoring.history.HistoryRow` (one row per changed field, as the
workflow, the Excel and survey imports and the bonus/penalty lines record them).
Newest first; at most MAX_SHOWN lines, with the total said.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from dash import html

from layouts.scoring.common import points_text
from scoring.history import HistoryRow
from vi_format import MISSING, format_datetime, format_int

MAX_SHOWN = 200
MAX_TEXT = 160  # characters of a note or evidence shown in the table
FIELD_LABELS = {
    "self_points": "Điểm tự đánh giá",
    "evidence": "Tài liệu kiểm chứng",
    "self_note": "Ghi chú tự đánh giá",
    "self_locked": "Khóa tự đánh giá",
    "appraisal1_points": "Điểm thẩm định lần 1",
    "appraisal1_note": "Ghi chú thẩm định lần 1",
    "explanation": "Giải trình",
    "final_points": "Điểm thẩm định lần 2",
    "final_note": "Ghi chú thẩm định lần 2",
    "survey_points": "Điểm điều tra xã hội học",
    "bonus_points": "Điểm thưởng",
    "penalty_points": "Điểm trừ",
    "note": "Ghi chú",
    "definition": "Bộ chỉ số",
}
LOCK_VALUES = {"true": "đã khóa", "false": "chưa khóa"}
HEADERS = ("Thời điểm", "Người thay đổi", "Mục", "Nội dung", "Giá trị cũ", "Giá trị mới")


@dataclass(frozen=True)
class HistoryLine:
    when: str
    who: str
    item: str
    what: str
    old: str
    new: str


def value_text(field: str, value: str | None) -> str:
    """A recorded value the Vietnamese way: points "7,5", the lock "đã khóa", text shortened."""
    if value is None:
        return MISSING
    if field.endswith("_points"):
        try:
            return points_text(float(value))
        except ValueError:
            return value
    if field == "self_locked":
        return LOCK_VALUES.get(value, value)
    return value if len(value) <= MAX_TEXT else value[: MAX_TEXT - 1] + "…"


def history_lines(rows: Sequence[HistoryRow], item_names: Mapping[str, str]) -> list[HistoryLine]:
    """Newest first, at most MAX_SHOWN."""
    newest = sorted(rows, key=lambda r: r.changed_at, reverse=True)[:MAX_SHOWN]
    return [
        HistoryLine(
            when=format_datetime(r.changed_at),
            who=r.changed_by,
            item="Cả đơn vị" if r.item_code is None else _item(r.item_code, item_names),
            what=FIELD_LABELS.get(r.field, r.field),
            old=value_text(r.field, r.old_value),
            new=value_text(r.field, r.new_value),
        )
        for r in newest
    ]


def _item(code: str, names: Mapping[str, str]) -> str:
    name = names.get(code)
    return code if name is None else f"{code} — {name}"


def history_section(rows: Sequence[HistoryRow], item_names: Mapping[str, str]) -> html.Section:
    lines = history_lines(rows, item_names)
    if not lines:
        body: list = [
            html.P("Chưa có thay đổi nào được ghi cho đơn vị này trong năm.", className="card-caption")
        ]
    else:
        caption = (
            f"{format_int(len(rows))} thay đổi, mới nhất trước."
            if len(rows) <= MAX_SHOWN
            else f"{format_int(MAX_SHOWN)} thay đổi mới nhất trong tổng số {format_int(len(rows))}."
        )
        table = html.Table(
            [
                html.Thead(html.Tr([html.Th(h) for h in HEADERS])),
                html.Tbody(
                    [
                        html.Tr([html.Td(x) for x in (li.when, li.who, li.item, li.what, li.old, li.new)])
                        for li in lines
                    ]
                ),
            ],
            className="scoring-table history-table",
        )
        body = [html.P(caption, className="card-caption"), html.Div(table, className="scoring-scroll")]
    return html.Section([html.H3("Lịch sử thay đổi", className="card-title"), *body], className="card")
