"""The officials' statistics page (/officials, Thống kê theo cán bộ xử lý hồ sơ): per
handler id and year, the dossiers handled and how they ended, with the unit's and the
province's rates beside them, the CSV, and the statement that these figures support — do
not replace — the assessment of officials under the regulations. Pure: the report comes
from dossier_stats.officials through callbacks/officials/page.py, which checks who asks."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from dash import dcc, html

from dossier_stats.officials import STATEMENT, HandlingFigures, OfficialRow, OfficialsReport
from layouts.common.plain import field, filter_form, messages, plain_page, text_table
from layouts.common.urls import app_path
from vi_format import format_date, format_int, format_percent

OFFICIALS_PATH = "/officials"
OFFICIALS_CSV_PATH = "/officials.csv"
SUBTITLE = "Thống kê theo cán bộ xử lý hồ sơ"
COUNT_HEADERS = ("Hồ sơ xử lý", "Trước hạn", "Đúng hạn", "Quá hạn", "Đang quá hạn")
RATE_HEADERS = (
    "Đúng hạn",
    "Đúng hạn: đơn vị",
    "Đúng hạn: tỉnh",
    "Trực tuyến",
    "Trực tuyến: đơn vị",
    "Trực tuyến: tỉnh",
    "Bổ sung > 1 lần",
    "Bổ sung > 1 lần: đơn vị",
    "Bổ sung > 1 lần: tỉnh",
)


@dataclass(frozen=True)
class OfficialsAsk:
    """What the page's query asks for, after the reader's own unit is applied."""

    year: int
    unit: str | None
    unit_fixed: bool  # a unit's staff: their unit, not a choice
    years: list[int]
    problems: list[str]


def csv_href(year: int, unit: str | None) -> str:
    query = {"year": str(year), **({"unit": unit} if unit else {})}
    return app_path(f"{OFFICIALS_CSV_PATH}?{urlencode(query)}")


def _rates(f: HandlingFigures) -> tuple[str, str, str]:
    return (
        format_percent(f.on_time_rate),
        format_percent(f.online_share),
        format_percent(f.repeated_supplement_share),
    )


def _row(r: OfficialRow, report: OfficialsReport, names: bool) -> list[str]:
    k = r.figures.kpis
    unit = report.units.get(r.unit_code)
    mine, theirs, province = _rates(r.figures), _rates(unit) if unit else ("—",) * 3, _rates(report.province)
    rates = [v for triple in zip(mine, theirs, province, strict=True) for v in triple]
    counts = [r.figures.handled, k.resolved_early, k.resolved_on_time, k.resolved_late, k.pending_overdue]
    who = [r.handler_id] + ([r.full_name or "—"] if names else [])
    return [*who, f"{r.unit_name} ({r.unit_code})", *(format_int(c) for c in counts), *rates]


def officials_layout(
    *,
    refused: str | None = None,
    report: OfficialsReport | None = None,
    ask: OfficialsAsk | None = None,
    limit: int = 500,
) -> html.Div:
    """The page; `refused`: why the reader may not see it (only the statement is shown)."""
    head = [html.H2(SUBTITLE), html.P(STATEMENT, className="plain-statement")]
    if refused is not None or report is None or ask is None:
        return plain_page(SUBTITLE, [*head, messages([refused or ""], alert=True)], "officials-page")
    years, year, unit, problems = ask.years, ask.year, ask.unit, ask.problems
    fields = [
        field(
            "Năm",
            html.Select([html.Option(str(y), value=str(y), selected=y == year) for y in years], name="year"),
        )
    ]
    if not ask.unit_fixed:
        fields.append(field("Mã đơn vị", dcc.Input(name="unit", type="text", value=unit or "", maxLength=20)))
    names = report.names_shown
    headers = ["Mã cán bộ", *(["Họ và tên"] if names else []), "Đơn vị", *COUNT_HEADERS, *RATE_HEADERS]
    first_num = 3 if names else 2
    rows = [_row(r, report, names) for r in report.rows[:limit]]
    scope = f"đơn vị {unit}" if unit else "mọi đơn vị"
    shown = f"{format_int(len(report.rows))} cán bộ xử lý, {scope}, năm {year}"
    if len(report.rows) > limit:
        shown += f" (hiện {format_int(limit)} dòng đầu: tải CSV để có đủ)"
    period = f"Từ {format_date(report.start)} đến {format_date(report.end)}."
    body = [
        *head,
        filter_form(OFFICIALS_PATH, fields),
        messages(list(problems), alert=True),
        html.P(
            [
                shown,
                ". ",
                period,
                " · ",
                html.A("Tải CSV", href=csv_href(year, unit), className="plain-download"),
            ]
        ),
        html.Div(
            text_table(headers, rows, numeric=range(first_num, len(headers)), class_name="officials-table"),
            className="plain-table-wrap",
        )
        if rows
        else messages([f"Không có hồ sơ nào có mã cán bộ xử lý của {scope} trong năm {year}."]),
    ]
    return plain_page(SUBTITLE, body, "officials-page")
