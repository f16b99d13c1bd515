"""Live data: the open home page polls the data version and redraws only when it changed.

A dcc.Interval (every `poll_seconds`, default 15 s) asks for the change key — (dossier
data version, scoring change counter), one small statement. The same key as the page's
LIVE_STATE: PreventUpdate, so the answer is an empty 204 and nothing is recomputed. A new
key (an import, `cli.py refresh`, a score entered): LIVE_STATE takes it and the header's
"Dữ liệu cập nhật lúc …" is refreshed; the map, panel and ranking callbacks, which listen
to LIVE_STATE, then send the view's new values (the map as a Patch of values, colours and
hover texts — never geometry). An unreachable database leaves the page as it is: the poll
answers 503 (guard.DataUnavailable), the page shows the connection badge
(assets/connection.js) until a poll reaches the data again.
"""

from __future__ import annotations

import logging
import math
import os
from typing import Any

from dash import Dash, Input, Output, State, ctx
from dash.exceptions import PreventUpdate
from sqlalchemy.exc import SQLAlchemyError

from callbacks.common.guard import DataUnavailable, log_outage
from callbacks.common.services import Services
from config import Settings
from layouts.home.ids import Ids
from vi_format import data_time_text

log = logging.getLogger(__name__)
DEFAULT_POLL_SECONDS = 15.0
POLL_SETTING = "live_poll_seconds"  # Settings.extra key; else the LIVE_POLL_SECONDS variable


def poll_seconds(settings: Settings, env: dict[str, str] | None = None) -> float:
    """Seconds between two polls: Settings.extra["live_poll_seconds"], else the environment's
    LIVE_POLL_SECONDS, else 15. A value that is not a positive number is refused (logged) and
    the default used."""
    environ = os.environ if env is None else env
    raw = settings.extra.get(POLL_SETTING) or environ.get("LIVE_POLL_SECONDS")
    if not raw:
        return DEFAULT_POLL_SECONDS
    try:
        seconds = float(raw)
    except ValueError:
        seconds = math.nan
    if not math.isfinite(seconds) or seconds <= 0:
        log.warning(
            "LIVE_POLL_SECONDS=%r không phải số giây dương — dùng %s giây.", raw, DEFAULT_POLL_SECONDS
        )
        return DEFAULT_POLL_SECONDS
    return seconds


def triggered(component_id: str, prop: str = "data") -> bool:
    """Whether that property is among the inputs that fired the running callback (a view
    change and new data can arrive in the same call)."""
    return f"{component_id}.{prop}" in ctx.triggered_prop_ids


def live_state(services: Services) -> dict[str, Any]:
    """What LIVE_STATE holds: the change key the page's data belong to."""
    return {"key": list(services.scoring.change_key())}


def register(app: Dash, services: Services) -> None:
    @app.callback(
        Output(Ids.LIVE_STATE, "data"),
        Output(Ids.DATA_TIME, "children"),
        Input(Ids.LIVE_POLL, "n_intervals"),
        State(Ids.LIVE_STATE, "data"),
        prevent_initial_call=True,
    )
    def poll(_n: Any, state: Any) -> tuple[dict[str, Any], str]:
        try:
            fresh = live_state(services)
            if state and state.get("key") == fresh["key"]:
                raise PreventUpdate
            return fresh, data_time_text(services.stats.data_time())
        except SQLAlchemyError as exc:
            log_outage("live poll", exc)
            raise DataUnavailable("live poll", exc) from None
