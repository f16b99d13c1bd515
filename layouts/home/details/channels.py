"""The "Kênh tiếp nhận" tab: dossiers newly received in the period by the unit's agencies,
by channel (trực tiếp / trực tuyến / bưu chính công ích) and by the desk that received
them (provincial service centre for departments, district and commune one-stop desks) —
a stacked bar per desk and a small table, from dossier_stats.channels' plain data.

Desks that received nothing in the period are left out (a commune has no district desk);
the table's last row is the unit's total.
"""

from __future__ import annotations

from typing import Any

from dash import dcc, html

from dossier_stats.channels import DESKS, ChannelCounts, ChannelReport
from layouts.common.figures import FONT_FAMILY
from layouts.home.details.ids import DetailsIds
from layouts.home.details.trends import GRID, INK, MUTED, in_sentence
from vi_format import format_int, format_percent

DESK_TITLES = {
    "department": "Trung tâm Phục vụ HCC tỉnh — sở, ngành",
    "district": "Bộ phận Một cửa cấp huyện",
    "commune": "Bộ phận Một cửa cấp xã",
}
# (field of ChannelCounts, label, colour)
CHANNELS: tuple[tuple[str, str, str], ...] = (
    ("direct", "Trực tiếp", "#7b8794"),
    ("online", "Trực tuyến", "#14588f"),
    ("postal", "Bưu chính công ích", "#e67e22"),
)
TOTAL_LABEL = "Tổng"
EMPTY_TEXT = "Không có hồ sơ tiếp nhận mới trong kỳ."


def desk_title(kind: str) -> str:
    return DESK_TITLES.get(kind, kind)


def desk_rows(report: ChannelReport) -> list[tuple[str, ChannelCounts]]:
    """(desk kind, counts) of the desks that received dossiers, in the order of DESKS (other
    agency kinds after them)."""
    order = [kind for kind, _ in DESKS] + sorted(k for k in report.by_desk if k not in dict(DESKS))
    return [(kind, report.desk(kind)) for kind in order if report.desk(kind).total]


def channel_figure(report: ChannelReport) -> dict[str, Any]:
    """One horizontal bar per desk, stacked by channel (first desk on top)."""
    rows = desk_rows(report)
    labels = [desk_title(kind) for kind, _ in rows]
    data = []
    for field, label, colour in CHANNELS:
        values = [getattr(counts, field) for _, counts in rows]
        data.append(
            {
                "type": "bar",
                "orientation": "h",
                "name": label,
                "y": labels,
                "x": values,
                "customdata": [
                    f"{label}: {format_int(v)} ({format_percent(c.share(field))})"
                    for v, (_, c) in zip(values, rows, strict=True)
                ],
                "hovertemplate": "%{customdata}<extra></extra>",
                "marker": {"color": colour},
            }
        )
    return {
        "data": data,
        "layout": {
            "barmode": "stack",
            "height": 110 + 56 * max(len(rows), 1),
            "separators": ",.",
            "font": {"family": FONT_FAMILY, "size": 13, "color": INK},
            "paper_bgcolor": "#ffffff",
            "plot_bgcolor": "#ffffff",
            "margin": {"l": 8, "r": 16, "t": 36, "b": 40},
            "legend": {"orientation": "h", "x": 0, "y": 1.02, "yanchor": "bottom", "traceorder": "normal"},
            "hovermode": "y unified",
            "xaxis": {
                "gridcolor": GRID,
                "zeroline": False,
                "tickformat": ",d",
                "rangemode": "tozero",
                "title": {"text": "Số hồ sơ tiếp nhận mới", "font": {"size": 12, "color": MUTED}},
            },
            "yaxis": {
                "autorange": "reversed",
                "automargin": True,
                "tickfont": {"size": 13},
                "ticksuffix": "  ",
            },
        },
    }


def _row(label: str, counts: ChannelCounts, strong: bool = False) -> html.Tr:
    cells = [html.Td(label)]
    cells += [html.Td(format_int(getattr(counts, field)), className="num") for field, _, _ in CHANNELS]
    cells += [
        html.Td(format_int(counts.total), className="num"),
        html.Td(format_percent(counts.share("online")), className="num"),
    ]
    return html.Tr(cells, className="strong" if strong else None)


def channel_table(report: ChannelReport) -> html.Table:
    head = html.Thead(
        html.Tr(
            [
                html.Th("Nơi tiếp nhận"),
                *(html.Th(label, className="num") for _, label, _ in CHANNELS),
                html.Th(TOTAL_LABEL, className="num"),
                html.Th("Tỷ lệ trực tuyến", className="num"),
            ]
        )
    )
    rows = [_row(desk_title(kind), counts) for kind, counts in desk_rows(report)]
    rows.append(_row(TOTAL_LABEL, report.total, strong=True))
    return html.Table([head, html.Tbody(rows)], className="details-table channel-table")


def channels_tab(report: ChannelReport, graph_config: dict[str, Any]) -> list[Any]:
    caption = (
        f"{report.unit.name} — hồ sơ tiếp nhận mới trong {in_sentence(report.period.label)}: "
        f"{format_int(report.total.total)}."
    )
    if not report.total.total:
        return [html.P(caption, className="details-caption"), html.P(EMPTY_TEXT, className="muted")]
    return [
        html.P(caption, className="details-caption"),
        html.Div(
            [
                dcc.Graph(id=DetailsIds.CHANNEL_GRAPH, figure=channel_figure(report), config=graph_config),
                html.Div(channel_table(report), className="details-table-scroll"),
            ],
            className="details-pair",
        ),
        html.P(
            "Hồ sơ của sở, ban, ngành được tiếp nhận tại Trung tâm Phục vụ hành chính công tỉnh; "
            "hồ sơ của UBND cấp huyện, cấp xã tại Bộ phận Một cửa của cấp đó.",
            className="hint",
        ),
    ]
