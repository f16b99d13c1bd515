"""Dossier lookup (issue 14 item 7, tra cứu hồ sơ): one dossier by its code — the ones
imported from the old system included, they are in the same table — with its fields, its
status history fields (the timestamps, supplements, when it was last changed and
imported), and where it counts: its agency, the map units its agency colours, the month
it counts as received in, and how it ends or stands (rules.py) as of today.

A code that is not stored may have been rejected by an import: the quarantined rows that
carry it are listed with their file, line and rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Connection, select

from db.schema import admin_units, agencies, dossiers, quarantine
from dossier_stats.dossier_list import CHANNEL_TEXT, STATUS_TEXT
from dossier_stats.periods import Period
from dossier_stats.rules import (
    NOT_COUNTED_STATUSES,
    PAUSED_STATUSES,
    RESOLVED_STATUSES,
    WITHDRAWN_STATUS,
    timeliness,
)

OUTCOME_TEXT = {
    "not_counted": "Không tính vào số liệu (chưa tiếp nhận hoặc không được tiếp nhận)",
    "resolved_early": "Đã giải quyết trước hạn",
    "resolved_on_time": "Đã giải quyết đúng hạn",
    "resolved_late": "Đã giải quyết quá hạn",
    "withdrawn": "Công dân rút hồ sơ (tính là giải quyết đúng hạn)",
    "paused": "Đang tạm dừng (tính là đang giải quyết trong hạn)",
    "pending_within": "Đang giải quyết trong hạn",
    "pending_overdue": "Đang giải quyết quá hạn",
}


@dataclass(frozen=True)
class QuarantinedRow:
    import_run_id: int
    source_file: str
    line_no: int
    rule: str
    message: str


@dataclass(frozen=True)
class DossierRecord:
    fields: dict[str, object]  # every column of the dossiers table
    status_text: str
    channel_text: str
    agency_name: str
    agency_kind: str
    district: tuple[str, str] | None  # (code, name) of the map district its agency colours
    commune: tuple[str, str] | None  # (code, name) of the current commune, if any
    received_month: Period | None  # the month it counts as received in
    ended_month: Period | None  # the month it counts as resolved / withdrawn in
    outcome: str  # a key of OUTCOME_TEXT, as of `as_of` when it has no end
    days_overdue: int | None  # pending past its deadline: days to `as_of`
    as_of: date

    @property
    def outcome_text(self) -> str:
        return OUTCOME_TEXT[self.outcome]


@dataclass(frozen=True)
class LookupResult:
    code: str
    record: DossierRecord | None  # None: no stored dossier has that code
    quarantined: tuple[QuarantinedRow, ...]  # rejected rows that carry the code


def _outcome(
    status: int, received: date | None, due: date | None, finished: date | None, today: date
) -> tuple[str, Period | None, int | None]:
    """(outcome, ended month, days overdue) by the rules of rules.py, pending judged on `today`."""
    if status in NOT_COUNTED_STATUSES or received is None:
        return "not_counted", None, None
    ended = finished is not None and (status in RESOLVED_STATUSES or status == WITHDRAWN_STATUS)
    if ended and finished <= today:  # type: ignore[operator]
        month = Period.containing("month", finished)  # type: ignore[arg-type]
        if status == WITHDRAWN_STATUS:
            return "withdrawn", month, None
        return f"resolved_{timeliness(finished, due or finished).value}", month, None  # type: ignore[arg-type]
    if status in PAUSED_STATUSES:
        return "paused", None, None
    deadline = due or received
    if deadline < today:
        return "pending_overdue", None, (today - deadline).days
    return "pending_within", None, None


def _unit(conn: Connection, code: str | None) -> tuple[str, str] | None:
    if code is None:
        return None
    name = conn.execute(select(admin_units.c.name).where(admin_units.c.code == code)).scalar()
    return code, name or code


def _quarantined(conn: Connection, code: str) -> tuple[QuarantinedRow, ...]:
    """Rows of the quarantine whose raw row (JSON, importer/quarantine.py) has this code."""
    if '"' in code or "\\" in code:
        return ()  # written escaped in the JSON: such codes are not searched
    escaped = code.replace("%", "\\%").replace("_", "\\_")
    pattern = f'%"dossier_code": "{escaped}"%'
    q = quarantine.c
    rows = conn.execute(
        select(q.import_run_id, q.source_file, q.line_no, q.rule, q.message)
        .where(q.raw_row.like(pattern, escape="\\"))
        .order_by(q.id)
        .limit(50)
    )
    return tuple(QuarantinedRow(r.import_run_id, r.source_file, r.line_no, r.rule, r.message) for r in rows)


def lookup_dossier(conn: Connection, code: str, today: date) -> LookupResult:
    """The dossier with that code (spaces around it ignored), where it counts as of `today`,
    and the quarantined rows carrying the code. ValueError for an empty code."""
    wanted = (code or "").strip()
    if not wanted:
        raise ValueError("Chưa nhập mã hồ sơ.")
    if len(wanted) > 64:
        raise ValueError("Mã hồ sơ dài quá 64 ký tự: không có hồ sơ nào như vậy.")
    row = conn.execute(select(dossiers).where(dossiers.c.dossier_code == wanted)).mappings().one_or_none()
    quarantined = _quarantined(conn, wanted)
    if row is None:
        return LookupResult(wanted, None, quarantined)
    agency = conn.execute(
        select(
            agencies.c.name, agencies.c.kind, agencies.c.map_district_code, agencies.c.map_commune_code
        ).where(agencies.c.id == row["agency_id"])
    ).one_or_none()
    outcome, ended, late_days = _outcome(
        row["status"], row["received_on"], row["due_on"], row["finished_on"], today
    )
    received = row["received_on"]
    record = DossierRecord(
        fields=dict(row),
        status_text=STATUS_TEXT.get(row["status"], str(row["status"])),
        channel_text=CHANNEL_TEXT.get(row["channel"], CHANNEL_TEXT[1]),
        agency_name=agency.name if agency else row["agency_code"],
        agency_kind=agency.kind if agency else "",
        district=_unit(conn, agency.map_district_code if agency else None),
        commune=_unit(conn, agency.map_commune_code if agency else None),
        received_month=None
        if outcome == "not_counted" or received is None
        else Period.containing("month", received),
        ended_month=ended,
        outcome=outcome,
        days_overdue=late_days,
        as_of=today,
    )
    return LookupResult(wanted, record, quarantined)
