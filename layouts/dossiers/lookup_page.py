"""/dossiers/lookup (tra cứu hồ sơ, issue 14 item 7): a code in, the dossier out — the ones
imported from the old system included — with its status history fields and where it
counts: its agency, the map unit it colours, the month it counts as received in, how it
ends or stands as of today, with links to the lists it counts in."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from dash import dcc, html

from dossier_stats.lookup import DossierRecord, LookupResult, QuarantinedRow
from dossier_stats.periods import Period
from layouts.common.dossier_links import LOOKUP_PATH, drill_href
from layouts.common.names import commune_label
from layouts.dossiers.common import as_of_phrase, dossier_header, heading, messages_box
from layouts.dossiers.ids import DossierIds
from vi_format import format_date, format_datetime, format_int, format_number

PROMPT = "Nhập mã hồ sơ (cả hồ sơ chuyển từ hệ thống cũ) rồi bấm Tra cứu."
# outcome -> the count of the list it is in (dossier_stats.drill.COUNT_KINDS)
OUTCOME_COUNT = {
    "resolved_early": "resolved_early",
    "resolved_on_time": "resolved_on_time",
    "resolved_late": "resolved_late",
    "withdrawn": "resolved_on_time",
    "paused": "pending_within",
    "pending_within": "pending_within",
    "pending_overdue": "pending_overdue",
}


def lookup_form(code: str | None) -> html.Div:
    return html.Div(
        [
            html.Label("Mã hồ sơ", htmlFor=DossierIds.LOOKUP_INPUT),
            dcc.Input(
                id=DossierIds.LOOKUP_INPUT,
                type="search",
                value=code or "",
                maxLength=64,
                placeholder="Ví dụ: 000.00.01.H49-250915-0001",
                debounce=False,
                autoComplete="off",
            ),
            html.Button("Tra cứu", id=DossierIds.LOOKUP_BUTTON, n_clicks=0, className="btn"),
        ],
        className="lookup-form",
        role="search",
    )


def lookup_page(code: str | None = None) -> html.Div:
    return html.Div(
        [
            dcc.Location(id=DossierIds.LOOKUP_URL, refresh=False),
            dossier_header(LOOKUP_PATH),
            html.Div(
                [html.H2("Tra cứu hồ sơ", className="scoring-title"), lookup_form(code)],
                className="scoring-body",
            ),
            html.Main(id=DossierIds.LOOKUP_CONTENT, className="dossier-body", **{"aria-live": "polite"}),
        ],
        className="app dossier-page",
    )


def lookup_skeleton() -> html.Div:
    return lookup_page()


def _day(value: date | None) -> str:
    return format_date(value)


def _moment(value: datetime | None) -> str:
    return format_datetime(value)


def _facts(pairs: list[tuple[str, Any]]) -> html.Dl:
    items: list[Any] = []
    for label, value in pairs:
        items += [html.Dt(label), html.Dd(value)]
    return html.Dl(items, className="lookup-facts")


def _where(record: DossierRecord) -> list[tuple[str, Any]]:
    """Where it counts: map unit, received month, outcome (with links to those lists)."""
    unit_code, unit_name = (
        record.commune or record.district or (record.fields["agency_code"], record.agency_name)
    )
    unit_label = commune_label(unit_name) if record.commune else unit_name
    rows: list[tuple[str, Any]] = [("Tính cho đơn vị", f"{unit_label} ({unit_code})")]
    if record.district and record.commune:
        rows.append(("Thuộc huyện (trước 1/7/2025)", f"{record.district[1]} ({record.district[0]})"))
    month: Period | None = record.received_month
    if month is not None:
        link = dcc.Link(month.label, href=drill_href(unit_code, month.key, "received_total"))
        rows.append(("Tính là hồ sơ nhận trong kỳ", link))
    count = OUTCOME_COUNT.get(record.outcome)
    outcome: Any = record.outcome_text
    ended = record.ended_month or Period.containing("month", record.as_of)
    if count is not None:
        outcome = dcc.Link(outcome, href=drill_href(unit_code, ended.key, count))
    rows.append((f"Kết quả ({as_of_phrase(record.as_of)})", outcome))
    if record.ended_month is not None:
        rows.append(("Tính là đã giải quyết trong kỳ", record.ended_month.label))
    if record.days_overdue is not None:
        rows.append(("Số ngày quá hạn", f"{format_int(record.days_overdue)} ngày"))
    return rows


def _fields(record: DossierRecord) -> list[tuple[str, Any]]:
    f = record.fields
    procedure = f["procedure_name"] or ""
    return [
        ("Mã hồ sơ", f["dossier_code"]),
        ("Thủ tục", f"{f['procedure_code']} — {procedure}" if procedure else f["procedure_code"]),
        ("Lĩnh vực", f["field_name"] or f["field_code"] or "—"),
        ("Cơ quan tiếp nhận", f"{record.agency_name} ({f['agency_code']})"),
        ("Kênh nộp", record.channel_text),
        ("Trạng thái", f"{record.status_text} ({f['status']})"),
        ("Nộp lúc", _moment(f["submitted_at"])),
        ("Tiếp nhận lúc", _moment(f["received_at"])),
        ("Hạn trả", _moment(f["due_at"]) if f["due_at"] else _day(f["due_on"])),
        ("Kết thúc xử lý lúc", _moment(f["finished_at"])),
        ("Trả kết quả lúc", _moment(f["returned_at"])),
        ("Số lần yêu cầu bổ sung", format_int(f["supplement_count"])),
        ("Số ngày chờ bổ sung", format_number(f["supplement_days"])),
        ("Cập nhật lần cuối", _moment(f["updated_at"])),
        ("Nhập vào hệ thống lúc", _moment(f["imported_at"])),
    ]


def _quarantined(rows: tuple[QuarantinedRow, ...]) -> html.Div | None:
    if not rows:
        return None
    items = [
        html.Li(
            f"Tệp {r.source_file}, dòng {format_int(r.line_no)} (lần nhập {r.import_run_id}): {r.message}"
        )
        for r in rows
    ]
    return html.Div(
        [html.H3("Dòng bị từ chối khi nhập dữ liệu (cách ly)"), html.Ul(items)], className="lookup-quarantine"
    )


def lookup_view(result: LookupResult | None, messages: list[str], show_quarantine: bool = True) -> list[Any]:
    """The dossier found (or why not), and the rejected rows carrying the code."""
    if result is None:
        body: list[Any] = [html.P(PROMPT, className="muted")]
    elif result.record is None:
        body = [
            html.P(f"Không có hồ sơ nào mã “{result.code}”.", className="lookup-missing", id=DossierIds.TITLE)
        ]
    else:
        record = result.record
        body = [
            heading(f"Hồ sơ {result.code}", record.agency_name, None, False),
            html.H3("Tính vào số liệu nào"),
            _facts(_where(record)),
            html.H3("Thông tin và các mốc xử lý"),
            _facts(_fields(record)),
        ]
    if result is not None and show_quarantine:
        body.append(_quarantined(result.quarantined))
    return [messages_box(messages, alert=True), html.Div(body, className="scoring-body")]
