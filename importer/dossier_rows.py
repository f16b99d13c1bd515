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

Order checks compare at date level when either value has no time of day (a deadline
given as 2025-03-10 is not "before" a reception at 2025-03-10 08:00).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from db.registry import AgencyIndex, format_day
from importer.csv_source import Header
from importer.quarantine import Violation
from importer.values import (
    ValueProblem,
    is_date_only,
    parse_bool,
    parse_choice,
    parse_code,
    parse_decimal,
    parse_int,
    parse_int_choice,
    parse_timestamp,
)

REQUIRED_COLUMNS = (
    "dossier_code",
    "agency_code",
    "procedure_code",
    "channel",
    "status",
    "received_at",
    "due_at",
)
OPTIONAL_COLUMNS = (
    "procedure_name",
    "field_code",
    "field_name",
    "online_level",
    "submitted_at",
    "finished_at",
    "returned_at",
    "supplement_count",
    "supplement_days",
    "has_fee",
    "paid_online",
    "e_result",
    "digitized",
    "reused_data",
    "handler_id",
    "rating",
    "updated_at",
)
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

CODE_LIMITS = (("dossier_code", 64, True), ("agency_code", 20, True), ("procedure_code", 64, True))
OPTIONAL_CODE_LIMITS = (("field_code", 64), ("handler_id", 64))
TIMESTAMP_COLUMNS = ("submitted_at", "received_at", "due_at", "finished_at", "returned_at", "updated_at")
BOOL_COLUMNS = ("has_fee", "paid_online", "e_result", "digitized", "reused_data")
ONLINE_LEVELS = frozenset({"full", "partial"})
RATINGS = frozenset({"satisfied", "neutral", "unsatisfied"})
NOT_RECEIVED_STATUSES = frozenset({1, 3})
FINISHED_STATUSES = frozenset({7, 8, 9, 10})
RETURNED_STATUS = 10
# Every column of the dossiers table but the two bookkeeping timestamps: what "content" means.
CONTENT_COLUMNS = (
    "agency_id",
    "agency_code",
    "procedure_code",
    "procedure_name",
    "field_code",
    "field_name",
    "online_level",
    "channel",
    "status",
    "submitted_at",
    "received_at",
    "due_at",
    "finished_at",
    "returned_at",
    "received_on",
    "due_on",
    "finished_on",
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


def _show(value: str) -> str:
    return f"'{value}'"


class DossierRowParser:
    """Parses and validates records of one file against the agency registry."""

    def __init__(self, header: Header, agencies: AgencyIndex, now: datetime, today: date) -> None:
        self._positions = tuple((name, header.index.get(name)) for name in ALL_COLUMNS)
        self._width = len(header.columns)
        self._agencies = agencies
        self._now = now
        self._today = today

    def parse(self, fields: list[str]) -> tuple[dict[str, Any] | None, list[Violation]]:
        """(row for the dossiers table, []) or (None, every broken rule)."""
        if len(fields) != self._width:
            return None, [
                Violation(
                    "field_count",
                    f"Dòng có {len(fields)} trường nhưng tiêu đề có {self._width} cột "
                    "(thiếu/thừa dấu phẩy hoặc dấu ngoặc kép)",
                )
            ]
        cell = {name: (fields[i].strip() if i is not None else "") for name, i in self._positions}
        problems: list[Violation] = []
        row: dict[str, Any] = {}

        def read(name: str, parser: Callable[[str], Any], default: Any = None) -> Any:
            text = cell[name]
            if not text:
                return default
            try:
                return parser(text)
            except ValueProblem as exc:
                problems.append(Violation(f"invalid_{name}", f"{LABELS.get(name, name)} ({name}): {exc}"))
                return default

        def missing(name: str, why: str = "") -> None:
            problems.append(Violation(f"missing_{name}", f"Thiếu {LABELS[name]} ({name}){why}"))

        for name, limit, _required in CODE_LIMITS:
            if not cell[name]:
                missing(name)
            row[name] = read(name, lambda t, n=limit: parse_code(t, n))
        for name, limit in OPTIONAL_CODE_LIMITS:
            row[name] = read(name, lambda t, n=limit: parse_code(t, n))
        row["procedure_name"] = cell["procedure_name"] or None
        row["field_name"] = cell["field_name"] or None

        channel = read("channel", lambda t: parse_int_choice(t, 1, 3))
        status = read("status", lambda t: parse_int_choice(t, 1, 10))
        for name in ("channel", "status"):
            if not cell[name]:
                missing(name)
        row["channel"], row["status"] = channel, status
        row["online_level"] = read("online_level", lambda t: parse_choice(t, ONLINE_LEVELS))
        row["rating"] = read("rating", lambda t: parse_choice(t, RATINGS))

        stamps = {name: read(name, parse_timestamp) for name in TIMESTAMP_COLUMNS}
        row.update(stamps)
        row["updated_at"] = stamps["updated_at"] or self._now
        row["supplement_count"] = read("supplement_count", _non_negative_int, 0)
        row["supplement_days"] = read("supplement_days", _non_negative_decimal, 0.0)
        for name in BOOL_COLUMNS:
            row[name] = read(name, parse_bool)

        if status is not None:
            self._check_required_by_status(status, cell, missing)
        self._check_order(stamps, cell, problems)
        if row["paid_online"] is True and row["has_fee"] is not True:
            problems.append(
                Violation(
                    "paid_online_without_fee",
                    f"Thanh toán trực tuyến (paid_online = {_show(cell['paid_online'])}) "
                    f"nhưng hồ sơ không có phí (has_fee = {_show(cell['has_fee'])})",
                )
            )
        row["agency_id"] = self._agency(row, stamps, cell, status, problems)

        if problems:
            return None, problems
        received, due, finished = stamps["received_at"], stamps["due_at"], stamps["finished_at"]
        row["received_on"] = received.date() if received else None
        row["due_on"] = due.date() if due else None
        row["finished_on"] = finished.date() if finished else None
        row["imported_at"] = self._now
        return row, problems

    @staticmethod
    def _check_required_by_status(status: int, cell: dict[str, str], missing: Callable[..., None]) -> None:
        if status not in NOT_RECEIVED_STATUSES:
            for name in ("received_at", "due_at"):
                if not cell[name]:
                    missing(name, f", bắt buộc với trạng thái {status}")
        if status in FINISHED_STATUSES and not cell["finished_at"]:
            missing("finished_at", f", bắt buộc với trạng thái {status}")
        if status == RETURNED_STATUS and not cell["returned_at"]:
            missing("returned_at", f", bắt buộc với trạng thái {status}")

    @staticmethod
    def _check_order(
        stamps: dict[str, datetime | None], cell: dict[str, str], problems: list[Violation]
    ) -> None:
        def later(a: str, b: str) -> bool:
            """stamps[a] strictly after stamps[b], at date level if either has no time."""
            x, y = stamps[a], stamps[b]
            if x is None or y is None:
                return False
            if is_date_only(cell[a]) or is_date_only(cell[b]):
                return x.date() > y.date()
            return x > y

        def report(rule: str, a: str, b: str) -> None:
            problems.append(
                Violation(
                    rule,
                    f"{LABELS[a].capitalize()} ({a} = {_show(cell[a])}) sau "
                    f"{LABELS[b]} ({b} = {_show(cell[b])})",
                )
            )

        if later("received_at", "due_at"):
            report("received_after_due", "received_at", "due_at")
        if later("received_at", "finished_at"):
            report("finished_before_received", "received_at", "finished_at")
        if later("finished_at", "returned_at"):
            report("returned_before_finished", "finished_at", "returned_at")
        if stamps["finished_at"] is None and later("received_at", "returned_at"):
            report("returned_before_received", "received_at", "returned_at")
        if later("submitted_at", "received_at"):
            report("submitted_after_received", "submitted_at", "received_at")

    def _agency(
        self,
        row: dict[str, Any],
        stamps: dict[str, datetime | None],
        cell: dict[str, str],
        status: int | None,
        problems: list[Violation],
    ) -> int | None:
        code = row["agency_code"]
        if code is None:
            return None
        if not self._agencies.knows(code):
            problems.append(Violation("unknown_agency", self._agencies.explain(code, self._today)))
            return None
        if cell["received_at"] and stamps["received_at"] is None:
            return None  # unreadable reception date: already reported, no date to check against
        on, basis = self._reference_date(stamps)
        agency_id = self._agencies.lookup(code, on)
        if agency_id is None:
            problems.append(
                Violation(
                    "agency_not_valid_on_date",
                    f"{self._agencies.explain(code, on)} (ngày đối chiếu: {basis} {format_day(on)})",
                )
            )
        return agency_id

    def _reference_date(self, stamps: dict[str, datetime | None]) -> tuple[date, str]:
        for name in ("received_at", "submitted_at", "updated_at"):
            value = stamps[name]
            if value is not None:
                return value.date(), LABELS[name]
        return self._today, "hôm nay"


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
