"""Biểu số 06/VPCP/KSTT (Circular 01/2020/TT-VPCP) for any date range and unit.

"Tình hình, kết quả giải quyết TTHC tại cơ quan, đơn vị trực tiếp giải quyết TTHC":
rows by level (departments / district committees / commune committees, `agencies.kind`)
then by sector (lĩnh vực, `field_code`; none → "Lĩnh vực khác"), a subtotal per level
and a grand total; the 13 columns of DOMAIN.md §2.3 as `kpis.Kpis`.

Counted straight from the dossiers table (the period need not be whole months), with the
rules of rules.py and their defaults (RULES_NOTE). For the period [start, end]:
- a dossier is in the report when it counts (status not 1 or 3, received_on known), was
  received by `end` and had not ended before `start` (ended = resolved 9/10 or withdrawn
  7 with a finished_on; paused 5/6/8 never end);
- received in the period → online (channel 2) or direct/postal; earlier → carried over;
- ended by `end` → resolved: withdrawn = on time, else finished_on against due_on
  (early / on time / late); otherwise pending: paused, or due_on on or after `end` →
  within deadline, else overdue.
So every row satisfies c3 = c4 + c5 + c6, c7 = c8 + c9 + c10, c11 = c12 + c13 and
c3 = c7 + c11 by construction; on whole months it equals dossier_stats.raw.

One statement: the union of three disjoint index ranges (received in the period; ended
on or after `start` but received before; never ended and received before), classified
and counted per (agency, sector), then summed per (level, sector).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Literal

from sqlalchemy import (
    ARRAY,
    ColumnElement,
    Connection,
    Date,
    Select,
    and_,
    any_,
    case,
    func,
    literal,
    or_,
    select,
    text,
    union_all,
)

from db.schema import admin_units, agencies, dossiers
from dossier_stats.kpis import Kpis
from dossier_stats.rules import (
    NOT_COUNTED_STATUSES,
    PAUSED_STATUSES,
    RESOLVED_STATUSES,
    RULES_NOTE,
    WITHDRAWN_STATUS,
)

ENDING_STATUSES = tuple(sorted(RESOLVED_STATUSES | {WITHDRAWN_STATUS}))
# "Never ended": the predicate of the partial index ix_dossiers_open_received, written out
# literally so that PostgreSQL recognises it (bound parameters would hide it).
OPEN_SQL = f"status NOT IN ({', '.join(map(str, ENDING_STATUSES))}) OR finished_on IS NULL"
ONLINE_CHANNEL = 2

LEVELS: tuple[tuple[str, str], ...] = (
    ("department", "Cấp tỉnh — sở, ban, ngành"),
    ("district", "Cấp huyện"),
    ("commune", "Cấp xã"),
)
LEVEL_LABELS = dict(LEVELS)
OTHER_SECTOR = "Lĩnh vực khác"
TOTAL_LABEL = "Tổng cộng"

UnitKind = Literal["province", "district", "commune", "department", "agency"]
RowType = Literal["sector", "subtotal", "total"]


class UnknownUnit(LookupError):
    """No district, commune or agency has the given code (Vietnamese message)."""


class InvalidRange(ValueError):
    """The report period is not a valid date range (Vietnamese message)."""


@dataclass(frozen=True)
class ReportUnit:
    """What a report covers: the whole province (code None), a district (its committee and
    every commune attributed to it), a current commune (with the old communes it
    succeeds), a department (all versions of its code) or any other agency code."""

    code: str | None
    name: str
    kind: UnitKind

    def agency_conditions(self) -> list[ColumnElement[bool]]:
        """Conditions on `agencies` that select the unit's agencies (none: every agency)."""
        a = agencies.c
        if self.kind == "district":
            return [a.map_district_code == self.code]
        if self.kind == "commune":
            return [a.map_commune_code == self.code]
        if self.kind == "department":
            return [a.kind == "department", a.code == self.code]
        if self.kind == "agency":
            return [a.code == self.code]
        return []

    def agency_ids(self) -> Select | None:
        """Subquery of the unit's agency ids, or None for the whole province."""
        conditions = self.agency_conditions()
        return select(agencies.c.id).where(*conditions) if conditions else None


def province_unit(conn: Connection, province_code: str | None = None) -> ReportUnit:
    query = select(admin_units.c.code, admin_units.c.name).where(admin_units.c.level == "province")
    if province_code is not None:
        query = query.where(admin_units.c.code == province_code)
    rows = conn.execute(query.order_by(admin_units.c.code)).all()
    if len(rows) == 1:
        return ReportUnit(None, rows[0].name, "province")
    return ReportUnit(None, "Toàn tỉnh", "province")


def resolve_unit(conn: Connection, code: str | None, province_code: str | None = None) -> ReportUnit:
    """The unit a code names: None or the province code → the province; a district or
    commune of admin_units; else an agency code (a department, or another agency such
    as an old commune). UnknownUnit when nothing has that code."""
    text_code = (code or "").strip()
    if not text_code:
        return province_unit(conn, province_code)
    unit = conn.execute(
        select(admin_units.c.name, admin_units.c.level).where(admin_units.c.code == text_code)
    ).one_or_none()
    if unit is not None and unit.level == "province":
        return province_unit(conn, text_code)
    if unit is not None and unit.level in ("district", "commune"):
        return ReportUnit(text_code, unit.name, unit.level)
    agency = conn.execute(
        select(agencies.c.name, agencies.c.kind)
        .where(agencies.c.code == text_code)
        .order_by(agencies.c.valid_from.desc())
        .limit(1)
    ).one_or_none()
    if agency is not None:
        kind: UnitKind = "department" if agency.kind == "department" else "agency"
        return ReportUnit(text_code, agency.name, kind)
    raise UnknownUnit(
        f"Không tìm thấy đơn vị có mã '{text_code}': không phải mã tỉnh, huyện, xã "
        "hay mã cơ quan (sở, ban, ngành) nào trong cơ sở dữ liệu."
    )


def check_range(start: date, end: date) -> None:
    if start > end:
        raise InvalidRange(
            f"Kỳ báo cáo không hợp lệ: ngày bắt đầu {start:%d/%m/%Y} sau ngày kết thúc {end:%d/%m/%Y}."
        )


@dataclass(frozen=True)
class Bieu06Row:
    row_type: RowType
    level: str | None  # department | district | commune; None on the total row
    field_code: str | None  # None on subtotal/total rows and for "Lĩnh vực khác"
    label: str  # the sector name, the level name, or "Tổng cộng"
    counts: Kpis


@dataclass(frozen=True)
class Bieu06Report:
    start: date
    end: date
    unit: ReportUnit
    rows: list[Bieu06Row]
    rules_note: str = field(default=RULES_NOTE)

    @property
    def total(self) -> Kpis:
        return self.rows[-1].counts

    def level_rows(self, level: str) -> list[Bieu06Row]:
        """The subtotal row of a level, then its sector rows (empty when it has no data)."""
        return [r for r in self.rows if r.level == level]


# ---------------------------------------------------------------- the query

_COLUMNS = (
    "agency_id",
    "field_code",
    "field_name",
    "channel",
    "status",
    "received_on",
    "due_on",
    "finished_on",
)
# Outcome classes, in Kpis field order after the received columns.
_OUTCOMES = ("resolved_early", "resolved_on_time", "resolved_late", "pending_within", "pending_overdue")
_RECEIVED = ("received_online", "received_direct_postal", "carried_over")


def _open() -> ColumnElement[bool]:
    return text(f"({OPEN_SQL})")  # type: ignore[return-value]


def received_before(conn: Connection, day: date) -> ColumnElement[bool]:
    """`dossiers.received_on < day`, written for the (received_on, finished_on) index.

    Combined with `finished_on >= day` (dossiers open across `day`) a range on received_on
    reads every index entry received before `day` — years of them — to find the few that
    end later. On PostgreSQL the condition is written as `received_on = ANY(every day from
    the first reception to the day before)`: the index then seeks each day directly to its
    entries ending on or after `day`, a few thousand index pages instead of the range."""
    if conn.dialect.name != "postgresql":
        return dossiers.c.received_on < day
    first = conn.execute(select(func.min(dossiers.c.received_on))).scalar()
    if first is None or first >= day:
        return dossiers.c.received_on < day
    days = [first + timedelta(days=n) for n in range((day - first).days)]
    return dossiers.c.received_on == any_(literal(days, ARRAY(Date)))


def _in_period_parts(start: date, end: date, unit: ReportUnit, before_start: ColumnElement[bool]) -> Select:
    """The dossiers of the report, as three disjoint index ranges (see module docstring);
    `before_start` is `received_before(conn, start)`."""
    d = dossiers.c
    counted = d.status.not_in(sorted(NOT_COUNTED_STATUSES))
    ids = unit.agency_ids()
    scope = [] if ids is None else [d.agency_id.in_(ids)]
    columns = [d[name] for name in _COLUMNS]
    received_in = select(*columns).where(
        d.received_on >= start, d.received_on <= end, counted, or_(_open(), d.finished_on >= start), *scope
    )
    ended_later = select(*columns).where(
        before_start, d.finished_on >= start, d.status.in_(ENDING_STATUSES), *scope
    )
    never_ended = select(*columns).where(d.received_on < start, _open(), counted, *scope)
    return union_all(received_in, ended_later, never_ended)


def _classified(start: date, end: date, unit: ReportUnit, before_start: ColumnElement[bool]) -> Select:
    """(agency_id, field_code, field_name, received class, outcome class, n) grouped."""
    u = _in_period_parts(start, end, unit, before_start).subquery("in_report")
    received_class = case((u.c.received_on < start, 2), (u.c.channel == ONLINE_CHANNEL, 0), else_=1).label(
        "received_class"
    )
    ends_by_end = and_(u.c.status.in_(ENDING_STATUSES), u.c.finished_on.is_not(None), u.c.finished_on <= end)
    deadline = func.coalesce(u.c.due_on, u.c.finished_on)
    outcome_class = case(
        (
            ends_by_end,
            case(
                (u.c.status == WITHDRAWN_STATUS, 1),
                (u.c.finished_on < deadline, 0),
                (u.c.finished_on == deadline, 1),
                else_=2,
            ),
        ),
        (u.c.status.in_(sorted(PAUSED_STATUSES)), 3),
        (func.coalesce(u.c.due_on, u.c.received_on) >= end, 3),
        else_=4,
    ).label("outcome_class")
    return select(
        u.c.agency_id,
        u.c.field_code,
        func.max(u.c.field_name).label("field_name"),
        received_class,
        outcome_class,
        func.count().label("n"),
    ).group_by(u.c.agency_id, u.c.field_code, received_class, outcome_class)


def _pivot(start: date, end: date, unit: ReportUnit, before_start: ColumnElement[bool]) -> Select:
    """One row per (level, field_code): name and the eight counts."""
    c = _classified(start, end, unit, before_start).subquery("classified")

    def total(column: ColumnElement[int], value: int, name: str) -> ColumnElement[int]:
        return func.coalesce(func.sum(case((column == value, c.c.n), else_=0)), 0).label(name)

    return (
        select(
            agencies.c.kind.label("level"),
            c.c.field_code,
            func.max(c.c.field_name).label("field_name"),
            *(total(c.c.received_class, i, name) for i, name in enumerate(_RECEIVED)),
            *(total(c.c.outcome_class, i, name) for i, name in enumerate(_OUTCOMES)),
        )
        .select_from(c.join(agencies, agencies.c.id == c.c.agency_id))
        .group_by(agencies.c.kind, c.c.field_code)
    )


def run_indexed(conn: Connection, query: Select) -> list:
    """Execute and fetch; on PostgreSQL inside a savepoint with sequential scans and JIT
    compilation off, which restores both settings (the caller's transaction is unchanged).

    PostgreSQL estimates `received_on < start AND finished_on >= start` as if the two
    dates were independent (a quarter of the table instead of the few dossiers that span
    the first day) and would then read the whole table; the indexes answer it exactly
    (see received_before).
    JIT compilation of the report's expressions costs more than it saves at these sizes."""
    if conn.dialect.name != "postgresql":
        return list(conn.execute(query))
    savepoint = conn.begin_nested()
    try:
        conn.execute(text("SET LOCAL enable_seqscan = off"))
        conn.execute(text("SET LOCAL jit = off"))
        return list(conn.execute(query))
    finally:
        savepoint.rollback()


def _counts(row: object) -> Kpis:
    return Kpis(**{name: int(getattr(row, name)) for name in (*_RECEIVED, *_OUTCOMES)})


def bieu06_report(conn: Connection, start: date, end: date, unit: ReportUnit | None = None) -> Bieu06Report:
    """Biểu số 06 for [start, end] (inclusive) and a unit (default: the whole province)."""
    check_range(start, end)
    unit = unit or province_unit(conn)
    sectors: dict[tuple[str, str | None], Bieu06Row] = {}
    for r in run_indexed(conn, _pivot(start, end, unit, received_before(conn, start))):
        code = r.field_code or None  # NULL and "" are both "no sector"
        label = (r.field_name or code) if code else OTHER_SECTOR
        previous = sectors.get((r.level, code))
        counts = _counts(r) if previous is None else previous.counts + _counts(r)
        sectors[(r.level, code)] = Bieu06Row("sector", r.level, code, label, counts)
    by_level: dict[str, list[Bieu06Row]] = {}
    for row in sectors.values():
        by_level.setdefault(row.level or "", []).append(row)
    return Bieu06Report(start, end, unit, build_rows(by_level))


def _sector_order(row: Bieu06Row) -> tuple[bool, str]:
    return (row.field_code is None, row.field_code or "")


def build_rows(by_level: dict[str, list[Bieu06Row]]) -> list[Bieu06Row]:
    """Levels in the form's order (other agency kinds after them), each as its subtotal
    row followed by its sector rows (by sector code, "Lĩnh vực khác" last); the total last."""
    order = [kind for kind, _ in LEVELS] + sorted(k for k in by_level if k not in LEVEL_LABELS)
    rows: list[Bieu06Row] = []
    grand = Kpis()
    for level in order:
        sectors = sorted(by_level.get(level, []), key=_sector_order)
        if not sectors:
            continue
        subtotal = sum((s.counts for s in sectors), Kpis())
        grand = grand + subtotal
        rows.append(Bieu06Row("subtotal", level, None, LEVEL_LABELS.get(level, level), subtotal))
        rows.extend(sectors)
    rows.append(Bieu06Row("total", None, None, TOTAL_LABEL, grand))
    return rows


# ---------------------------------------------------------------- CSV

CSV_COLUMNS = (
    "row_type",
    "level",
    "field_code",
    "field_name",
    "received_total",
    "received_online",
    "received_direct_postal",
    "carried_over",
    "resolved_total",
    "resolved_early",
    "resolved_on_time",
    "resolved_late",
    "pending_total",
    "pending_within_deadline",
    "pending_overdue",
)


def column_values(k: Kpis) -> list[int]:
    """Columns 3–13 of the form, in order."""
    return [
        k.received_total,
        k.received_online,
        k.received_direct_postal,
        k.carried_over,
        k.resolved_total,
        k.resolved_early,
        k.resolved_on_time,
        k.resolved_late,
        k.pending_total,
        k.pending_within,
        k.pending_overdue,
    ]


def csv_rows(report: Bieu06Report) -> Iterator[list[str | int]]:
    yield list(CSV_COLUMNS)
    for r in report.rows:
        yield [r.row_type, r.level or "", r.field_code or "", r.label, *column_values(r.counts)]


def bieu06_csv(report: Bieu06Report) -> bytes:
    """The report as CSV bytes: UTF-8 with BOM (so Excel reads the diacritics), CRLF."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(csv_rows(report))
    return ("\ufeff" + out.getvalue()).encode("utf-8")


# ---------------------------------------------------------------- download

ReportFormat = Literal["xlsx", "csv"]
FORMATS: tuple[ReportFormat, ...] = ("xlsx", "csv")
MEDIA_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv",
}


@dataclass(frozen=True)
class ReportFile:
    filename: str
    media_type: str
    content: bytes


def render(report: Bieu06Report, fmt: ReportFormat) -> bytes:
    if fmt == "csv":
        return bieu06_csv(report)
    if fmt == "xlsx":
        from dossier_stats.bieu06.xlsx_writer import bieu06_xlsx

        return bieu06_xlsx(report)
    raise ValueError(f"Định dạng không hỗ trợ: {fmt!r} (chọn một trong: {', '.join(FORMATS)}).")


def filename_for(report: Bieu06Report, fmt: str) -> str:
    unit = report.unit.code or "tinh"
    return f"bieu06_{unit}_{report.start:%Y%m%d}_{report.end:%Y%m%d}.{fmt}"


def report_file(
    conn: Connection,
    start: date,
    end: date,
    unit_code: str | None = None,
    fmt: ReportFormat = "xlsx",
    province_code: str | None = None,
) -> ReportFile:
    """The report as a file to download: name, media type and bytes (for the dashboard)."""
    if fmt not in FORMATS:
        raise ValueError(f"Định dạng không hỗ trợ: {fmt!r} (chọn một trong: {', '.join(FORMATS)}).")
    check_range(start, end)
    report = bieu06_report(conn, start, end, resolve_unit(conn, unit_code, province_code))
    return ReportFile(filename_for(report, fmt), MEDIA_TYPES[fmt], render(report, fmt))


def sector_rows(report: Bieu06Report) -> Sequence[Bieu06Row]:
    return [r for r in report.rows if r.row_type == "sector"]
