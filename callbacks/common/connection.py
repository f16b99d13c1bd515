"""What tells a page whether its data are reachable (assets/connection.js draws the badge).

Every response to a request that read the database carries `X-Bando-Data-Time: hh:mm` (now,
in the province): the page keeps the last one as "số liệu lúc hh:mm". A request the database
failed is answered 503 (callbacks/common/errors.py): the page keeps what it shows and puts up
"mất kết nối dữ liệu — số liệu lúc hh:mm"; the next response with a data time takes it down.
Pages without a poll of their own get one (`link_check`), so the badge goes away by itself.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from dash import Dash, Input
from dash.exceptions import PreventUpdate
from flask import Flask, Response, g, has_request_context
from sqlalchemy import Engine, event

from callbacks.common.guard import guarded

DATA_TIME_HEADER = "X-Bando-Data-Time"
_READ_FLAG = "bando_data_read"


def _mark_read(*_args: Any) -> None:
    if has_request_context():
        setattr(g, _READ_FLAG, True)


def install(server: Flask, engines: Iterable[Engine], now: Callable[[], datetime]) -> None:
    """Mark requests whose statements reached the database; stamp their responses."""
    for engine in {id(e): e for e in engines}.values():
        if not event.contains(engine, "after_cursor_execute", _mark_read):
            event.listen(engine, "after_cursor_execute", _mark_read)

    @server.after_request
    def stamp(response: Response) -> Response:
        if g.get(_READ_FLAG) and response.status_code < 400:
            response.headers[DATA_TIME_HEADER] = now().strftime("%H:%M")
        return response


def register_link_check(app: Dash, poll_id: str, check: Callable[[], object], what: str) -> None:
    """A page's poll that only asks whether the data answer: 204 (and a data time) when they
    do, 503 (DataUnavailable) when not — for pages whose own callbacks do not poll."""

    @app.callback(Input(poll_id, "n_intervals"), prevent_initial_call=True)
    def link_check(_n: Any) -> None:
        guarded(check, lambda exc: None, what)
        raise PreventUpdate
