"""The wall's early-warning scene (cảnh báo): the dossiers due within the next two working
days, province-wide and per former district and department, and the units whose on-time
rate worsened three months in a row. Plain html from wall.warnings.WarningData."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from dash import html

from vi_format import format_date, format_int, format_number
from wall.warnings import DueSoonUnit, WarningData

ROWS = 9  # units per table: readable from the back of the room


def _due_table(title: str, units: Sequence[DueSoonUnit]) -> html.Section:
    if not units:
        body: Any = html.P("Không có hồ sơ nào sắp đến hạn.", className="wall-empty")
    else:
        body = html.Table(
            [
                html.Thead(html.Tr([html.Th("Đơn vị"), html.Th("Số hồ sơ", className="num")])),
                html.Tbody(
                    [
                        html.Tr(
                            [
                                html.Td(u.name, className="name"),
                                html.Td(format_int(u.count), className="num value"),
                            ]
                        )
                        for u in units[:ROWS]
                    ]
                ),
            ],
            className="wall-table warning",
        )
    return html.Section([html.H3(title), body], className="wall-table-block")


def _worsening(data: WarningData) -> html.Section:
    def shown(value: float) -> str:
        return f"{format_number(value)}%" if data.metric_is_rate else format_number(value)

    title = f"{data.metric_label} xấu đi ba tháng liên tiếp (đến {data.worsening_period.label.lower()})"
    if not data.worsening:
        return html.Section(
            [html.H3(title), html.P("Không có đơn vị nào.", className="wall-empty")],
            className="wall-list-block",
        )
    items = [
        html.Li(
            [
                html.Span(w.name, className="wall-name"),
                html.Span(" → ".join(shown(v) for v in w.values), className="wall-value"),
            ]
        )
        for w in data.worsening[:ROWS]
    ]
    return html.Section([html.H3(title), html.Ul(items, className="wall-list")], className="wall-list-block")


def warning_panel(data: WarningData | None) -> list[Any]:
    """The total with its window and as-of day, the two tables, the worsening units."""
    if data is None:
        return [html.P("Chưa đọc được số liệu cảnh báo.", className="wall-empty big")]
    kpi = html.Div(
        [
            html.Div("Hồ sơ sắp đến hạn — toàn tỉnh", className="wall-kpi-label"),
            html.Div(format_int(data.total), className="wall-kpi-value"),
            html.Div(data.window_text, className="wall-kpi-change"),
            html.Div(
                f"Số liệu tính đến ngày {format_date(data.today)}", className="wall-kpi-change wall-as-of"
            ),
        ],
        className="wall-kpi",
    )
    return [
        html.Div([kpi, _worsening(data)], className="wall-warning-side"),
        _due_table("Huyện, thị xã, thành phố (cũ)", data.districts),
        _due_table("Sở, ban, ngành", data.departments),
    ]
