"""Large tables of the PAR-index pages, drawn in the browser from a compact payload.

A scorecard has some 160 lines and the results of the communes 78 rows of 15 cells: as
Dash components that is thousands of nodes, and the renderer's cost grows much faster
than their number (tens of seconds for a scorecard). So the server sends one dcc.Store
with the rows as plain data and assets/scoring.js builds the table in the DOM (text only,
never HTML; links navigate inside the app like dcc.Link; inputs carry `data-field` and
`data-code` so the entry page can read them back).

Payload: {"className", "columns": [{"label", "className", "title", "sub"}], "rows":
[{"className", "code", "cells": [cell]}], "empty"}; a cell is a dict with "text" and
optionally "className", "title", "href", "badges" [{"text", "className", "title"}],
"lines" [{"label", "text", "className"}], "inputs" [{"field", "code", "value",
"placeholder", "kind" (input | textarea), "className", "maxLength", "label"}], "errors".
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from dash import dcc, html

Cell = dict[str, Any]


def cell(
    text: str = "",
    *,
    class_name: str | None = None,
    title: str | None = None,
    href: str | None = None,
    badges: Sequence[dict[str, str]] = (),
    lines: Sequence[dict[str, str]] = (),
    inputs: Sequence[dict[str, Any]] = (),
    errors: Sequence[str] = (),
) -> Cell:
    out: Cell = {"text": text}
    optional = {
        "className": class_name,
        "title": title,
        "href": href,
        "badges": list(badges),
        "lines": list(lines),
        "inputs": list(inputs),
        "errors": list(errors),
    }
    out.update({k: v for k, v in optional.items() if v})
    return out


def badge_spec(text: str, kind: str, title: str | None = None) -> dict[str, str]:
    spec = {"text": text, "className": f"scoring-badge {kind}"}
    if title:
        spec["title"] = title
    return spec


def line_spec(label: str | None, text: str, class_name: str = "tree-detail") -> dict[str, str]:
    spec = {"text": text, "className": class_name}
    if label:
        spec["label"] = f"{label}: "
    return spec


def column(
    label: str, class_name: str = "", title: str | None = None, sub: str | None = None
) -> dict[str, str]:
    spec = {"label": label, "className": class_name}
    if title:
        spec["title"] = title
    if sub:
        spec["sub"] = sub
    return spec


def row(cells: Sequence[Cell], class_name: str = "", code: str | None = None) -> dict[str, Any]:
    spec: dict[str, Any] = {"cells": list(cells), "className": class_name}
    if code is not None:
        spec["code"] = code
    return spec


def table_payload(
    columns: Sequence[dict[str, str]], rows: Sequence[dict[str, Any]], class_name: str, empty: str
) -> dict[str, Any]:
    return {"className": class_name, "columns": list(columns), "rows": list(rows), "empty": empty}


def cell_text(c: Cell) -> str:
    """Everything a cell shows as text (tests read tables through this)."""
    parts = [c.get("text", "")]
    parts += [b["text"] for b in c.get("badges", [])]
    parts += [f"{x.get('label', '')}{x['text']}" for x in c.get("lines", [])]
    parts += list(c.get("errors", []))
    return " ".join(p for p in parts if p)


def js_table(container_id: str, data_id: str, payload: dict[str, Any] | None) -> list[Any]:
    """Where the browser draws the table, and its data."""
    return [
        dcc.Store(id=data_id, data=payload),
        html.Div(id=container_id, className="scoring-scroll scoring-js-table"),
    ]
