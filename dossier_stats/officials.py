"""Statistics per official (thống kê theo cán bộ, công chức) from dossier handling data:
evidence that supports — does not replace — the assessment of officials under the
regulations on evaluating officials (Decree 90/2020, amended by 48/2023; DOMAIN.md §5).

Per `handler_id` (the pseudonymous id of the official who handled a dossier's main step)
and agency code, over a year counted up to today for the current year, with the same
counting rules as Biểu 06 (dossier_stats.raw, a direct scan of the dossiers table):
- handled: dossiers to resolve in the year — received in it, or received before and not
  ended before its first day (Biểu 06 column 3);
- resolved early / on time / late in the year (columns 8, 9, 10; withdrawn = on time);
- pending overdue on the last day (column 13);
- online share: received online / received in the year (columns 4 / (4 + 5));
- repeated supplements: handled dossiers with more than one supplement request.
Beside each official: the same figures for the whole agency (every dossier, with or without
a handler) and for the province. Everything is grouped in SQL: three statements.

Ids stay pseudonymous unless the mapping of `python cli.py import-handlers` is loaded and
the caller asks for names (only roles allowed to see them do: accounts.permissions).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, Connection, and_, or_, select

from db.schema import agencies, dossiers
from db.schema_accounts import official_handlers
from dossier_stats.kpis import Kpis, kpis_from_row
from dossier_stats.raw import carried_over, count_if, scan_between
from spreadsheet_safety import csv_bytes

STATEMENT = (
    "Số liệu theo cán bộ xử lý hồ sơ chỉ hỗ trợ, không thay thế việc đánh giá, xếp loại chất lượng "
    "cán bộ, công chức, viên chức theo quy định (Nghị định 90/2020/NĐ-CP, "
    "sửa đổi bởi Nghị định 48/2023/NĐ-CP)."
)


@dataclass(frozen=True)
class HandlingFigures:
    kpis: Kpis  # Biểu 06 counts of the dossiers, over the year
    repeated_supplements: int  # handled dossiers with more than one supplement request

    @property
    def handled(self) -> int:
        return self.kpis.received_total

    @property
    def online_share(self) -> float | None:
        return self.kpis.online_share

    @property
    def on_time_rate(self) -> float | None:
        return self.kpis.on_time_rate

    @property
    def repeated_supplement_share(self) -> float | None:
        return self.repeated_supplements / self.handled if self.handled else None


@dataclass(frozen=True)
class OfficialRow:
    handler_id: str
    unit_code: str  # the agency code of the dossiers
    unit_name: str
    figures: HandlingFigures
    full_name: str | None = None  # from the mapping, only when names were asked for


@dataclass(frozen=True)
class OfficialsReport:
    year: int
    start: date
    end: date  # the last day counted (today for the current year)
    rows: list[OfficialRow]  # by agency code, then handler id
    units: dict[str, HandlingFigures]  # agency code -> every dossier of the agency
    province: HandlingFigures
    names_shown: bool  # names were asked for and the mapping is loaded


def _handled(start: date) -> ColumnElement[bool]:
    return or_(dossiers.c.received_on >= start, carried_over(start))


def _figures(row: object) -> HandlingFigures:
    return HandlingFigures(kpis_from_row(row), int(row.repeated_supplements or 0))  # type: ignore[attr-defined]


def _latest_names(conn: Connection, codes: set[str]) -> dict[str, str]:
    a = agencies.c
    names: dict[str, str] = {}
    for code, name in conn.execute(
        select(a.code, a.name).where(a.code.in_(sorted(codes))).order_by(a.valid_from)
    ):
        names[code] = name  # the latest version's name wins
    return names


def officials_report(
    conn: Connection, year: int, today: date, unit_code: str | None = None, with_names: bool = False
) -> OfficialsReport:
    """The officials of one agency (or of all) for the year; `with_names` adds the mapping's
    names (the caller has checked the reader may see them)."""
    start, end = date(year, 1, 1), min(date(year, 12, 31), today)
    src = scan_between(start, end)
    d = dossiers.c
    repeated = count_if(and_(_handled(start), d.supplement_count > 1), "repeated_supplements")
    where = [*src.where, _handled(start)]
    scope = [] if unit_code is None else [d.agency_code == unit_code]
    handler = select(d.agency_code, d.handler_id, *src.sums, repeated).select_from(src.from_)
    handler = handler.where(*where, *scope, d.handler_id.is_not(None), d.handler_id != "")
    per_handler = conn.execute(handler.group_by(d.agency_code, d.handler_id)).all()
    per_handler = [r for r in per_handler if kpis_from_row(r).received_total > 0]
    codes = {r.agency_code for r in per_handler}
    units: dict[str, HandlingFigures] = {}
    if codes:
        unit_query = select(d.agency_code, *src.sums, repeated).select_from(src.from_)
        unit_query = unit_query.where(*where, d.agency_code.in_(sorted(codes))).group_by(d.agency_code)
        units = {r.agency_code: _figures(r) for r in conn.execute(unit_query)}
    province = _figures(conn.execute(select(*src.sums, repeated).select_from(src.from_).where(*where)).one())
    names = _handler_names(conn, {r.handler_id for r in per_handler}) if with_names else {}
    unit_names = _latest_names(conn, codes)
    rows = [
        OfficialRow(
            r.handler_id,
            r.agency_code,
            unit_names.get(r.agency_code, r.agency_code),
            _figures(r),
            names.get(r.handler_id),
        )
        for r in sorted(per_handler, key=lambda r: (r.agency_code, r.handler_id))
    ]
    return OfficialsReport(year, start, end, rows, units, province, with_names and bool(names))


def _handler_names(conn: Connection, ids: set[str]) -> dict[str, str]:
    h = official_handlers.c
    if not ids:
        return {}
    query = select(h.handler_id, h.full_name).where(h.handler_id.in_(sorted(ids)))
    return {handler_id: name for handler_id, name in conn.execute(query)}


def _percent(share: float | None) -> float | str:
    return "" if share is None else round(share * 100, 1)


def _shares(f: HandlingFigures) -> list[float | str]:
    return [_percent(f.on_time_rate), _percent(f.online_share), _percent(f.repeated_supplement_share)]


CSV_HEADER = (
    "Năm",
    "Mã cán bộ xử lý",
    "Họ và tên",
    "Mã đơn vị",
    "Đơn vị",
    "Hồ sơ xử lý",
    "Giải quyết trước hạn",
    "Giải quyết đúng hạn",
    "Giải quyết quá hạn",
    "Đang giải quyết quá hạn",
    "Tỷ lệ đúng hạn (%)",
    "Tỷ lệ trực tuyến (%)",
    "Tỷ lệ bổ sung hơn 1 lần (%)",
    "Đơn vị: tỷ lệ đúng hạn (%)",
    "Đơn vị: tỷ lệ trực tuyến (%)",
    "Đơn vị: tỷ lệ bổ sung hơn 1 lần (%)",
    "Tỉnh: tỷ lệ đúng hạn (%)",
    "Tỉnh: tỷ lệ trực tuyến (%)",
    "Tỉnh: tỷ lệ bổ sung hơn 1 lần (%)",
)


def officials_csv(report: OfficialsReport) -> bytes:
    """The report as CSV (UTF-8 with BOM, cells safe for spreadsheets, percentages to one
    decimal); the names column is empty unless names were asked for."""
    province = _shares(report.province)
    blank = HandlingFigures(Kpis(), 0)

    def line(r: OfficialRow) -> list[object]:
        k = r.figures.kpis
        unit = report.units.get(r.unit_code, blank)
        return [
            report.year,
            r.handler_id,
            r.full_name or "",
            r.unit_code,
            r.unit_name,
            r.figures.handled,
            k.resolved_early,
            k.resolved_on_time,
            k.resolved_late,
            k.pending_overdue,
            *_shares(r.figures),
            *_shares(unit),
            *province,
        ]

    return csv_bytes(CSV_HEADER, (line(r) for r in report.rows))
