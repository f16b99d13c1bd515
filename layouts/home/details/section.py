"""The detail tabs under the map — "Xu hướng", "Hồ sơ quá hạn", "Kênh tiếp nhận", "Báo cáo" —
for the unit and period of the home page's view.

Lazy: the section holds only the tab bar and an empty content area; a callback fills the
area with the active tab only (callbacks/home/details.py), so switching tabs or changing
the unit computes and sends that one tab. Each tab's content comes from its own module
(trends, overdue, channels, report); a download component
sits beside its buttons, so Dash inserts both at once and calls nothing until a click.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from dash import dcc, html

from dossier_stats.bieu06.report import Bieu06Report
from dossier_stats.bieu06.unit import ReportUnit
from dossier_stats.overdue import OverduePage
from dossier_stats.periods import Period
from layouts.common.plotly_locale import VI_DICTIONARY, vietnamese
from layouts.home.details.ids import DetailsIds
from layouts.home.details.overdue import OverdueState, overdue_tab
from layouts.home.details.report import report_tab
from layouts.home.ids import Ids

TabKey = Literal["trends", "overdue", "channels", "report"]
TABS: tuple[tuple[TabKey, str], ...] = (
    ("trends", "Xu hướng"),
    ("overdue", "Hồ sơ quá hạn"),
    ("channels", "Kênh tiếp nhận"),
    ("report", "Báo cáo"),
)
TAB_KEYS: tuple[TabKey, ...] = tuple(key for key, _ in TABS)
DEFAULT_TAB: TabKey = "trends"
SECTION_TITLE = "Phân tích chi tiết"


def chart_config() -> dict[str, Any]:
    """dcc.Graph config of the charts: Vietnamese locale, only the PNG button, no zoom by scroll."""
    dictionary = {**VI_DICTIONARY, "Download plot as a PNG": "Tải ảnh biểu đồ (PNG)"}
    return {
        **vietnamese(dictionary),
        "displaylogo": False,
        "showSendToCloud": False,
        "showEditInChartStudio": False,
        "scrollZoom": False,
        "responsive": True,
        "modeBarButtons": [["toImage"]],
        "toImageButtonOptions": {"format": "png", "filename": "bieu-do", "scale": 2},
    }


def details_section() -> html.Section:
    """The section placed under the map and panels: title, tab bar, lazy content."""
    return html.Section(
        [
            html.H2(SECTION_TITLE, className="card-title details-title"),
            dcc.Tabs(
                id=Ids.DETAILS_TABS,
                value=DEFAULT_TAB,
                children=[dcc.Tab(label=label, value=key) for key, label in TABS],
                className="details-tabs",
            ),
            dcc.Loading(
                html.Div(id=Ids.DETAILS_CONTENT, className="details-content"),
                type="circle",
                delay_show=300,
                target_components={Ids.DETAILS_CONTENT: "children"},
                color="#14588f",
            ),
        ],
        id=Ids.DETAILS,
        className="card details",
    )


def tab_key(value: Any) -> TabKey:
    """The tab a Tabs value names (the default tab for anything else)."""
    return value if value in TAB_KEYS else DEFAULT_TAB


def unavailable(problem: str) -> list[Any]:
    """What a tab shows when its data cannot be read."""
    return [html.P(["Không hiển thị được số liệu: ", problem], className="details-error", role="alert")]


def details_skeleton() -> html.Div:
    """The tabs' components with fixed ids, without data (for Dash's callback validation;
    the section itself is part of the home page's skeleton)."""
    period = Period("month", 2000, 1)
    empty_page = OverduePage(period.end, 0, [], "days_overdue", True, 1, 0)
    empty_report = Bieu06Report(date(2000, 1, 1), date(2000, 1, 31), ReportUnit(None, "", "province"), [])
    return html.Div(
        [
            dcc.Graph(id=DetailsIds.TREND_GRAPH),
            dcc.Graph(id=DetailsIds.RANK_GRAPH),
            dcc.Graph(id=DetailsIds.CHANNEL_GRAPH),
            *overdue_tab(empty_page, OverdueState(), ""),
            *report_tab(empty_report, period),
        ]
    )
