"""Streaming reader of the interchange CSV files, with whole-file checks up front.

`open_source(path, required, optional)` reads the file once in binary chunks to
reject what is not a UTF-8 text file (binary, UTF-16, Excel, cp1258/latin-1 bytes,
empty) before anything is written, then reads the header. `CsvSource.records()`
streams the data records as (line number, fields): the line number is the physical
line on which the record starts, also when quoted values span several lines.
Nothing is ever loaded whole into memory.
"""

from __future__ import annotations

import codecs
import csv
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from pathlib import Path

CHUNK_SIZE = 1 << 20
_UTF8_BOM = codecs.BOM_UTF8
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # legacy .xls / .doc


class FileRejected(Exception):
    """The whole file is refused; the message (Vietnamese, then English) names the problem."""

    def __init__(self, path: Path, message_vi: str, message_en: str) -> None:
        self.path = Path(path)
        self.message_vi = message_vi
        self.message_en = message_en
        super().__init__(f"{self.path.name}: {message_vi} / {message_en}")

    def __reduce__(self) -> tuple[type[FileRejected], tuple[Path, str, str]]:
        # raised in the parse process, re-raised in the importer's
        return (FileRejected, (self.path, self.message_vi, self.message_en))


@dataclass(frozen=True)
class Header:
    columns: tuple[str, ...]
    index: dict[str, int]
    unknown: tuple[str, ...]
    line_count: int  # physical lines the header takes


@dataclass
class CsvSource:
    path: Path
    header: Header
    warnings: list[str] = field(default_factory=list)

    def records(self) -> Iterator[tuple[int, list[str]]]:
        """(line where the record starts, its fields); blank lines are skipped."""
        with self.path.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.reader(fh)
            try:
                next(reader)
                previous_end = reader.line_num
                for fields in reader:
                    start = previous_end + 1
                    previous_end = reader.line_num
                    if fields:
                        yield start, fields
            except csv.Error as exc:
                line = reader.line_num
                raise FileRejected(
                    self.path,
                    f"không đọc được CSV ở dòng {line}: {exc} (có thể thiếu dấu ngoặc kép đóng)",
                    f"malformed CSV at line {line}: {exc} (perhaps an unclosed quote)",
                ) from None


def _line_of(path: Path, offset: int) -> int:
    """1-based line of byte `offset` (counts LF bytes before it, streaming)."""
    newlines = 0
    with path.open("rb") as fh:
        remaining = offset
        while remaining > 0:
            chunk = fh.read(min(CHUNK_SIZE, remaining))
            if not chunk:
                break
            newlines += chunk.count(b"\n")
            remaining -= len(chunk)
    return newlines + 1


def check_bytes(path: Path) -> None:
    """Reject files that are not UTF-8 text, naming the byte offset and line of the first problem."""
    if not path.is_file():
        raise FileRejected(path, "không tìm thấy tệp", "file not found")
    decoder = codecs.getincrementaldecoder("utf-8")("strict")
    has_text = False
    offset = 0
    with path.open("rb") as fh:
        first = True
        while chunk := fh.read(CHUNK_SIZE):
            if first:
                _check_magic(path, chunk)
                if chunk.startswith(_UTF8_BOM):
                    chunk = chunk[len(_UTF8_BOM) :]
                    offset = len(_UTF8_BOM)
                first = False
            nul = chunk.find(b"\x00")
            if nul >= 0:
                at = offset + nul
                line = _line_of(path, at)
                raise FileRejected(
                    path,
                    f"tệp nhị phân, không phải CSV văn bản (byte 0x00 tại vị trí {at}, dòng {line})",
                    f"binary file, not a text CSV (NUL byte at offset {at}, line {line})",
                )
            pending = len(decoder.getstate()[0])
            try:
                text = decoder.decode(chunk)
            except UnicodeDecodeError as exc:
                at = offset - pending + exc.start
                bad = exc.object[exc.start : exc.start + 4].hex(" ")
                line = _line_of(path, at)
                raise FileRejected(
                    path,
                    f"tệp không phải UTF-8: byte không hợp lệ (0x{bad}) tại vị trí {at}, dòng {line}; "
                    "có thể tệp được lưu bằng bảng mã Windows-1258/TCVN3/Latin-1 — "
                    "hãy lưu lại dạng CSV UTF-8",
                    f"not UTF-8: invalid byte(s) 0x{bad} at byte offset {at}, line {line}; "
                    "re-save the file as CSV UTF-8",
                ) from None
            has_text = has_text or bool(text.strip())
            offset += len(chunk)
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        raise FileRejected(
            path,
            f"tệp không phải UTF-8: ký tự bị cắt cụt ở cuối tệp (vị trí {offset})",
            f"not UTF-8: truncated character at the end of the file (byte offset {offset})",
        ) from None
    if not has_text:
        raise FileRejected(path, "tệp rỗng (không có dòng tiêu đề)", "empty file (no header row)")


def _check_magic(path: Path, head: bytes) -> None:
    if head.startswith(_UTF16_BOMS):
        raise FileRejected(
            path,
            "tệp mã hóa UTF-16, không phải UTF-8 — hãy lưu lại dạng CSV UTF-8",
            "file is UTF-16 encoded, not UTF-8 — re-save it as CSV UTF-8",
        )
    if head.startswith((_ZIP_MAGIC, _OLE_MAGIC)):
        raise FileRejected(
            path,
            "đây là tệp Excel/ZIP, không phải CSV — hãy xuất ra CSV UTF-8",
            "this is an Excel/ZIP file, not a CSV — export it as CSV UTF-8",
        )


def read_header(path: Path, required: Collection[str], optional: Collection[str]) -> Header:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh)
        try:
            raw = next(reader, [])
        except csv.Error as exc:
            raise FileRejected(
                path, f"không đọc được dòng tiêu đề: {exc}", f"cannot read the header row: {exc}"
            ) from None
        line_count = reader.line_num
    columns = tuple(name.strip() for name in raw)
    if not any(columns):
        raise FileRejected(
            path, "dòng đầu tiên không phải dòng tiêu đề", "the first line is not a header row"
        )
    duplicates = sorted({c for c in columns if c and columns.count(c) > 1})
    if duplicates:
        names = ", ".join(duplicates)
        raise FileRejected(path, f"cột bị lặp trong tiêu đề: {names}", f"duplicate header column(s): {names}")
    missing = [c for c in required if c not in columns]
    if missing:
        names = ", ".join(missing)
        hint_vi = hint_en = ""
        if len(columns) == 1 and any(sep in columns[0] for sep in ";\t|"):
            hint_vi = " — tệp có vẻ không phân tách bằng dấu phẩy"
            hint_en = " — the file does not seem to be comma-separated"
        raise FileRejected(
            path,
            f"thiếu cột bắt buộc: {names}{hint_vi}",
            f"missing required column(s): {names}{hint_en}",
        )
    known = set(required) | set(optional)
    unknown = tuple(c for c in columns if c not in known)
    return Header(columns, {c: i for i, c in enumerate(columns)}, unknown, line_count)


def open_source(path: Path, required: Collection[str], optional: Collection[str]) -> CsvSource:
    """Check the whole file's encoding and its header; raises FileRejected."""
    path = Path(path)
    check_bytes(path)
    header = read_header(path, required, optional)
    warnings = []
    if header.unknown:
        shown = ", ".join(c or "(không tên)" for c in header.unknown)
        warnings.append(f"{path.name}: bỏ qua cột không dùng đến: {shown}")
    return CsvSource(path, header, warnings)


def raw_row(header: Header, fields: list[str]) -> dict[str, object]:
    """The record as read, column → text (extra fields under '_extra'), for the quarantine."""
    row: dict[str, object] = dict(zip(header.columns, fields, strict=False))
    if len(fields) > len(header.columns):
        row["_extra"] = fields[len(header.columns) :]
    return row
