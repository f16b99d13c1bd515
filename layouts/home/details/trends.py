"""The "Xu hướng" tab: monthly trends of the unit in view, its parent and the province, and
its rank among its siblings — pure figure builders from dossier_stats.trends' plain data.

The trend figure has two panels over the same months: on top the on-time rate (%) of the
unit, its parent (a commune's district) and the province as lines (a district's parent is
the province, drawn once); below, the unit's newly received and resolved dossiers as bars.
The rank figure puts rank 1 on top. Texts are Vietnamese, numbers 1.234,5 (separators ",."
for the axes; hover texts built with vi_format).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from dash import dcc, html

from dossier_stats.trends import RankPoint, Series, UnitTrends
from layouts.common.figures import FONT_FAMILY
from layouts.common.trend import CountBars, RateLine, trend_chart
from layouts.home.details.ids import DetailsIds
from vi_format import format_int, format_percent

UNIT_COLOR = "#0b3d6b"
PARENT_COLOR = "#e67e22"
PROVINCE_COLOR = "#7b8794"
RECEIVED_COLOR = "#a3c8e8"
RESOLVED_COLOR = "#2f7fc1"
GRID = "#e3e8ef"
INK = "#1f2933"
MUTED = "#52606d"
RATE_TITLE = "Tỷ lệ giải quyết đúng hạn (%)"
COUNT_TITLE = "Số hồ sơ"
RECEIVED_NAME = "Tiếp nhận mới"
RESOLVED_NAME = "Đã giải quyết"
NO_RANK_TEXT = "Toàn tỉnh không có đơn vị cùng cấp để xếp hạng."
TREND_HEIGHT = 440
RANK_HEIGHT = 240


def trend_end_month(last_month: int, today: date) -> int:
    """The trend's last month (yyyymm): the period's last month, but not past the current
    month (a year in progress ends its trend this month, not in December)."""
    return min(last_month, today.year * 100 + today.month)


def in_sentence(label: str) -> str:
    """A period label inside a sentence: "Quý III/2026" -> "quý III/2026" (only the first letter)."""
    return label[:1].lower() + label[1:]


def month_date(month: int) -> str:
    """202610 -> "2026-10-01" (a date axis spaces the months evenly)."""
    return f"{month // 100:04d}-{month % 100:02d}-01"


def month_label(month: int) -> str:
    """202610 -> "Tháng 10/2026"."""
    return f"Tháng {month % 100}/{month // 100}"


def rate_lines(trends: UnitTrends) -> list[tuple[Series, str, str]]:
    """(series, role, colour) of the on-time rate lines: the unit, its parent unless the
    parent is the province, and the province unless the unit is the province."""
    lines = [(trends.unit, "unit", UNIT_COLOR)]
    if trends.unit.unit.kind == "province":
        return lines
    if trends.parent is not None and trends.parent.unit != trends.province.unit:
        lines.append((trends.parent, "parent", PARENT_COLOR))
    lines.append((trends.province, "province", PROVINCE_COLOR))
    return lines


def _rate_hover(series: Series) -> list[str]:
    return [
        f"{series.unit.name}: {format_percent(p.on_time_rate)}"
        + (
            f" ({format_int(p.resolved)} hồ sơ đã giải quyết)"
            if p.resolved
            else " (chưa giải quyết hồ sơ nào)"
        )
        for p in series.points
    ]


def rate_range(trends: UnitTrends) -> list[float]:
    """The on-time rate axis (%): from a round ten below the lowest rate drawn to just above 100."""
    rates = [p.on_time_rate for s, _, _ in rate_lines(trends) for p in s.points if p.on_time_rate is not None]
    if not rates:
        return [0, 101]
    low = min(rates) * 100
    return [max(0.0, 10 * ((low - 2) // 10)), 101]


def _axis(**extra: Any) -> dict[str, Any]:
    return {
        "gridcolor": GRID,
        "zeroline": False,
        "linecolor": "#c5ced9",
        "tickfont": {"size": 12, "color": MUTED},
        **extra,
    }


def _layout(height: int, **extra: Any) -> dict[str, Any]:
    return {
        "height": height,
        "separators": ",.",
        "font": {"family": FONT_FAMILY, "size": 13, "color": INK},
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
        "hovermode": "x unified",
        "hoverlabel": {"font": {"family": FONT_FAMILY, "size": 13}},
        **extra,
    }


def months_axis_of(months: Sequence[int]) -> dict[str, Any]:
    """A date axis over the months, half a month of margin each side, a tick every 3 months."""
    first = date.fromisoformat(month_date(months[0])) - timedelta(days=16)
    last = date.fromisoformat(month_date(months[-1])) + timedelta(days=16)
    return {
        "type": "date",
        "range": [first.isoformat(), last.isoformat()],
        "dtick": "M3",
        "tickformat": "%m/%Y",
        "hoverformat": "Tháng %-m/%Y",
    }


def trend_series_of(trends: UnitTrends) -> list[RateLine | CountBars]:
    """The rate lines of the unit, its parent and the province, then the unit's bars."""
    lines: list[RateLine | CountBars] = [
        RateLine(
            series.unit.name,
            [None if p.on_time_rate is None else round(p.on_time_rate * 100, 2) for p in series.points],
            colour,
            width=3 if role == "unit" else 2,
            marker_size=5 if role == "unit" else 4,
            role=role,
            dash="dot" if role == "province" else "solid",
            hover=_rate_hover(series),
            legendgroup="rate",
        )
        for series, role, colour in rate_lines(trends)
    ]
    unit_points = trends.unit.points
    bars = [
        CountBars(
            f"{name} — {trends.unit.unit.name}",
            values,
            colour,
            role="received" if name == RECEIVED_NAME else "resolved",
            hover=[f"{name}: {format_int(v)}" for v in values],
            legendgroup="count",
        )
        for name, values, colour in (
            (RECEIVED_NAME, [p.received for p in unit_points], RECEIVED_COLOR),
            (RESOLVED_NAME, [p.resolved for p in unit_points], RESOLVED_COLOR),
        )
    ]
    return lines + bars


def trend_figure(trends: UnitTrends) -> dict[str, Any]:
    """Rates of the unit, parent and province (top) and the unit's received/resolved (bottom)."""
    months_axis = months_axis_of(trends.months)
    layout = _layout(
        TREND_HEIGHT,
        margin={"l": 64, "r": 16, "t": 40, "b": 36},
        legend={"orientation": "h", "x": 0, "y": 1.02, "yanchor": "bottom", "font": {"size": 12}},
        xaxis=_axis(**months_axis, anchor="y", showticklabels=False),
        yaxis=_axis(
            domain=[0.42, 1],
            range=rate_range(trends),
            ticksuffix="%",
            title={"text": RATE_TITLE, "font": {"size": 12, "color": MUTED}},
        ),
        xaxis2=_axis(**months_axis, anchor="y2", matches="x"),
        yaxis2=_axis(
            domain=[0, 0.3],
            rangemode="tozero",
            tickformat=",d",
            title={"text": COUNT_TITLE, "font": {"size": 12, "color": MUTED}},
        ),
    )
    if trends.breaks:
        layout["shapes"] = break_shapes(trends)
    x = [month_date(m) for m in trends.months]
    return trend_chart(x, trend_series_of(trends), stacked=True, layout=layout)


def break_shapes(trends: UnitTrends) -> list[dict[str, Any]]:
    """A dashed vertical line before each month a succession took effect (the break)."""
    return [
        {
            "type": "line",
            "xref": "x",
            "yref": "paper",
            "x0": f"{b.day.isoformat()}",
            "x1": f"{b.day.isoformat()}",
            "y0": 0,
            "y1": 1,
            "line": {"color": MUTED, "width": 1, "dash": "dash"},
        }
        for b in trends.breaks
    ]


def rank_dtick(of: int) -> int:
    """Tick step of the rank axis: every rank up to 10 units, then every 2nd, then every 5th."""
    return 1 if of <= 10 else 2 if of <= 24 else 5


def rank_hover(point: RankPoint) -> str:
    if point.rank is None:
        return f"Không xếp hạng ({point.of} đơn vị có số liệu)" if point.of else "Không xếp hạng"
    return f"Hạng {point.rank}/{point.of} (đúng hạn {format_percent(point.value)})"


def rank_figure(trends: UnitTrends) -> dict[str, Any]:
    """The unit's monthly rank among its siblings, rank 1 on top (months unranked: a gap)."""
    ranks: Sequence[RankPoint] = trends.ranks
    most = max((p.of for p in ranks), default=1) or 1
    return {
        "data": [
            {
                "type": "scatter",
                "mode": "lines+markers",
                "name": trends.unit.unit.name,
                "x": [month_date(p.month) for p in ranks],
                "y": [p.rank for p in ranks],
                "customdata": [rank_hover(p) for p in ranks],
                "hovertemplate": "%{customdata}<extra></extra>",
                "line": {"color": UNIT_COLOR, "width": 2},
                "marker": {"size": 6, "color": UNIT_COLOR},
                "connectgaps": False,
            }
        ],
        "layout": _layout(
            RANK_HEIGHT,
            margin={"l": 64, "r": 16, "t": 12, "b": 36},
            showlegend=False,
            xaxis=_axis(**months_axis_of(trends.months)),
            yaxis=_axis(
                range=[most + 0.5, 0.5],
                tick0=1,
                dtick=rank_dtick(most),
                tickformat="d",
                title={"text": "Hạng", "font": {"size": 12, "color": MUTED}},
            ),
        ),
    }


def siblings_text(trends: UnitTrends) -> str:
    """Who the unit is ranked among, in words."""
    kind = trends.unit.unit.kind
    if kind == "district":
        return "trong các huyện, thị xã, thành phố của tỉnh"
    if kind == "commune" and trends.parent is not None:
        return f"trong các xã, phường thuộc {trends.parent.unit.name}"
    if kind == "department":
        return "trong các sở, ban, ngành"
    return "trong các đơn vị cùng cấp"


def trends_tab(trends: UnitTrends, graph_config: dict[str, Any]) -> list[Any]:
    """The tab's content: caption, trend chart, rank chart (or why there is none)."""
    first, last = trends.months[0], trends.months[-1]
    caption = (
        f"{trends.unit.unit.name} — {len(trends.months)} tháng, từ {in_sentence(month_label(first))} "
        f"đến {in_sentence(month_label(last))}. "
        "Tỷ lệ đúng hạn = (trước hạn + đúng hạn) / đã giải quyết trong tháng."
    )
    rank_block: list[Any]
    if trends.ranks:
        rank_block = [
            html.H4(f"Thứ hạng về tỷ lệ đúng hạn {siblings_text(trends)}", className="details-subtitle"),
            dcc.Graph(id=DetailsIds.RANK_GRAPH, figure=rank_figure(trends), config=graph_config),
        ]
    else:
        rank_block = [html.P(NO_RANK_TEXT, className="muted")]
    breaks = [
        html.P(f"Thay đổi tổ chức (đường nét đứt): {b.text}", className="details-caption trend-break")
        for b in trends.breaks
    ]
    if trends.breaks:
        breaks.append(
            html.P(
                "Trước ngày thay đổi, số liệu gồm cả các cơ quan được hợp nhất vào đơn vị này.",
                className="details-caption trend-break",
            )
        )
    return [
        html.P(caption, className="details-caption"),
        *breaks,
        dcc.Graph(id=DetailsIds.TREND_GRAPH, figure=trend_figure(trends), config=graph_config),
        *rank_block,
    ]
