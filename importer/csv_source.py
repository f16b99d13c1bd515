"""Streaming reader of the interchange CSV files, with whole-file checks up front.

`open_source(path, required, optional)` reads the file once in binary chunks to
reject what is not a UTF-8 text file (binary, UTF-16, Excel, cp1258/latin-1 bytes,
empty) before anything is written, then reads the header. `CsvSource.records()`
streams the data records as (line number, fields): the line number is the physical
line on which the record starts, also when quoted values span several lines.
Nothing is ever loaded whole into memory.

A record that cannot be read costs that record, not the file: one with a NUL byte, or
with a cell longer than the csv module's field size limit, comes as an `UnreadableRecord`
(an empty record naming its problem, which the row parsers quarantine through
`record_problem`), and the records after it keep their line numbers. The reader finds
the end of an oversized record by its quotes (RFC 4180: a line break inside quotes
continues the record); a quote left open to the end of the file rejects the file.
A file is binary (rejected whole) when its header line has a NUL byte or control
bytes make up more than a tenth of its first megabyte.
"""

from __future__ import annotations

import codecs
import csv
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from importer.quarantine import Violation
from vi_format import format_int

CHUNK_SIZE = 1 << 20
FIELD_SIZE_LIMIT = csv.field_size_limit()  # characters in one cell (131,072)
BINARY_CONTROL_SHARE = 0.10  # of the first chunk: above it, a file with NUL bytes is binary
_CONTROL_BYTES = bytes(b for b in range(32) if b not in b"\t\n\r")
_PREVIEW = 200  # characters of an unreadable record kept in the quarantine
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


class UnreadableRecord(list[str]):
    """A record the reader could not take as fields: empty (so that it never matches a
    header's width), with the problem and what the quarantine keeps of it."""

    def __init__(self, violation: Violation, raw: dict[str, object]) -> None:
        super().__init__()
        self.violation = violation
        self.raw = raw


@dataclass
class CsvSource:
    path: Path
    header: Header
    warnings: list[str] = field(default_factory=list)
    has_nul: bool = False  # some record holds a NUL byte (check_bytes): look for it per record

    def records(self) -> Iterator[tuple[int, list[str]]]:
        """(line where the record starts, its fields); blank lines are skipped; a record
        that cannot be read comes as an UnreadableRecord."""
        with self.path.open(encoding="utf-8-sig", newline="") as fh:
            held: list[str] = []  # the physical lines of the record being read

            def lines() -> Iterator[str]:
                for line in fh:
                    held.append(line)
                    yield line

            source = lines()
            reader = csv.reader(source)
            next(reader, None)  # the header, read by read_header
            line = len(held) + 1
            held.clear()
            while True:
                try:
                    fields = next(reader)
                except StopIteration:
                    return
                except csv.Error as exc:
                    taken, fields = self._oversized(line, held, source, exc)
                else:
                    taken = len(held)
                    if self.has_nul and any("\x00" in text for text in held):
                        fields = self._with_nul(fields)
                held.clear()
                if fields or isinstance(fields, UnreadableRecord):
                    yield line, fields
                line += taken

    def repeated(self, column: str) -> frozenset[str]:
        """The values of `column` (stripped) found in more than one record: one more pass
        over the file, holding every value once while it runs."""
        i = self.header.index[column]
        seen: set[str] = set()
        again: set[str] = set()
        for _, fields in self.records():
            if len(fields) > i:
                value = fields[i].strip()
                if value in seen:
                    again.add(value)
                else:
                    seen.add(value)
        return frozenset(again)

    def _with_nul(self, fields: list[str]) -> UnreadableRecord:
        columns = self.header.columns
        where = [columns[i] if i < len(columns) else f"#{i + 1}" for i, f in enumerate(fields) if "\x00" in f]
        violation = Violation(
            "nul_byte",
            f"Dòng chứa ký tự NUL (byte 0x00) ở cột {', '.join(where)}: "
            "không phải văn bản, không lưu được vào cơ sở dữ liệu",
        )
        return UnreadableRecord(violation, raw_row(self.header, fields))

    def _oversized(
        self, line: int, held: list[str], source: Iterator[str], exc: csv.Error
    ) -> tuple[int, UnreadableRecord]:
        """The rest of a record the reader gave up on: its lines are read on to where its
        quotes balance. Returns (lines it takes, the record)."""
        preview = "".join(held)[:_PREVIEW]
        chars = sum(len(text) for text in held)
        quotes = sum(text.count('"') for text in held)
        taken = len(held)
        while quotes % 2:
            held.clear()
            text = next(source, None)
            if text is None:
                raise FileRejected(
                    self.path,
                    f"không đọc được CSV ở dòng {line}: dấu ngoặc kép mở ở bản ghi này không được đóng "
                    f"đến hết tệp ({exc})",
                    f"malformed CSV at line {line}: a quote opened in this record is never closed ({exc})",
                )
            taken += 1
            chars += len(text)
            quotes += text.count('"')
        violation = Violation(
            "field_too_large",
            f"Có ô dài hơn giới hạn {format_int(FIELD_SIZE_LIMIT)} ký tự của trình đọc CSV "
            f"(bản ghi dòng {line}–{line + taken - 1}, {format_int(chars)} ký tự); "
            "có thể thiếu dấu ngoặc kép đóng",
        )
        return taken, UnreadableRecord(violation, {"_text": preview, "_chars": chars})


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


def check_bytes(path: Path) -> bool:
    """Reject files that are not UTF-8 text, naming the byte offset and line of the first
    problem; True when the text holds a NUL byte (the records that do are quarantined)."""
    if not path.is_file():
        raise FileRejected(path, "không tìm thấy tệp", "file not found")
    decoder = codecs.getincrementaldecoder("utf-8")("strict")
    has_text = has_nul = False
    offset = 0
    with path.open("rb") as fh:
        first = True
        while chunk := fh.read(CHUNK_SIZE):
            if first:
                _check_magic(path, chunk)
                if chunk.startswith(_UTF8_BOM):
                    chunk = chunk[len(_UTF8_BOM) :]
                    offset = len(_UTF8_BOM)
                _check_binary(path, chunk, offset)
                first = False
            has_nul = has_nul or b"\x00" in chunk
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
    return has_nul


def _check_binary(path: Path, head: bytes, offset: int) -> None:
    """A NUL byte in the header line, or one among many control bytes: not a text file."""
    nul = head.find(b"\x00")
    if nul < 0:
        return
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
    if nul > head.find(b"\n") >= 0 and controls <= BINARY_CONTROL_SHARE * len(head):
        return  # a text file with a NUL byte in a record: that record is quarantined
    at = offset + nul
    line = _line_of(path, at)
    raise FileRejected(
        path,
        f"tệp nhị phân, không phải CSV văn bản (byte 0x00 tại vị trí {at}, dòng {line})",
        f"binary file, not a text CSV (NUL byte at offset {at}, line {line})",
    )


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
    has_nul = check_bytes(path)
    header = read_header(path, required, optional)
    warnings = []
    if header.unknown:
        shown = ", ".join(c or "(không tên)" for c in header.unknown)
        warnings.append(f"{path.name}: bỏ qua cột không dùng đến: {shown}")
    return CsvSource(path, header, warnings, has_nul)


def record_problem(fields: list[str], width: int) -> Violation:
    """Why a record does not fit a header of `width` columns (for a record whose length
    differs from it): what made it unreadable, or its number of fields."""
    if isinstance(fields, UnreadableRecord):
        return fields.violation
    return Violation(
        "field_count",
        f"Dòng có {len(fields)} trường nhưng tiêu đề có {width} cột (thiếu/thừa dấu phẩy hoặc dấu ngoặc kép)",
    )


def raw_row(header: Header, fields: list[str]) -> dict[str, object]:
    """The record as read, column → text (extra fields under '_extra'), for the quarantine."""
    if isinstance(fields, UnreadableRecord):
        return fields.raw
    row: dict[str, object] = dict(zip(header.columns, fields, strict=False))
    if len(fields) > len(header.columns):
        row["_extra"] = fields[len(header.columns) :]
    return row
