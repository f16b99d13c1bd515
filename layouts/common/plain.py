"""The frame of the pages drawn whole on the server (audit trail, officials' statistics):
the top bar, a filter form that reloads the page with its query (plain GET, no callback),
messages, and a table of text cells. Pure: every value comes in as text."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from dash import html

from layouts.common.frame import brand


def plain_page(subtitle: str, body: Sequence[Any], page_class: str) -> html.Div:
    return html.Div(
        [html.Header(brand(subtitle), className="topbar"), html.Main(list(body), className="plain-page")],
        className=f"app {page_class}",
    )


def message_block(texts: Sequence[str], class_name: str, alert: bool) -> html.Div | None:
    """One paragraph per text, read out by screen readers at once (`alert`) or politely;
    None without texts."""
    if not texts:
        return None
    return html.Div([html.P(t) for t in texts], className=class_name, role="alert" if alert else "status")


def messages(texts: Sequence[str], alert: bool = False) -> html.Div | None:
    return message_block(texts, "plain-message" + (" alert" if alert else ""), alert)


def field(label: str, control: Any) -> html.Label:
    return html.Label([html.Span(label, className="plain-label"), control], className="plain-field")


def filter_form(action: str, fields: Sequence[Any], button: str = "Xem") -> html.Form:
    """A GET form: submitting it opens `action` with the fields as the query."""
    return html.Form(
        [*fields, html.Button(button, type="submit", className="plain-button")],
        method="get",
        action=action,
        className="plain-filters",
    )


def text_table(
    headers: Sequence[str], rows: Sequence[Sequence[str]], numeric: Sequence[int] = (), class_name: str = ""
) -> html.Table:
    """A table of texts (escaped by React); columns in `numeric` right-aligned."""
    wanted = set(numeric)

    def cell(i: int, text: str, tag: Any) -> Any:
        return tag(text, className="num" if i in wanted else None)

    return html.Table(
        [
            html.Thead(html.Tr([cell(i, h, html.Th) for i, h in enumerate(headers)])),
            html.Tbody([html.Tr([cell(i, c, html.Td) for i, c in enumerate(r)]) for r in rows]),
        ],
        className=f"plain-table {class_name}".strip(),
    )
