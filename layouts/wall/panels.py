"""The text parts of the wall's scenes: the map's side panel (province figure, 5 best and
5 worst), ranking tables with the change in rank, the attention table and the trend's
summary line. Plain html components; every size comes from assets/wall.css (vh units)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from dash import html

from vi_format import MISSING, format_int, format_percent
from wall.scores import ScoreColumn
from wall.summary import AttentionRow, RankedUnit, attention_cells, change_text


def _change_span(row: RankedUnit) -> html.Span:
    return html.Span(change_text(row.change, row.change_kind), className=f"wall-change {row.change_kind}")


def unit_list(title: str, rows: Sequence[RankedUnit], empty: str = "Không có đơn vị nào.") -> html.Section:
    """A short list (rank, name, value) under a heading."""
    items = [
        html.Li(
            [
                html.Span(str(r.rank), className="wall-rank"),
                html.Span(r.name, className="wall-name"),
                html.Span(r.value_text, className="wall-value"),
            ]
        )
        for r in rows
    ]
    return html.Section(
        [
            html.H3(title),
            html.Ol(items, className="wall-list") if items else html.P(empty, className="wall-empty"),
        ],
        className="wall-list-block",
    )


def map_side(
    *,
    scope_label: str,
    value_text: str,
    change: str,
    previous_label: str,
    best: Sequence[RankedUnit],
    worst: Sequence[RankedUnit],
) -> list[Any]:
    """Beside a map: the province's value with its change, then the 5 best and 5 worst."""
    return [
        html.Div(
            [
                html.Div(scope_label, className="wall-kpi-label"),
                html.Div(value_text, className="wall-kpi-value"),
                html.Div(f"{change} so với {previous_label}" if change else "", className="wall-kpi-change"),
            ],
            className="wall-kpi",
        ),
        unit_list("Dẫn đầu", best),
        unit_list("Cuối bảng", worst),
    ]


def coverage_note(text: str) -> html.P:
    """Which units of the city have data (the others are drawn "chưa có dữ liệu")."""
    return html.P(text, className="wall-note wall-coverage")


def ranking_table(
    title: str,
    rows: Sequence[RankedUnit],
    value_header: str,
    extra: Sequence[ScoreColumn] = (),
    *,
    show_overdue: bool = True,
    class_name: str = "",
) -> html.Section:
    """Rank, change (▲ ▼), name, value, extra score columns, overdue dossiers."""
    head = [
        html.Th("Hạng", className="num"),
        html.Th("±", className="chg"),
        html.Th("Đơn vị"),
        html.Th(value_header, className="num"),
        *[html.Th(c.header, className="num") for c in extra],
    ]
    if show_overdue:
        head.append(html.Th("Quá hạn", className="num"))
    body = []
    for r in rows:
        cells = [
            html.Td(MISSING if r.rank is None else str(r.rank), className="num rank"),
            html.Td(_change_span(r), className="chg"),
            html.Td(r.name, className="name"),
            html.Td(r.value_text, className="num value"),
            *[html.Td(c.values.get(r.code, MISSING), className="num") for c in extra],
        ]
        if show_overdue:
            cells.append(html.Td(format_int(r.overdue), className="num"))
        body.append(html.Tr(cells, className="no-data" if r.rank is None else None))
    notes = [html.P(c.note, className="wall-note") for c in extra if getattr(c, "note", "")]
    return html.Section(
        [
            *([html.H3(title)] if title else []),
            html.Table([html.Thead(html.Tr(head)), html.Tbody(body)], className="wall-table"),
            *notes,
        ],
        className=f"wall-table-block {class_name}".strip(),
    )


def columns_of(rows: Sequence[RankedUnit], count: int) -> list[list[RankedUnit]]:
    """Rows split into `count` columns of (nearly) equal length, in order."""
    size = -(-len(rows) // count) if rows else 0
    return [list(rows[i * size : (i + 1) * size]) for i in range(count)] if size else [[]]


def attention_table(
    rows: Sequence[AttentionRow], previous_label: str, period_label: str, min_resolved: int
) -> list[Any]:
    """Units whose on-time rate fell most, with their overdue dossiers; a plain line when none fell."""
    note = html.P(
        f"Tỷ lệ giải quyết đúng hạn giảm nhiều nhất từ {previous_label} đến {period_label} "
        f"(đơn vị giải quyết từ {format_int(min_resolved)} hồ sơ mỗi kỳ).",
        className="wall-note",
    )
    if not rows:
        return [
            note,
            html.P("Không có đơn vị nào giảm tỷ lệ đúng hạn so với kỳ trước.", className="wall-empty big"),
        ]
    head = ["Đơn vị", "Nhóm", previous_label, period_label, "Giảm (điểm %)", "Đang quá hạn"]
    body = [
        html.Tr(
            [
                html.Td(cells[0], className="name"),
                html.Td(cells[1], className="group"),
                html.Td(cells[2], className="num"),
                html.Td(cells[3], className="num value"),
                html.Td(cells[4], className="num drop"),
                html.Td(
                    cells[5], className="num overdue" + (" hot" if row.overdue > row.overdue_before else "")
                ),
            ]
        )
        for row in rows
        for cells in [attention_cells(row)]
    ]
    table = html.Table(
        [
            html.Thead(html.Tr([html.Th(h, className="" if i < 2 else "num") for i, h in enumerate(head)])),
            html.Tbody(body),
        ],
        className="wall-table attention",
    )
    return [note, table]


def trend_summary(
    period_label: str, received: int, resolved: int, on_time: float | None, overdue: int
) -> list[Any]:
    """One line of the period's figures above the trend chart."""

    def item(label: str, value: str) -> html.Div:
        return html.Div(
            [html.Span(label, className="wall-stat-label"), html.Span(value, className="wall-stat-value")],
            className="wall-stat",
        )

    return [
        html.Div(period_label, className="wall-stat-period"),
        item("Tiếp nhận mới", format_int(received)),
        item("Đã giải quyết", format_int(resolved)),
        item("Đúng hạn", format_percent(on_time)),
        item("Đang quá hạn", format_int(overdue)),
    ]
