"""Import of agencies.csv (the registry): validate, quarantine, upsert by (code, valid_from).

Rules (quarantine rule names): missing_<column>, invalid_<column> (kind, dates,
lengths), date_out_of_range (a year outside 1990–2100), field_count, nul_byte and
field_too_large (importer.csv_source), valid_to_before_valid_from, duplicate_agency (same code and
valid_from twice in the file), overlapping_validity (same code, overlapping periods —
the later record of the file is refused, or the record that overlaps a stored agency
it does not replace), unit_not_province (a department whose unit_code is not the
province), unknown_unit (a district/commune unit_code that is neither an
administrative unit nor an old commune or district of the crosswalk).

Nothing is province-specific: the province code is the admin_units row of level
province. Agencies absent from the file are kept (dossiers refer to them). After the
upsert, map attribution is recomputed (`resolve_map_units`), in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, bindparam, insert, select, update

from clock import now_local
from db.editions import edition_codes, resolve_edition_units
from db.registry import format_validity, resolve_map_units, unmapped_agencies
from db.schema import admin_units, agencies, commune_crosswalk
from db.units import province_code
from importer.csv_source import CsvSource, FileRejected, open_source, raw_row, record_problem
from importer.dossiers import PrerequisiteMissing
from importer.quarantine import QuarantinedRow, Violation, write_quarantine
from importer.runs import bump_data_state, mark_interrupted, record_rejection, run_recorded
from importer.summary import ImportSummary
from importer.values import ValueProblem, parse_choice, parse_code, parse_date

REQUIRED_COLUMNS = ("code", "name", "kind", "unit_code", "valid_from")
OPTIONAL_COLUMNS = ("valid_to",)
KINDS = frozenset({"department", "district", "commune"})
LABELS = {
    "code": "mã cơ quan",
    "name": "tên cơ quan",
    "kind": "loại cơ quan",
    "unit_code": "mã đơn vị hành chính",
    "valid_from": "ngày bắt đầu hiệu lực",
    "valid_to": "ngày hết hiệu lực",
}
LIMITS = {"code": 20, "name": 300, "unit_code": 10}
CONTENT = ("name", "kind", "unit_code", "valid_to")


@dataclass(frozen=True)
class _Record:
    line_no: int
    raw: dict[str, object]
    values: dict[str, Any]


def _overlaps(a_from: date, a_to: date | None, b_from: date, b_to: date | None) -> bool:
    return (a_to is None or b_from <= a_to) and (b_to is None or a_from <= b_to)


class _Checker:
    def __init__(self, conn: Connection, province: str) -> None:
        self.province = province
        edition_provinces, edition_units = edition_codes(conn)
        self.provinces = {province} | edition_provinces
        units = set(conn.execute(select(admin_units.c.code)).scalars()) | edition_units
        for row in conn.execute(select(commune_crosswalk.c.old_code, commune_crosswalk.c.old_district_code)):
            units.update((row.old_code, row.old_district_code))
        self.known_units = units

    def parse(self, header_index: dict[str, int], width: int, fields: list[str]) -> tuple[dict | None, list]:
        if len(fields) != width:
            return None, [record_problem(fields, width)]
        cell = {
            name: (fields[i].strip() if (i := header_index.get(name)) is not None else "") for name in LABELS
        }
        problems: list[Violation] = []
        values: dict[str, Any] = {}
        for name in LABELS:
            text = cell[name]
            if not text:
                if name in REQUIRED_COLUMNS:
                    problems.append(Violation(f"missing_{name}", f"Thiếu {LABELS[name]} ({name})"))
                values[name] = None
                continue
            try:
                if name == "kind":
                    values[name] = parse_choice(text, KINDS)
                elif name in ("valid_from", "valid_to"):
                    values[name] = parse_date(text)
                else:
                    values[name] = parse_code(text, LIMITS[name])
            except ValueProblem as exc:
                problems.append(Violation(exc.rule or f"invalid_{name}", f"{LABELS[name]} ({name}): {exc}"))
                values[name] = None
        start, end = values["valid_from"], values["valid_to"]
        if start and end and end < start:
            problems.append(
                Violation(
                    "valid_to_before_valid_from",
                    f"Ngày hết hiệu lực ({cell['valid_to']}) trước ngày bắt đầu ({cell['valid_from']})",
                )
            )
        unit, kind = values["unit_code"], values["kind"]
        if unit and kind == "department" and unit not in self.provinces:
            problems.append(
                Violation(
                    "unit_not_province",
                    f"Cơ quan cấp tỉnh phải gắn với mã tỉnh {', '.join(sorted(self.provinces))}, "
                    f"không phải '{unit}'",
                )
            )
        elif unit and kind in ("district", "commune") and unit not in self.known_units:
            problems.append(
                Violation(
                    "unknown_unit",
                    f"Mã đơn vị hành chính '{unit}' không có trong ranh giới đã nạp (admin_units) "
                    "hay bảng chuyển đổi xã cũ → xã mới",
                )
            )
        return (None if problems else values), problems


def _stored(conn: Connection) -> dict[tuple[str, date], dict[str, Any]]:
    rows = conn.execute(
        select(agencies.c.id, agencies.c.code, agencies.c.valid_from, *(agencies.c[c] for c in CONTENT))
    )
    return {(r.code, r.valid_from): dict(r._mapping) for r in rows}


def _check_periods(
    records: list[_Record], stored: dict[tuple[str, date], dict[str, Any]]
) -> tuple[list[_Record], list[QuarantinedRow]]:
    """Refuse duplicates and overlapping periods of one code (file order decides which is refused)."""
    accepted: dict[str, list[_Record]] = {}
    keys: dict[tuple[str, date], int] = {}
    ok: list[_Record] = []
    bad: list[QuarantinedRow] = []
    for rec in records:
        v = rec.values
        key = (v["code"], v["valid_from"])
        if key in keys:
            bad.append(
                QuarantinedRow(
                    rec.line_no,
                    rec.raw,
                    (
                        Violation(
                            "duplicate_agency",
                            f"Cơ quan '{v['code']}' bắt đầu {v['valid_from']:%d/%m/%Y} "
                            f"đã có ở dòng {keys[key]}",
                        ),
                    ),
                )
            )
            continue
        clash = next(
            (
                f"dòng {o.line_no} ({format_validity(o.values['valid_from'], o.values['valid_to'])})"
                for o in accepted.get(v["code"], ())
                if _overlaps(v["valid_from"], v["valid_to"], o.values["valid_from"], o.values["valid_to"])
            ),
            None,
        )
        if clash is None:
            clash = next(
                (
                    f"cơ quan đã có trong cơ sở dữ liệu ({format_validity(s['valid_from'], s['valid_to'])})"
                    for (code, start), s in stored.items()
                    if code == v["code"]
                    and start != v["valid_from"]
                    and not any(r.values["valid_from"] == start for r in accepted.get(code, ()))
                    and _overlaps(v["valid_from"], v["valid_to"], start, s["valid_to"])
                ),
                None,
            )
        if clash is not None:
            period = format_validity(v["valid_from"], v["valid_to"])
            bad.append(
                QuarantinedRow(
                    rec.line_no,
                    rec.raw,
                    (
                        Violation(
                            "overlapping_validity",
                            f"Thời gian hiệu lực {period} của cơ quan '{v['code']}' trùng với {clash}",
                        ),
                    ),
                )
            )
            continue
        keys[key] = rec.line_no
        accepted.setdefault(v["code"], []).append(rec)
        ok.append(rec)
    return ok, bad


def import_agencies(engine: Engine, path: Path, *, now: datetime | None = None) -> ImportSummary:
    """Import one agencies.csv; raises FileRejected or PrerequisiteMissing (units not loaded)."""
    path = Path(path)
    now = now or now_local()
    try:
        source = open_source(path, REQUIRED_COLUMNS, OPTIONAL_COLUMNS)
    except FileRejected as exc:
        record_rejection(engine, "agencies", str(path), str(exc), now)
        raise
    with engine.connect() as conn:
        province = province_code(conn)
    if province is None:
        raise PrerequisiteMissing(
            "Chưa nạp ranh giới hành chính (không có đúng một đơn vị cấp tỉnh trong admin_units): "
            "hãy chạy `python cli.py setup` trước."
        )
    summary = ImportSummary(kind="agencies", files=[path.name], warnings=list(source.warnings))
    summary.interrupted = mark_interrupted(engine)

    def body(conn: Connection, run_id: int) -> None:
        _import(conn, source, province, run_id, now, summary)

    run_recorded(engine, "agencies", str(path), now, summary, body)
    return summary


def _import(
    conn: Connection, source: CsvSource, province: str, run_id: int, now: datetime, summary: ImportSummary
) -> None:
    checker = _Checker(conn, province)
    header = source.header
    parsed: list[_Record] = []
    bad: list[QuarantinedRow] = []
    for line_no, fields in source.records():
        summary.rows_read += 1
        values, problems = checker.parse(header.index, len(header.columns), fields)
        if values is None:
            bad.append(QuarantinedRow(line_no, raw_row(header, fields), tuple(problems)))
        else:
            parsed.append(_Record(line_no, raw_row(header, fields), values))
    stored = _stored(conn)
    ok, refused = _check_periods(parsed, stored)
    bad += refused
    for row in bad:
        summary.rule_counts.update({v.rule for v in row.violations})
    summary.quarantined = len(bad)
    write_quarantine(conn, run_id, str(source.path), bad, now)

    new_rows, changed_rows = [], []
    for rec in ok:
        v = rec.values
        old = stored.get((v["code"], v["valid_from"]))
        if old is None:
            new_rows.append({k: v[k] for k in LABELS})
        elif any(old[c] != v[c] for c in CONTENT):
            changed_rows.append({"b_id": old["id"], **{f"b_{c}": v[c] for c in CONTENT}})
        else:
            summary.unchanged += 1
    summary.inserted, summary.updated = len(new_rows), len(changed_rows)
    if new_rows:
        conn.execute(insert(agencies), new_rows)
    if changed_rows:
        conn.execute(
            update(agencies)
            .where(agencies.c.id == bindparam("b_id"))
            .values({c: bindparam(f"b_{c}") for c in CONTENT}),
            changed_rows,
        )
    remapped = resolve_map_units(conn)
    resolve_edition_units(conn)
    if summary.changed or remapped:
        bump_data_state(conn, now_local())
    unmapped = unmapped_agencies(conn)
    if unmapped:
        codes = ", ".join(code for code, _ in unmapped)
        summary.warnings.append(
            f"{len(unmapped)} cơ quan cấp xã không gắn được với xã hiện nay "
            f"(xã cũ không có xã kế thừa; số liệu tính vào cấp huyện và tỉnh): {codes}"
        )
