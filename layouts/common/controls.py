"""The controls every page draws the same way: a labelled control and a segmented choice."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from dash import dcc, html


def control(label: str, component: Any, class_name: str = "") -> html.Div:
    """A control with its label above it."""
    return html.Div(
        [html.Label(label, className="control-label"), component], className=f"control {class_name}".strip()
    )


def segmented(component_id: str, options: Sequence[dict[str, Any]], value: Any) -> dcc.RadioItems:
    """A choice of a few values as one row of buttons (Tháng / Quý / Năm, the steps, the groups)."""
    return dcc.RadioItems(
        id=component_id, options=list(options), value=value, inline=True, className="segmented"
    )
