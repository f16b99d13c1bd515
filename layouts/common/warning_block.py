"""The early-warning block of a side panel (cảnh báo, issue 14 item 5): how many open
dossiers of the unit in view fall due within the next working days, linked to their list."""

from __future__ import annotations

from typing import Any

from dash import dcc, html

from layouts.common.dossier_links import due_soon_href
from vi_format import format_int

BLOCK_TITLE = "Cảnh báo: sắp đến hạn"


def warning_block(unit: str | None, count: int | None, window_text: str, days: int = 2) -> list[Any]:
    """ "12 hồ sơ đến hạn trong 2 ngày làm việc tới" with the window (from … to …) and the link
    to the list; nothing when the count could not be read (`None`)."""
    if count is None:
        return []
    figure = dcc.Link(
        format_int(count), href=due_soon_href(unit, days), className="drill-link", title="Xem danh sách hồ sơ"
    )
    return [
        html.Section(
            [
                html.H4(BLOCK_TITLE, className="block-title"),
                html.P(
                    [
                        html.Strong(figure, className="warning-count"),
                        f" hồ sơ đến hạn trong {days} ngày làm việc tới",
                    ]
                ),
                html.P(window_text, className="muted warning-window"),
            ],
            className="score-block warning-block",
        )
    ]
