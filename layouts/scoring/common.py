"""What the PAR-index pages share: the header with its links, controls, messages, URLs and
the reading of `year`, `unit` and `group` from the URL (never an exception: each value
that cannot be used gets a Vietnamese message saying why)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from dash import dcc, html
from flask import current_app, has_request_context

from layouts.common.controls import control
from layouts.common.frame import nav_header
from layouts.common.urls import app_path
from scoring.definition import GROUPS
from vi_format import format_number, format_points

SCORING_SUBTITLE = "Chỉ số cải cách hành chính (Chỉ số CCHC)"
SCORECARD_PATH = "/scorecard"
RESULTS_PATH = "/scoring/results"
ENTRY_PATH = "/scoring/entry"
NAV = (
    ("/", "Bản đồ"),
    (RESULTS_PATH, "Kết quả, xếp hạng"),
    (SCORECARD_PATH, "Phiếu điểm"),
    (ENTRY_PATH, "Nhập, thẩm định điểm"),
)
DROPDOWN_LABELS = {
    "search": "Tìm theo tên hoặc mã…",
    "clear_search": "Xóa nội dung tìm",
    "clear_selection": "Bỏ chọn",
    "no_options_found": "Không có đơn vị nào khớp.",
    "select_all": "Chọn tất cả",
    "deselect_all": "Bỏ chọn tất cả",
}
MAX_ECHO = 40  # longest piece of a URL value repeated in a message
NO_VERSION = "Chưa nạp bộ chỉ số cải cách hành chính nào: liên hệ quản trị hệ thống."


def echo(value: str) -> str:
    return value if len(value) <= MAX_ECHO else value[:MAX_ECHO] + "…"


def points_text(value: float | None) -> str:
    """7.5 -> "7,5"; None -> "—"."""
    return format_points(value)


def total_text(value: float | None) -> str:
    """A total as published, two decimals: 84.3 -> "84,30"; None -> "—"."""
    return format_number(value, 2)


def percent_text(value: float | None) -> str:
    """82.3 (already a percentage) -> "82,30%"."""
    return "—" if value is None else f"{format_number(value, 2)}%"


def href(path: str, **params: str | int | None) -> str:
    """ "/scorecard?unit=502&year=2025" (parameters that are None are left out)."""
    kept = {k: str(v) for k, v in params.items() if v is not None}
    return app_path(f"{path}?{urlencode(kept)}" if kept else path)


def scorecard_href(unit: str, year: int | None) -> str:
    return href(SCORECARD_PATH, unit=unit, year=year)


def entry_href(unit: str, year: int | None) -> str:
    return href(ENTRY_PATH, unit=unit, year=year)


def results_href(year: int | None, group: str | None = None) -> str:
    return href(RESULTS_PATH, year=year, group=group)


def map_href(map_code: str | None) -> str:
    """The home map opened on the unit's polygon (departments have none: the province view)."""
    return href("/", unit=map_code) if map_code else app_path("/")


# -- reading the URL ------------------------------------------------------------------------


@dataclass(frozen=True)
class YearChoice:
    year: int | None  # None: no version loaded at all
    messages: tuple[str, ...] = ()


def choose_year(raw: str | None, years: Sequence[int]) -> YearChoice:
    """The year the URL asks for when an index version exists for it; else the newest year
    with a message (an absent `year` silently means the newest)."""
    if not years:
        return YearChoice(None, (NO_VERSION,))
    newest = years[0]
    if raw is None or raw == "":
        return YearChoice(newest)
    try:
        year = int(raw)
    except ValueError:
        return YearChoice(newest, (f"Năm '{echo(raw)}' không hợp lệ; đang hiển thị năm {newest}.",))
    if year not in years:
        listed = ", ".join(str(y) for y in years)
        return YearChoice(
            newest,
            (f"Năm {year} chưa có bộ chỉ số CCHC (các năm có: {listed}); đang hiển thị năm {newest}.",),
        )
    return YearChoice(year)


def choose_group(raw: str | None, groups: Sequence[str], year: int) -> tuple[str | None, list[str]]:
    """The unit group the URL asks for when the year has it; else the first group of the year."""
    if not groups:
        return None, [f"Năm {year} chưa có bộ chỉ số nào."]
    if raw is None or raw == "":
        return groups[0], []
    if raw not in groups:
        known = ", ".join(f"{g} ({GROUPS[g]})" for g in groups)
        return groups[0], [
            f"Nhóm '{echo(raw)}' không có trong năm {year} (các nhóm: {known}); "
            f"đang hiển thị nhóm {GROUPS[groups[0]]}."
        ]
    return raw, []


def unknown_unit_message(unit: str, year: int) -> str:
    return (
        f"Không tìm thấy đơn vị mã '{echo(unit)}' trong kết quả chấm điểm Chỉ số CCHC năm {year}. "
        "Chọn một đơn vị trong danh sách."
    )


# -- components -----------------------------------------------------------------------------


def scoring_header(current: str) -> html.Header:
    """The home page's top bar with links between the map and the PAR-index pages."""
    return nav_header(SCORING_SUBTITLE, NAV, current)


def year_dropdown(component_id: str, years: Sequence[int], year: int | None) -> html.Div:
    return control(
        "Năm",
        dcc.Dropdown(
            id=component_id,
            options=[{"label": str(y), "value": y} for y in years],
            value=year,
            clearable=False,
            searchable=False,
        ),
        "scoring-year",
    )


@dataclass(frozen=True)
class UnitOption:
    code: str
    name: str
    group_label: str


def unit_dropdown(component_id: str, units: Sequence[UnitOption], unit: str | None) -> html.Div:
    """Every scored unit of the year, searchable by name or code."""
    return control(
        "Đơn vị",
        dcc.Dropdown(
            id=component_id,
            options=[
                {"label": f"{u.name} — {u.group_label}", "value": u.code, "search": f"{u.name} {u.code}"}
                for u in units
            ],
            value=unit,
            clearable=False,
            placeholder="Chọn đơn vị…",
            labels=DROPDOWN_LABELS,
        ),
        "scoring-unit",
    )


def controls_bar(controls: Sequence[Any]) -> html.Div:
    return html.Div(list(controls), className="controls scoring-controls")


def prompt_view(controls: Sequence[Any], messages: Sequence[str], prompt: str) -> list[Any]:
    """A page without its main content: the controls, what went wrong, what to do."""
    return [
        controls_bar(controls),
        messages_box(messages, alert=True) if messages else None,
        html.Div(html.P(prompt, className="muted"), className="scoring-body scoring-empty"),
    ]


def messages_box(messages: Sequence[str], alert: bool = False) -> html.Div:
    return html.Div(
        [html.P(m) for m in messages],
        className="message scoring-message",
        role="alert" if alert else "status",
    )


@dataclass(frozen=True)
class Shell:
    """The fixed frame of a page: header, URL, and whatever never changes with the query."""

    current: str
    location_id: str
    content_id: str
    extra: Sequence[Any] = field(default_factory=tuple)


LINK_POLL_MS = 15_000  # how often a page asks whether its data answer (the connection badge)
LINK_POLL_CONFIG = "BANDO_LINK_POLL_MS"  # set by app.create_app from LIVE_POLL_SECONDS


def link_poll_ms() -> int:
    """The poll's period for the request being answered (the app's LIVE_POLL_SECONDS)."""
    if not has_request_context():
        return LINK_POLL_MS
    return int(current_app.config.get(LINK_POLL_CONFIG, LINK_POLL_MS))


def link_poll_id(content_id: str) -> str:
    """The id of a page's data-connection poll (callbacks.common.connection.register_link_check)."""
    return f"{content_id}-link-poll"


def page_shell(shell: Shell) -> html.Div:
    """Header, the page's own dcc.Location, its data-connection poll and the container its
    callback fills."""
    return html.Div(
        [
            dcc.Location(id=shell.location_id, refresh=False),
            dcc.Interval(id=link_poll_id(shell.content_id), interval=link_poll_ms()),
            scoring_header(shell.current),
            *shell.extra,
            html.Div(id=shell.content_id, className="scoring-content"),
        ],
        className="app scoring-page",
    )


def badge(text: str, kind: str) -> html.Span:
    return html.Span(text, className=f"scoring-badge {kind}")


PROVISIONAL = "tạm tính"


def provisional_badge() -> html.Span:
    return badge(PROVISIONAL, "provisional")
