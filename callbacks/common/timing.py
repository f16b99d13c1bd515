"""Server time and bytes of every callback request, per callback, so that a slower
interaction shows which callback grew.

`install(server)` wraps the Flask app's WSGI callable: each POST to /_dash-update-component
is timed from the request's arrival to the last byte of its answer (compression included),
and recorded with the callback (its first output, and how many more it has), what fired
it (`changedPropIds`), the HTTP status and the bytes sent. Each record is logged (logger
`callbacks.common.timing`: INFO, DEBUG for a 204 — a callback that changed nothing, such as
the live poll) and kept in a bounded in-process list (`CallbackTimings`, also in
`server.extensions["bando_timing"]`) that bench/interaction_bench.py reads. Nothing is
served over HTTP.
"""

from __future__ import annotations

import io
import json
import logging
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from flask import Flask

log = logging.getLogger(__name__)
UPDATE_PATH = "/_dash-update-component"
KEEP = 1000  # records kept in memory


@dataclass(frozen=True)
class CallbackTiming:
    seq: int  # 1, 2, … in the order the answers were finished
    callback: str  # "map.figure", or "view-store.data +16" for a callback with 17 outputs
    trigger: str  # the inputs that fired it, "map-click.data"; "" on a first call
    ms: float  # arrival -> last byte of the answer, on the server
    bytes: int  # body bytes sent (compressed when the browser accepts it)
    status: int


def callback_label(output: str) -> str:
    """ "..a.b...c.d.." -> "a.b +1"; "map.figure" -> "map.figure"."""
    if not output.startswith(".."):
        return output
    outputs = output.strip(".").split("...")
    return outputs[0] if len(outputs) == 1 else f"{outputs[0]} +{len(outputs) - 1}"


def describe(body: bytes) -> tuple[str, str]:
    """(callback label, trigger) of a callback request body; "?" for one that is not JSON."""
    try:
        payload = json.loads(body)
        return callback_label(str(payload["output"])), ",".join(payload.get("changedPropIds") or [])
    except (ValueError, KeyError, TypeError):
        return "?", ""


class CallbackTimings:
    """The last KEEP records of this process, thread-safe."""

    def __init__(self) -> None:
        self._records: deque[CallbackTiming] = deque(maxlen=KEEP)
        self._lock = threading.Lock()
        self._seq = 0

    def add(self, callback: str, trigger: str, ms: float, size: int, status: int) -> CallbackTiming:
        with self._lock:
            self._seq += 1
            record = CallbackTiming(self._seq, callback, trigger, ms, size, status)
            self._records.append(record)
        level = logging.DEBUG if status == 204 else logging.INFO
        log.log(level, "callback %s [%s]: %.1f ms, %d B, HTTP %d", callback, trigger, ms, size, status)
        return record

    def last_seq(self) -> int:
        with self._lock:
            return self._seq

    def since(self, seq: int) -> list[CallbackTiming]:
        """Records finished after record `seq` (0: all kept)."""
        with self._lock:
            return [r for r in self._records if r.seq > seq]


class TimingMiddleware:
    """WSGI wrapper timing the callback requests of the wrapped app."""

    def __init__(self, app: Callable[..., Iterable[bytes]], timings: CallbackTimings) -> None:
        self.app = app
        self.timings = timings

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ.get("REQUEST_METHOD") != "POST" or not environ.get("PATH_INFO", "").endswith(UPDATE_PATH):
            return self.app(environ, start_response)
        start = time.perf_counter()
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length > 0 else b""
        environ["wsgi.input"] = io.BytesIO(body)
        status: list[int] = []

        def record_status(line: str, headers: list[Any], exc_info: Any = None) -> Any:
            status.append(int(line[:3]))
            return start_response(line, headers, exc_info) if exc_info else start_response(line, headers)

        answer = self.app(environ, record_status)
        try:
            chunks = list(answer)  # callback answers are not streamed
        finally:
            if hasattr(answer, "close"):
                answer.close()
        callback, trigger = describe(body)
        ms = (time.perf_counter() - start) * 1000
        self.timings.add(callback, trigger, ms, sum(len(c) for c in chunks), status[0] if status else 0)
        return chunks


def install(server: Flask) -> CallbackTimings:
    """Times every callback request of `server` from now on; returns the records."""
    timings = CallbackTimings()
    server.wsgi_app = TimingMiddleware(server.wsgi_app, timings)  # type: ignore[method-assign]
    server.extensions["bando_timing"] = timings
    return timings
