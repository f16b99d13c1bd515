"""Import of 766 indicators that dossier data cannot give (`cli.py import-indicators FILE`).

CSV (UTF-8, comma-separated, one header row; common rules of importer/data/INTERCHANGE.md):

| column | meaning |
|---|---|
| `agency_code` | an agency code of the registry, or the province code (e.g. `49`) |
| `period` | `2025-07` (month), `2025-Q3` (quarter) or `2025` (year) |
| `indicator` | one of `index766.config.IMPORTED_INDICATORS` (e.g. `procedures_announced_on_time`) |
| `value` | points, a decimal with a dot, from 0 to the indicator's maximum (e.g. 0..6) |

Rules (quarantine rule names): missing_<column>, field_count, nul_byte and
field_too_large (importer.csv_source), invalid_period (not a period key),
period_in_future (starts after today), unknown_indicator (not importable — the message
lists the names; indicators computed from dossiers are refused too), invalid_value,
number_out_of_range (beyond a double), value_out_of_range, unknown_agency,
agency_not_valid_in_period (the code exists but no version of it is valid on any day
of the period), agency_ambiguous_in_period (two versions of the code are valid in the
period — every 2025 commune code reuses an old one, so a value for the year 2025 is
refused: it would belong to both; a value belongs to the agency identity, code and
validity, never to the code alone), duplicate_indicator (the same agency, period and
indicator earlier in the file with another value).

Idempotent: the key is (agency_code, period, indicator); a stored value is replaced
when it differs (updated), kept when equal (unchanged). One transaction per file;
data_state is bumped when anything changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, and_, bindparam, insert, select, update

from clock import now_local
from db.registry import AgencyIndex, format_validity
from db.schema import admin_units
from db.schema_stats import indicator_values
from dossier_stats.index766.config import IMPORTED_INDICATORS, INDICATOR_BY_KEY
from dossier_stats.periods import Period
from importer.csv_source import CsvSource, FileRejected, open_source, record_problem
from importer.keyed_rows import read_keyed_rows
from importer.quarantine import Violation
from importer.runs import bump_data_state, mark_interrupted, record_rejection, run_recorded
from importer.summary import ImportSummary
from importer.values import ValueProblem, parse_code, parse_decimal

REQUIRED_COLUMNS = ("agency_code", "period", "indicator", "value")
OPTIONAL_COLUMNS: tuple[str, ...] = ()
KIND = "indicators"
LABELS = {"agency_code": "mã cơ quan", "period": "kỳ", "indicator": "chỉ số", "value": "giá trị (điểm)"}


class IndicatorSummary(ImportSummary):
    def format_vi(self, command: str = "python cli.py") -> str:
        lines = super().format_vi(command).splitlines()
        lines[0] = f"Kết quả nhập chỉ số 766 — {len(self.files)} tệp: {', '.join(self.files)}"
        return "\n".join(lines)


@dataclass(frozen=True)
class IndicatorValue:
    agency_code: str
    period: Period
    indicator: str
    value: float

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.agency_code, self.period.key, self.indicator)


def _fmt(value: float) -> str:
    return f"{value:g}".replace(".", ",")


@dataclass(frozen=True)
class IndicatorRowParser:
    """Checks a record of an indicator file against the header, the registry and today."""

    index: dict[str, int]  # column name -> position
    width: int  # columns of the header
    agencies: AgencyIndex
    province: set[str]  # the province's unit codes
    today: date

    def parse(self, fields: list[str]) -> tuple[IndicatorValue | None, list[Violation]]:
        if len(fields) != self.width:
            return None, [record_problem(fields, self.width)]
        text = {name: fields[self.index[name]].strip() for name in REQUIRED_COLUMNS}
        problems = [
            Violation(f"missing_{name}", f"Thiếu {LABELS[name]} ({name})")
            for name in REQUIRED_COLUMNS
            if not text[name]
        ]
        period = self._period(text["period"], problems) if text["period"] else None
        indicator = self._indicator(text["indicator"], problems) if text["indicator"] else None
        value = self._value(text["value"], indicator, problems) if text["value"] else None
        code = self._agency(text["agency_code"], period, problems) if text["agency_code"] else None
        if problems or code is None or period is None or indicator is None or value is None:
            return None, problems
        return IndicatorValue(code, period, indicator, value), []

    def _period(self, text: str, problems: list[Violation]) -> Period | None:
        try:
            period = Period.parse(text)
        except ValueError as exc:
            problems.append(Violation("invalid_period", str(exc)))
            return None
        if period.start > self.today:
            problems.append(
                Violation(
                    "period_in_future",
                    f"Kỳ {period.key} ({period.label}) chưa bắt đầu "
                    f"(hôm nay {self.today.strftime('%d/%m/%Y')})",
                )
            )
            return None
        return period

    def _indicator(self, text: str, problems: list[Violation]) -> str | None:
        name = text.strip().lower()
        if name in IMPORTED_INDICATORS:
            return name
        allowed = ", ".join(IMPORTED_INDICATORS)
        if name in INDICATOR_BY_KEY:
            message = (
                f"Chỉ số '{text}' được tính từ dữ liệu hồ sơ, không nhập; các chỉ số nhập được: {allowed}"
            )
        else:
            message = f"Chỉ số '{text}' không có; các chỉ số nhập được: {allowed}"
        problems.append(Violation("unknown_indicator", message))
        return None

    def _value(self, text: str, indicator: str | None, problems: list[Violation]) -> float | None:
        try:
            value = parse_decimal(text)
        except ValueProblem as exc:
            problems.append(Violation(exc.rule or "invalid_value", f"{LABELS['value']} (value): {exc}"))
            return None
        if indicator is not None:
            top = IMPORTED_INDICATORS[indicator].max_points
            if not 0 <= value <= top:
                problems.append(
                    Violation(
                        "value_out_of_range",
                        f"Giá trị '{text}' ngoài khoảng 0–{_fmt(top)} điểm của chỉ số {indicator}",
                    )
                )
                return None
        return value

    def _agency(self, text: str, period: Period | None, problems: list[Violation]) -> str | None:
        try:
            code = parse_code(text, 20)
        except ValueProblem as exc:
            problems.append(Violation("invalid_agency_code", f"{LABELS['agency_code']}: {exc}"))
            return None
        if code in self.province:
            return code
        if not self.agencies.knows(code):
            problems.append(
                Violation(
                    "unknown_agency",
                    f"Mã cơ quan '{code}' không có trong danh mục cơ quan (agencies) và không phải mã tỉnh",
                )
            )
            return None
        if period is None:
            return code
        versions = self.agencies.periods(code)
        valid = ", ".join(format_validity(v.valid_from, v.valid_to) for v in versions)
        overlapping = [
            v
            for v in versions
            if v.valid_from <= period.end and (v.valid_to is None or v.valid_to >= period.start)
        ]
        if len(overlapping) > 1:
            problems.append(
                Violation(
                    "agency_ambiguous_in_period",
                    f"Mã '{code}' là {len(overlapping)} cơ quan khác nhau trong kỳ {period.label} "
                    f"(hiệu lực {valid}): nhập theo quý hoặc tháng nằm trọn trong thời gian của một cơ quan",
                )
            )
            return None
        if not overlapping:
            problems.append(
                Violation(
                    "agency_not_valid_in_period",
                    f"Cơ quan '{code}' không có hiệu lực trong kỳ {period.label}; "
                    f"thời gian hiệu lực: {valid}",
                )
            )
            return None
        return code


def import_indicators(
    engine: Engine, path: Path, *, now: datetime | None = None, today: date | None = None
) -> IndicatorSummary:
    """Import one indicator CSV; raises FileRejected (nothing written)."""
    path = Path(path)
    now = now or now_local()
    today = today or now.date()
    try:
        source = open_source(path, REQUIRED_COLUMNS, OPTIONAL_COLUMNS)
    except FileRejected as exc:
        record_rejection(engine, KIND, str(path), str(exc), now)
        raise
    summary = IndicatorSummary(kind=KIND, files=[path.name], warnings=list(source.warnings))
    summary.interrupted = mark_interrupted(engine)

    def body(conn: Connection, run_id: int) -> None:
        _import(conn, source, run_id, now, today, summary)

    run_recorded(engine, KIND, str(path), now, summary, body)
    return summary


def _province_codes(conn: Connection) -> set[str]:
    return set(conn.execute(select(admin_units.c.code).where(admin_units.c.level == "province")).scalars())


def _import(
    conn: Connection, source: CsvSource, run_id: int, now: datetime, today: date, summary: IndicatorSummary
) -> None:
    header = source.header
    parser = IndicatorRowParser(
        header.index, len(header.columns), AgencyIndex.load(conn), _province_codes(conn), today
    )

    def conflict(item: IndicatorValue, first_line: int, first: IndicatorValue) -> Violation | None:
        if first.value == item.value:
            return None
        return Violation(
            "duplicate_indicator",
            f"{item.indicator} của '{item.agency_code}' kỳ {item.period.key} "
            f"đã có ở dòng {first_line} với giá trị {_fmt(first.value)}, dòng này {_fmt(item.value)}",
        )

    items = read_keyed_rows(conn, source, run_id, now, summary, parser.parse, lambda v: v.key, conflict)
    _store(conn, items, run_id, now, summary)
    if summary.changed:
        bump_data_state(conn, now_local())


def _store(
    conn: Connection, items: list[IndicatorValue], run_id: int, now: datetime, summary: IndicatorSummary
) -> None:
    iv = indicator_values.c
    stored = {
        (r.agency_code, r.period_key, r.indicator): r.value for r in conn.execute(select(indicator_values))
    }
    new_rows: list[dict[str, Any]] = []
    changed: list[dict[str, Any]] = []
    for item in items:
        old = stored.get(item.key)
        values = {"value": item.value, "import_run_id": run_id, "updated_at": now}
        if old is None:
            new_rows.append(
                {
                    "agency_code": item.agency_code,
                    "period_key": item.period.key,
                    "indicator": item.indicator,
                    "period_start": item.period.start,
                    "period_end": item.period.end,
                    **values,
                }
            )
        elif float(old) != item.value:
            changed.append(
                {
                    "b_code": item.agency_code,
                    "b_period": item.period.key,
                    "b_ind": item.indicator,
                    **{f"b_{k}": v for k, v in values.items()},
                }
            )
        else:
            summary.unchanged += 1
    summary.inserted += len(new_rows)
    summary.updated += len(changed)
    if new_rows:
        conn.execute(insert(indicator_values), new_rows)
    if changed:
        conn.execute(
            update(indicator_values)
            .where(
                and_(
                    iv.agency_code == bindparam("b_code"),
                    iv.period_key == bindparam("b_period"),
                    iv.indicator == bindparam("b_ind"),
                )
            )
            .values(
                value=bindparam("b_value"),
                import_run_id=bindparam("b_import_run_id"),
                updated_at=bindparam("b_updated_at"),
            ),
            changed,
        )


def describe_indicators() -> str:
    """The importable indicators with their maximum points, for --help and messages."""
    return "; ".join(f"{k} (0–{_fmt(i.max_points)})" for k, i in IMPORTED_INDICATORS.items())
