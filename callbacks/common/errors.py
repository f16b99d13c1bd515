"""What the server answers when a request fails: never a traceback.

- A callback request the pages never send (a forged store, a period "../../etc", a body of
  the wrong shape): HTTP 400 with a short Vietnamese reason. `BadPayload` names the value;
  a TypeError, KeyError, ValueError, AttributeError or IndexError escaping a callback is
  taken as the same (values of the wrong shape reaching code that trusts them) and logged
  with its traceback at WARNING, so a real defect still shows in the operators' log.
- The database unreachable (`guard.DataUnavailable`, or an SQLAlchemyError no guard caught):
  HTTP 503 with the page's notice or "mất kết nối dữ liệu"; Dash keeps every output as it
  is and assets/connection.js shows the badge. The cause (and the command that fixes a
  database not set up) goes to the log, never to the browser.
- Anything else: HTTP 500 with a Vietnamese sentence; the traceback only in the log.

HTTP errors (404, 405…) and Dash's own (PreventUpdate → 204) keep their handlers. With
DASH_DEBUG=1 only the first two are installed: Dash's dev tools show other tracebacks to the
developer.
"""

from __future__ import annotations

import logging

from flask import Flask, Response, request
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.exceptions import HTTPException

from callbacks.common.guard import DATA_DOWN, DataUnavailable, log_outage
from layouts.common.payload import BadPayload

log = logging.getLogger(__name__)
TEXT = "text/plain; charset=utf-8"
SHAPE_ERRORS = (TypeError, KeyError, ValueError, AttributeError, IndexError)
BAD_REQUEST = "Yêu cầu không hợp lệ"
OUTAGE_HEADER = "X-Bando-Outage"  # assets/connection.js: the data did not answer
SERVER_ERROR = "Máy chủ gặp lỗi khi xử lý yêu cầu; lỗi đã được ghi lại để quản trị viên xem xét."


def _is_callback() -> bool:
    return request.path.endswith("/_dash-update-component")


def answer(exc: Exception) -> Response:
    """The response for an exception a request raised (see the module's doc)."""
    if isinstance(exc, BadPayload):
        log.warning("400 %s %s: %s", request.method, request.path, exc)
        return Response(f"{BAD_REQUEST}: {exc}", status=400, mimetype=TEXT)
    if isinstance(exc, SHAPE_ERRORS) and _is_callback():
        log.warning("400 %s %s: values of the wrong shape", request.method, request.path, exc_info=exc)
        return Response(f"{BAD_REQUEST}: dữ liệu gửi lên không đúng dạng.", status=400, mimetype=TEXT)
    if isinstance(exc, DataUnavailable | SQLAlchemyError):
        if isinstance(exc, SQLAlchemyError):
            log_outage(f"{request.method} {request.path}", exc)
        notice = exc.notice if isinstance(exc, DataUnavailable) else None
        return Response(notice or DATA_DOWN, status=503, mimetype=TEXT, headers={OUTAGE_HEADER: "1"})
    log.error("500 %s %s", request.method, request.path, exc_info=exc)
    return Response(SERVER_ERROR, status=500, mimetype=TEXT)


def install(server: Flask, debug: bool) -> None:
    for expected in (BadPayload, DataUnavailable, SQLAlchemyError):
        server.register_error_handler(expected, answer)
    if debug:
        return

    @server.errorhandler(Exception)
    def any_error(exc: Exception) -> Response | HTTPException:
        if isinstance(exc, HTTPException):
            return exc
        return answer(exc)
