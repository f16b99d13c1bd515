"""The one trend chart of the home page's "Xu hướng" tab and the wall's trend scene: dossiers
received and resolved per month as bars, on-time rates (%) as lines, over the same months.

Two arrangements of the same traces: `stacked` (the home page) puts the rate lines in a
panel above the bars' panel (bars on x2/y2); otherwise (the wall) one panel holds both,
the bars on the left axis and the rates on a right axis (y2) whose range lifts the line
above the bars. The page gives the months, the series in the order the legend lists them,
and its own layout (size, colours, axes); what a trace is made of is decided here once.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

HOVER = "%{customdata}<extra></extra>"


@dataclass(frozen=True)
class RateLine:
    """On-time rates in percent, one per month (None: nothing resolved that month)."""

    name: str
    values: Sequence[float | None]
    colour: str
    width: float
    marker_size: float
    role: str | None = None  # `meta` of the trace (unit, parent, province)
    dash: str = "solid"  # "dot" for a reference line
    hover: Sequence[str] | None = None  # None: no hover label
    labels: Sequence[str | None] | None = None  # the value written above each point
    label_size: int = 0
    legendgroup: str | None = None


@dataclass(frozen=True)
class CountBars:
    """Dossiers per month."""

    name: str
    values: Sequence[int]
    colour: str
    role: str | None = None  # `meta` of the trace (received, resolved)
    hover: Sequence[str] | None = None  # None: no hover label
    legendgroup: str | None = None


def _optional(**items: Any) -> dict[str, Any]:
    return {k: v for k, v in items.items() if v is not None}


def _hover(hover: Sequence[str] | None) -> dict[str, Any]:
    if hover is None:
        return {"hoverinfo": "skip"}
    return {"customdata": list(hover), "hovertemplate": HOVER}


def rate_trace(line: RateLine, x: Sequence[str], stacked: bool) -> dict[str, Any]:
    trace: dict[str, Any] = {
        "type": "scatter",
        "mode": "lines+markers" if line.labels is None else "lines+markers+text",
        "name": line.name,
        **_optional(meta=line.role),
        "x": list(x),
        "y": list(line.values),
        **({} if stacked else {"yaxis": "y2"}),
        **_hover(line.hover),
        "line": {"color": line.colour, "width": line.width, "dash": line.dash},
        "marker": {"size": line.marker_size, "color": line.colour},
        "connectgaps": False,
        **_optional(legendgroup=line.legendgroup),
    }
    if line.labels is not None:
        trace.update(
            text=list(line.labels),
            textposition="top center",
            textfont={"size": line.label_size, "color": line.colour},
            cliponaxis=False,
        )
    return trace


def bars_trace(bars: CountBars, x: Sequence[str], stacked: bool) -> dict[str, Any]:
    return {
        "type": "bar",
        "name": bars.name,
        **_optional(meta=bars.role),
        "x": list(x),
        "y": list(bars.values),
        **_hover(bars.hover),
        "marker": {"color": bars.colour},
        **({"xaxis": "x2", "yaxis": "y2"} if stacked else {}),
        **_optional(legendgroup=bars.legendgroup),
    }


def trend_chart(
    x: Sequence[str],
    series: Sequence[RateLine | CountBars],
    *,
    stacked: bool,
    layout: Mapping[str, Any],
) -> dict[str, Any]:
    """The figure: a trace per series (in the order given), grouped bars, Vietnamese numbers."""
    data = [
        rate_trace(s, x, stacked) if isinstance(s, RateLine) else bars_trace(s, x, stacked) for s in series
    ]
    return {"data": data, "layout": {"separators": ",.", "barmode": "group", "bargap": 0.25, **layout}}
