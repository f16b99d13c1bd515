"""The home page: header, controls, message, breadcrumb, the map and the side panels, the
detail tabs under them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from dash import dcc, html

from dossier_stats.benchmark import METHOD_NOTE
from layouts.common.controls import control, segmented
from layouts.common.frame import brand
from layouts.common.plotly_locale import graph_config
from layouts.common.rankings import ranking_table
from layouts.home.colour_modes import COLOUR_MODES, DEFAULT_COLOUR
from layouts.home.details.section import details_section, details_skeleton
from layouts.home.ids import Ids

APP_SUBTITLE = (
    "Tình hình giải quyết hồ sơ thủ tục hành chính — Thành phố Đà Nẵng (gồm tỉnh Quảng Nam trước 01/7/2025)"
)
PERIOD_KIND_OPTIONS = [
    {"label": "Tháng", "value": "month"},
    {"label": "Quý", "value": "quarter"},
    {"label": "Năm", "value": "year"},
]
MAP_HINT = (
    "Bản đồ có cấp huyện: nhấn vào một huyện để xem các xã; nhấn vào một xã, phường để xem số liệu"
    " của xã (và phiếu điểm chỉ số CCHC của xã). Dấu × : đơn vị chưa có dữ liệu."
)
BOUNDARIES_NOTE = (
    "Bản đồ theo phiên bản đơn vị hành chính có hiệu lực vào ngày cuối kỳ: Tỉnh Quảng Nam (huyện "
    "trước 01/7/2025) hoặc Thành phố Đà Nẵng (xã, phường, đặc khu từ 01/7/2025); số liệu của xã cũ "
    "được tính vào xã mới theo bảng chuyển đổi."
)


def _header(data_time: str) -> html.Header:
    return html.Header(
        [brand(APP_SUBTITLE), html.Div(data_time, id=Ids.DATA_TIME, className="data-time")],
        id=Ids.HEADER,
        className="topbar",
    )


def _controls(
    metric_options: Sequence[dict[str, str]],
    metric: str,
    period_kind_options: Sequence[dict[str, Any]],
    period_kind: str,
    period_options: Sequence[dict[str, str]],
    period: str,
    edition_options: Sequence[dict[str, str]] = (),
    edition: str | None = None,
    compare_options: Sequence[dict[str, str]] = (),
    colour: str = DEFAULT_COLOUR,
    compare: str | None = None,
) -> html.Div:
    """Chỉ tiêu, Loại kỳ (Tháng / Quý / Năm), Kỳ báo cáo, Bản đồ (the edition), and the
    reading controls: Tô màu, So sánh với kỳ, Tìm đơn vị."""
    metric_select = dcc.Dropdown(
        id=Ids.METRIC,
        options=list(metric_options),
        value=metric,
        clearable=False,
        searchable=False,
        maxHeight=440,  # three families of metrics
    )
    kind_select = segmented(Ids.PERIOD_KIND, period_kind_options, period_kind)
    period_select = dcc.Dropdown(id=Ids.PERIOD, options=list(period_options), value=period, clearable=False)
    edition_select = dcc.Dropdown(
        id=Ids.EDITION, options=list(edition_options), value=edition, clearable=False, searchable=False
    )
    edition_control = control("Bản đồ", edition_select, "edition")
    if not edition_options:
        edition_control.style = {"display": "none"}
    return html.Div(
        [
            control("Chỉ tiêu", metric_select, "metric"),
            control("Loại kỳ", kind_select, "kind"),
            control("Kỳ báo cáo", period_select, "period"),
            edition_control,
            *_reading_controls(compare_options, colour, compare),
        ],
        className="controls",
    )


def _reading_controls(
    compare_options: Sequence[dict[str, str]], colour: str = DEFAULT_COLOUR, compare: str | None = None
) -> list[html.Div]:
    """Tô màu (colour mode), So sánh với kỳ (the second period), Tìm đơn vị (by name)."""
    modes = [{"label": text, "value": key} for key, text in COLOUR_MODES.items()]
    compare_select = dcc.Dropdown(
        id=Ids.COMPARE,
        options=list(compare_options),
        value=compare,
        placeholder="Không so sánh",
        clearable=True,
    )
    search = dcc.Input(
        id=Ids.UNIT_SEARCH,
        type="search",
        debounce=True,  # searched on Enter (or leaving the box), not at every key
        placeholder="Tên huyện, xã… rồi Enter",
        autoComplete="off",
        className="unit-search",
    )
    return [
        control("Tô màu", segmented(Ids.COLOUR, modes, colour), "colour"),
        control("So sánh với kỳ", compare_select, "compare"),
        control("Tìm đơn vị", search, "search"),
    ]


def _map_card(
    figure: dict[str, Any], topojson_url: str, legend: str = "", crumbs: Sequence[Any] = ()
) -> html.Section:
    return html.Section(
        [
            html.Nav(list(crumbs), id=Ids.BREADCRUMB, className="breadcrumb", **{"aria-label": "Cấp đơn vị"}),
            dcc.Graph(
                id=Ids.MAP,
                figure=figure,
                config=graph_config(topojson_url),
                className="map-graph",
                style={"height": "680px"},
            ),
            html.P(legend, id=Ids.MAP_LEGEND, className="map-legend"),
            html.Div(
                [
                    download_button(Ids.MAP_CSV, "Tải số liệu của bản đồ (CSV)"),
                    html.Span(id=Ids.DOWNLOAD_MESSAGE, className="note", role="status"),
                    dcc.Download(id=Ids.DOWNLOAD),
                ],
                className="download-row",
            ),
            html.P(MAP_HINT, className="hint"),
            html.Details(
                [html.Summary("Cách so sánh và tô màu"), html.P(METHOD_NOTE)], className="method-note"
            ),
        ],
        id=Ids.MAP_CARD,
        className="card map-card",
    )


def download_button(button_id: str, label: str) -> html.Button:
    """ "Tải số liệu": the CSV of exactly what is shown next to it (callbacks/home/downloads.py)."""
    return html.Button(
        "Tải số liệu", id=button_id, className="download-button", title=label, **{"aria-label": label}
    )


def _ranking_card(title: Any, caption_id: str, table_id: str, data_id: str, csv_id: str) -> html.Section:
    return html.Section(
        [
            title,
            html.P(id=caption_id, className="card-caption"),
            download_button(csv_id, "Tải số liệu của bảng xếp hạng (CSV)"),
            *ranking_table(table_id, data_id),
        ],
        className="card",
    )


def _side() -> html.Aside:
    """The unit's panel, the unmapped-communes note and the two rankings (filled by callbacks)."""
    return html.Aside(
        [
            html.Section(id=Ids.UNIT_PANEL, className="card unit-panel"),
            html.Div(id=Ids.UNMAPPED_NOTE, className="note"),
            _ranking_card(
                html.H3(id=Ids.UNIT_RANKING_TITLE, className="card-title"),
                Ids.RANKING_CAPTION,
                Ids.UNIT_RANKING,
                Ids.UNIT_RANKING_DATA,
                Ids.UNIT_RANKING_CSV,
            ),
            _ranking_card(
                html.H3("Xếp hạng sở, ban, ngành", className="card-title"),
                Ids.DEPARTMENT_RANKING_CAPTION,
                Ids.DEPARTMENT_RANKING,
                Ids.DEPARTMENT_RANKING_DATA,
                Ids.DEPARTMENT_RANKING_CSV,
            ),
        ],
        className="side",
    )


def _footer(rules_note: str) -> html.Footer:
    return html.Footer(
        [html.P(["Cách tính: ", rules_note] if rules_note else []), html.P(BOUNDARIES_NOTE)],
        className="footer",
    )


def home_layout(
    *,
    figure: dict[str, Any],
    topojson_url: str,
    metric_options: Sequence[dict[str, str]],
    metric: str,
    period_kind: str,
    period_options: Sequence[dict[str, str]],
    period: str,
    data_time: str,
    rules_note: str = "",
    period_kind_options: Sequence[dict[str, Any]] = PERIOD_KIND_OPTIONS,
    live_state: dict[str, Any] | None = None,
    poll_ms: int = 15_000,
    edition_options: Sequence[dict[str, str]] = (),
    edition: str | None = None,
    legend: str = "",
    colour: str = DEFAULT_COLOUR,
    compare_options: Sequence[dict[str, str]] | None = None,
    compare: str | None = None,
    view_data: dict[str, Any] | None = None,
    search: str | None = None,
    crumbs: Sequence[Any] = (),
    messages: Sequence[Any] = (),
) -> html.Div:
    """The whole page, drawn with one view: the figure already holds both geometry layers
    (sent once) and the view's values, the controls and breadcrumb show it, `view_data` is
    the VIEW store it starts from and `search` the URL's query string it was read from (so
    the URL component reports no change when it mounts). Every later change comes from
    callbacks as patches and panel contents. `live_state` is the data version the page was
    built from; the LIVE_POLL interval asks every `poll_ms` whether it changed."""
    if compare_options is None:
        compare_options = [o for o in period_options if o["value"] != period]
    return html.Div(
        [
            dcc.Location(id=Ids.URL, refresh=False, search=search),
            dcc.Store(id=Ids.VIEW, data=view_data),
            dcc.Store(id=Ids.VIEW_DRAWN),
            dcc.Store(id=Ids.MAP_CLICK),
            dcc.Store(id=Ids.LIVE_STATE, data=live_state),
            dcc.Interval(id=Ids.LIVE_POLL, interval=poll_ms),
            _header(data_time),
            _controls(
                metric_options,
                metric,
                period_kind_options,
                period_kind,
                period_options,
                period,
                edition_options,
                edition,
                compare_options,
                colour,
                compare,
            ),
            html.Div(list(messages), id=Ids.MESSAGE, className="message", role="status"),
            html.Main([_map_card(figure, topojson_url, legend, crumbs), _side()], className="content"),
            details_section(),
            _footer(rules_note),
        ],
        className="app",
        # the view is in the URL: after an outage during which a control changed without its
        # map, assets/connection.js reopens the URL's view (nothing typed to lose here)
        **{"data-resync": "reload"},
    )


def home_skeleton(topojson_url: str) -> html.Div:
    """Every component of the page and of its detail tabs, without data (for Dash's
    callback validation)."""
    page = home_layout(
        figure={"data": [], "layout": {}},
        topojson_url=topojson_url,
        metric_options=[],
        metric="",
        period_kind="month",
        period_options=[],
        period="",
        data_time="",
    )
    return html.Div([page, details_skeleton()])


RETRY_SECONDS = 30  # the page reloads itself after this (assets/connection.js)


def unavailable_layout(problem: str) -> html.Div:
    """The page when the data cannot be read (database not set up, unreachable, …): why, in
    words for the people who read the map (the command that fixes it is in the operators'
    log), and it tries again by itself."""
    return html.Div(
        [
            html.Header(brand(APP_SUBTITLE), className="topbar"),
            html.Div(
                [
                    html.P(html.Strong("Chưa hiển thị được bản đồ: không đọc được dữ liệu.")),
                    html.P(problem),
                    html.P(f"Trang tự thử lại sau {RETRY_SECONDS} giây."),
                ],
                id=Ids.MESSAGE,
                className="message",
                role="alert",
                **{"data-retry-seconds": str(RETRY_SECONDS)},
            ),
        ],
        className="app",
    )
