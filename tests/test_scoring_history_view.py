"""The change history under a scorecard: newest first, Vietnamese labels and numbers."""

from __future__ import annotations

from datetime import datetime, timedelta

from layouts.scoring.history import MAX_SHOWN, history_lines, history_section
from scoring.history import HistoryRow
from tests.test_details import texts

T0 = datetime(2026, 3, 2, 8, 5)


def change(
    minutes: int, field: str, old: str | None, new: str | None, item: str | None = "1.1.1"
) -> HistoryRow:
    return HistoryRow("SNV", item, field, old, new, "Nguyễn Văn A", T0 + timedelta(minutes=minutes))


def test_lines_are_newest_first_with_labels_and_vietnamese_values():
    rows = [
        change(0, "self_points", None, "7.5"),
        change(1, "self_locked", "false", "true", item=None),
        change(2, "appraisal1_points", "7.5", "6.25"),
        change(3, "self_note", "x" * 400, None),
    ]
    lines = history_lines(rows, {"1.1.1": "Ban hành kế hoạch CCHC"})
    assert [li.what for li in lines] == [
        "Ghi chú tự đánh giá",
        "Điểm thẩm định lần 1",
        "Khóa tự đánh giá",
        "Điểm tự đánh giá",
    ]
    note, appraisal, lock, self_points = lines
    assert (appraisal.old, appraisal.new) == ("7,5", "6,25")
    assert (lock.item, lock.old, lock.new) == ("Cả đơn vị", "chưa khóa", "đã khóa")
    assert (self_points.item, self_points.old, self_points.new) == (
        "1.1.1 — Ban hành kế hoạch CCHC",
        "—",
        "7,5",
    )
    assert self_points.when == "08:05 02/03/2026" and self_points.who == "Nguyễn Văn A"
    assert len(note.old) == 160 and note.old.endswith("…") and note.new == "—"


def test_long_histories_show_the_newest_and_say_how_many_there_are():
    rows = [change(i, "self_points", None, str(i)) for i in range(MAX_SHOWN + 50)]
    lines = history_lines(rows, {})
    assert len(lines) == MAX_SHOWN and lines[0].new == str(MAX_SHOWN + 49)
    shown = texts(history_section(rows, {}))
    assert "200 thay đổi mới nhất trong tổng số 250." in shown


def test_no_change_yet_is_said():
    assert "Chưa có thay đổi nào được ghi cho đơn vị này trong năm." in texts(history_section([], {}))
