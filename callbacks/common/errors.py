"""What the server answers when a request fails: never a traceback.

- A callback request the pages never send (a forged store, a period "../../etc", a body of
  the wrong shape): HTTP 400 with a short Vietnamese reason. `BadPayload` names the value;
  a TypeError, KeyError, ValueError, AttributeError or IndexError escaping a callback is
  taken as the same (values of the wrong shape reaching code that trusts them) and logged
  with its traceback at WARNING, so a real defect still shows in the operators' log.
- The database unreachable (an error no guard caught): HTTP 503, "Không đọc được cơ sở dữ
  liệu", the detail in the log.
- Anything else: HTTP 500 with a Vietnamese sentence; the traceback only in the log.

HTTP errors (404, 405…) and Dash's own (PreventUpdate → 204) keep their handlers. With
DASH_DEBUG=1 none of this is installed: Dash's dev tools show the traceback to the developer.
"""

from __future__ import annotations

import logging

from flask import Flask, Response, request
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.exceptions import HTTPException

from layouts.common.payload import BadPayload

log = logging.getLogger(__name__)
TEXT = "text/plain; charset=utf-8"
SHAPE_ERRORS = (TypeError, KeyError, ValueError, AttributeError, IndexError)
BAD_REQUEST = "Yêu cầu không hợp lệ"
DATABASE_DOWN = "Không đọc được cơ sở dữ liệu; trang tự thử lại."
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
    if isinstance(exc, SQLAlchemyError):
        log.error("503 %s %s: database error (%s): %s", request.method, request.path, type(exc).__name__, exc)
        return Response(DATABASE_DOWN, status=503, mimetype=TEXT)
    log.error("500 %s %s", request.method, request.path, exc_info=exc)
    return Response(SERVER_ERROR, status=500, mimetype=TEXT)


def install(server: Flask, debug: bool) -> None:
    if debug:
        return

    @server.errorhandler(Exception)
    def any_error(exc: Exception) -> Response | HTTPException:
        if isinstance(exc, HTTPException):
            return exc
        return answer(exc)
