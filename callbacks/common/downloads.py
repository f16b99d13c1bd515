"""The one shape of a download callback: clicks on the page's download buttons in, the
file for its dcc.Download and the message shown beside the buttons out."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from dash import Dash, Input, Output, State


def on_download(
    app: Dash, file_id: str, message_id: str, buttons: Sequence[str], *states: State
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Declares the callback: it receives each button's n_clicks then `states`, and returns
    (dcc.send_bytes(...) or no_update, the message: "" when the file went out)."""
    return app.callback(
        Output(file_id, "data"),
        Output(message_id, "children"),
        *(Input(button, "n_clicks") for button in buttons),
        *states,
        prevent_initial_call=True,
    )
