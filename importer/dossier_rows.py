"""One dossiers.csv record → a row of the `dossiers` table, or the rules it breaks.

Every rule of importer/data/INTERCHANGE.md is checked; all broken rules of a record
are reported (not only the first). Rule names:

missing_<column>      a required value is empty (received_at/due_at unless status
                      1 or 3; finished_at for status 7–10; returned_at for 10)
invalid_<column>      a value that cannot be read (type, enum, length, year range)
field_count           the record has more or fewer fields than the header
received_after_due    received_at > due_at
finished_before_received, returned_before_finished, returned_before_received,
submitted_after_received
paid_online_without_fee   paid_online = 1 but has_fee is not 1
unknown_agency        agency_code is not in the registry
agency_not_valid_on_date  the code exists but no agency with it is valid on the
                      reception date (status 1/3 without received_at: the submission
                      date, else the update date, else today)
received_in_future    received_at (local time) after tomorrow
timestamp_out_of_range    a timestamp outside the years 1990–2100, also one no calendar
                      can convert (0001-01-01T00:00:00+07:00)
number_out_of_range   supplement_count beyond its Integer column (2,147,483,647),
                      supplement_days beyond a double
nul_byte, field_too_large  a record the CSV reader could not take (importer.csv_source)

Order checks compare at date level when either value has no time of day, i.e. is at
00:00 local (a deadline given as 2025-03-10, or exported as 2025-03-10 00:00:00, is
not "before" a reception at 2025-03-10 08:00).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import Any

from db.registry import AgencyIndex
from importer.csv_source import Header, record_problem
from importer.quarantine import Violation
from importer.values import (
    ValueProblem,
    parse_bool,
    parse_choice,
    parse_code,
    parse_decimal,
    parse_int,
    parse_int_choice,
    parse_timestamp,
)
from vi_format import format_date

# The columns of a dossiers.csv in the order of importer/data/INTERCHANGE.md, in three groups
# that the dossiers table shares.
_WHAT = (
    "agency_code",
    "procedure_code",
    "procedure_name",
    "field_code",
    "field_name",
    "online_level",
    "channel",
    "status",
)
_WHEN = ("submitted_at", "received_at", "due_at", "finished_at", "returned_at")
_HOW = (
    "supplement_count",
    "supplement_days",
    "has_fee",
    "paid_online",
    "e_result",
    "digitized",
    "reused_data",
    "handler_id",
    "rating",
)
FILE_COLUMNS = ("dossier_code", *_WHAT, *_WHEN, *_HOW, "updated_at")
REQUIRED_COLUMNS = (
    "dossier_code",
    "agency_code",
    "procedure_code",
    "channel",
    "status",
    "received_at",
    "due_at",
)
OPTIONAL_COLUMNS = tuple(c for c in FILE_COLUMNS if c not in REQUIRED_COLUMNS)
ALL_COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS

LABELS = {
    "dossier_code": "mã hồ sơ",
    "agency_code": "mã cơ quan",
    "procedure_code": "mã thủ tục",
    "field_code": "mã lĩnh vực",
    "handler_id": "mã cán bộ xử lý",
    "channel": "kênh",
    "status": "trạng thái",
    "online_level": "mức độ trực tuyến",
    "rating": "đánh giá",
    "submitted_at": "ngày nộp",
    "received_at": "ngày tiếp nhận",
    "due_at": "ngày hẹn trả",
    "finished_at": "ngày kết thúc xử lý",
    "returned_at": "ngày trả kết quả",
    "updated_at": "thời điểm cập nhật",
    "supplement_count": "số lần yêu cầu bổ sung",
    "supplement_days": "số ngày bổ sung",
    "has_fee": "có phí/lệ phí",
    "paid_online": "thanh toán trực tuyến",
    "e_result": "kết quả điện tử",
    "digitized": "số hóa hồ sơ",
    "reused_data": "khai thác lại dữ liệu số hóa",
}

TIMESTAMP_COLUMNS = ("submitted_at", "received_at", "due_at", "finished_at", "returned_at", "updated_at")
BOOL_COLUMNS = ("has_fee", "paid_online", "e_result", "digitized", "reused_data")
ONLINE_LEVELS = frozenset({"full", "partial"})
RATINGS = frozenset({"satisfied", "neutral", "unsatisfied"})
NOT_RECEIVED_STATUSES = frozenset({1, 3})
FINISHED_STATUSES = frozenset({7, 8, 9, 10})
RETURNED_STATUS = 10
# Every column of the dossiers table but the two bookkeeping timestamps: what "content" means.
CONTENT_COLUMNS = ("agency_id", *_WHAT, *_WHEN, "received_on", "due_on", "finished_on", *_HOW)


def _show(value: str) -> str:
    return f"'{value}'"


def _code(limit: int) -> Callable[[str], str]:
    return lambda text: parse_code(text, limit)


def _lookup(table: dict[str, Any], fallback: Callable[[str], Any]) -> Callable[[str], Any]:
    """Fast path for the usual spellings, the full parser (and its message) otherwise."""

    def parse(text: str) -> Any:
        value = table.get(text)
        return fallback(text) if value is None else value

    return parse


_CHANNELS = {str(i): i for i in range(1, 4)}
_STATUSES = {str(i): i for i in range(1, 11)}
_BOOLS = {"1": True, "0": False}

# column -> (parser of a non-empty cell, value of an empty cell)
PARSERS: dict[str, tuple[Callable[[str], Any], Any]] = {
    "dossier_code": (_code(64), None),
    "agency_code": (_code(20), None),
    "procedure_code": (_code(64), None),
    "field_code": (_code(64), None),
    "handler_id": (_code(64), None),
    "procedure_name": (str, None),
    "field_name": (str, None),
    "channel": (_lookup(_CHANNELS, lambda t: parse_int_choice(t, 1, 3)), None),
    "status": (_lookup(_STATUSES, lambda t: parse_int_choice(t, 1, 10)), None),
    "online_level": (lambda t: parse_choice(t, ONLINE_LEVELS), None),
    "rating": (lambda t: parse_choice(t, RATINGS), None),
    **{name: (parse_timestamp, None) for name in TIMESTAMP_COLUMNS},
    "supplement_count": (_lookup({"0": 0}, lambda t: _non_negative_int(t)), 0),
    "supplement_days": (_lookup({"0": 0.0}, lambda t: _non_negative_decimal(t)), 0.0),
    **{name: (_lookup(_BOOLS, parse_bool), None) for name in BOOL_COLUMNS},
}
# status -> timestamps it requires
REQUIRED_BY_STATUS = {
    status: tuple(
        name
        for name, needed in (
            ("received_at", status not in NOT_RECEIVED_STATUSES),
            ("due_at", status not in NOT_RECEIVED_STATUSES),
            ("finished_at", status in FINISHED_STATUSES),
            ("returned_at", status == RETURNED_STATUS),
        )
        if needed
    )
    for status in range(1, 11)
}
# (rule, a, b): a must not be after b
ORDER_RULES = (
    ("received_after_due", "received_at", "due_at"),
    ("finished_before_received", "received_at", "finished_at"),
    ("returned_before_finished", "finished_at", "returned_at"),
    ("returned_before_received", "received_at", "returned_at"),
    ("submitted_after_received", "submitted_at", "received_at"),
)
ALWAYS_REQUIRED = frozenset({"dossier_code", "agency_code", "procedure_code", "channel", "status"})


class DossierRowParser:
    """Parses and validates records of one file against the agency registry."""

    def __init__(self, header: Header, agencies: AgencyIndex, now: datetime, today: date) -> None:
        index = header.index
        self._present = tuple(
            (name, index[name], *PARSERS[name], name in ALWAYS_REQUIRED)
            for name in ALL_COLUMNS
            if name in index
        )
        self._absent = {name: PARSERS[name][1] for name in ALL_COLUMNS if name not in index}
        self._index = index
        self._width = len(header.columns)
        self._agencies = agencies
        self._now = now
        self._today = today
        # a reception from the day after tomorrow (local time) on is in the future; tomorrow
        # is not, for a clock a little ahead or an export written just after midnight
        self._future = datetime.combine(today + timedelta(days=2), time())

    def _text(self, fields: list[str], name: str) -> str:
        i = self._index.get(name)
        return "" if i is None else fields[i].strip()

    def parse(self, fields: list[str]) -> tuple[dict[str, Any] | None, list[Violation]]:
        """(row for the dossiers table, []) or (None, every broken rule)."""
        if len(fields) != self._width:
            return None, [record_problem(fields, self._width)]
        problems: list[Violation] = []
        row: dict[str, Any] = self._absent.copy()
        for name, i, parser, empty, required in self._present:
            text = fields[i].strip()
            if not text:
                row[name] = empty
                if required:
                    problems.append(_missing(name))
                continue
            try:
                row[name] = parser(text)
            except ValueProblem as exc:
                row[name] = None
                rule = exc.rule or f"invalid_{name}"
                problems.append(Violation(rule, f"{LABELS.get(name, name)} ({name}): {exc}"))

        status = row["status"]
        if status is not None:
            self._check_required_by_status(status, row, fields, problems)
        self._check_order(row, fields, problems)
        received = row["received_at"]
        if received is not None and received >= self._future:
            problems.append(
                Violation(
                    "received_in_future",
                    f"Ngày tiếp nhận (received_at = {_show(self._text(fields, 'received_at'))}, "
                    f"tức {format_date(received.date())} giờ Việt Nam) sau ngày mai "
                    f"(hôm nay {format_date(self._today)})",
                )
            )
        if row["paid_online"] is True and row["has_fee"] is not True:
            problems.append(
                Violation(
                    "paid_online_without_fee",
                    f"Thanh toán trực tuyến (paid_online = {_show(self._text(fields, 'paid_online'))}) "
                    f"nhưng hồ sơ không có phí (has_fee = {_show(self._text(fields, 'has_fee'))})",
                )
            )
        row["agency_id"] = self._agency(row, fields, problems)
        if problems:
            return None, problems

        received, due, finished = row["received_at"], row["due_at"], row["finished_at"]
        row["received_on"] = received.date() if received else None
        row["due_on"] = due.date() if due else None
        row["finished_on"] = finished.date() if finished else None
        if row["updated_at"] is None:
            row["updated_at"] = self._now
        row["imported_at"] = self._now
        return row, problems

    def _check_required_by_status(
        self, status: int, row: dict[str, Any], fields: list[str], problems: list[Violation]
    ) -> None:
        for name in REQUIRED_BY_STATUS[status]:
            # None and an empty cell: missing (None with text = unreadable, already reported)
            if row[name] is None and not self._text(fields, name):
                problems.append(_missing(name, f", bắt buộc với trạng thái {status}"))

    def _check_order(self, row: dict[str, Any], fields: list[str], problems: list[Violation]) -> None:
        for rule, a, b in ORDER_RULES:
            x, y = row[a], row[b]
            if x is None or y is None or x <= y:
                continue  # the usual case, decided without looking at the text
            if rule == "returned_before_received" and row["finished_at"] is not None:
                continue  # checked through finished_at
            if (_at_midnight(x) or _at_midnight(y)) and x.date() <= y.date():
                continue  # a date without time of day: compared as dates
            text_a, text_b = self._text(fields, a), self._text(fields, b)
            problems.append(
                Violation(
                    rule,
                    f"{LABELS[a].capitalize()} ({a} = {_show(text_a)}) "
                    f"sau {LABELS[b]} ({b} = {_show(text_b)})",
                )
            )

    def _agency(self, row: dict[str, Any], fields: list[str], problems: list[Violation]) -> int | None:
        code = row["agency_code"]
        if code is None:
            return None
        if not self._agencies.knows(code):
            problems.append(Violation("unknown_agency", self._agencies.explain(code, self._today)))
            return None
        if row["received_at"] is None and self._text(fields, "received_at"):
            return None  # unreadable reception date: already reported, no date to check against
        on, basis = self._reference_date(row)
        agency_id = self._agencies.lookup(code, on)
        if agency_id is None:
            problems.append(
                Violation(
                    "agency_not_valid_on_date",
                    f"{self._agencies.explain(code, on)} (ngày đối chiếu: {basis} {format_date(on)})",
                )
            )
        return agency_id

    def _reference_date(self, row: dict[str, Any]) -> tuple[date, str]:
        """Reception date; for a dossier never received: submission, else update date, else today."""
        for name in ("received_at", "submitted_at", "updated_at"):
            value = row[name]
            if value is not None:
                return value.date(), LABELS[name]
        return self._today, "hôm nay"


def _at_midnight(value: datetime) -> bool:
    return value.hour == value.minute == value.second == value.microsecond == 0


def _missing(name: str, why: str = "") -> Violation:
    return Violation(f"missing_{name}", f"Thiếu {LABELS[name]} ({name}){why}")


def _non_negative_int(text: str) -> int:
    value = parse_int(text)
    if value < 0:
        raise ValueProblem(f"'{text}' là số âm")
    return value


def _non_negative_decimal(text: str) -> float:
    value = parse_decimal(text)
    if value < 0:
        raise ValueProblem(f"'{text}' là số âm")
    return value
