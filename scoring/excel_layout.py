"""The layout of the self-assessment workbook, shared by the writer and the reader."""

from __future__ import annotations

SHEET = "Tự đánh giá"
META_SHEET = "_thong_tin"  # hidden: which unit, year, group and version the file is for
FORMAT_VERSION = "1"

HEADER_ROW = 6
FIRST_ROW = HEADER_ROW + 1

# column letter, header, width
COLUMNS = (
    ("A", "Mã", 9),
    ("B", "Lĩnh vực / tiêu chí / tiêu chí thành phần", 70),
    ("C", "Điểm tối đa", 10),
    ("D", "Nguồn điểm", 22),
    ("E", "Điểm tự đánh giá", 12),
    ("F", "Minh chứng (số, ngày văn bản; đường dẫn tài liệu)", 45),
    ("G", "Ghi chú", 30),
)
CODE_COL, NAME_COL, MAX_COL, SOURCE_COL, POINTS_COL, EVIDENCE_COL, NOTE_COL = (c[0] for c in COLUMNS)
INPUT_COLS = (POINTS_COL, EVIDENCE_COL, NOTE_COL)
HEADERS = {c[0]: c[1] for c in COLUMNS}

META_KEYS = ("format", "unit_code", "unit_name", "year", "group", "version_id", "checksum")
