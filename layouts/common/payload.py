"""What a page's browser sends back (stores, URL parts) is read as untrusted input: anything
a forged or broken request can put there is refused with `BadPayload`, a ValueError whose
message says in Vietnamese what was wrong. The server answers it with HTTP 400
(callbacks/common/errors.py), never a 500 with a traceback."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

MAX_TEXT = 200  # longest text any store or URL part of ours carries (codes, keys, query strings)
MAX_URL = 2000  # longest query string or path accepted


class BadPayload(ValueError):
    """A value sent by the browser that no page of ours sends."""


def mapping(value: Any, what: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise BadPayload(f"{what}: cần một đối tượng, nhận {type(value).__name__}.")
    return value


def text(value: Any, what: str, max_length: int = MAX_TEXT) -> str:
    if not isinstance(value, str) or len(value) > max_length:
        raise BadPayload(f"{what}: cần một chuỗi (tối đa {max_length} ký tự).")
    return value


def optional_text(value: Any, what: str, max_length: int = MAX_TEXT) -> str | None:
    return None if value is None else text(value, what, max_length)


def url_part(value: Any, what: str) -> str:
    """A dcc.Location's `search` or `pathname`: a string (None is "")."""
    return "" if value is None else text(value, what, MAX_URL)
