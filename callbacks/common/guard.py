"""The one guard of the UI against data that cannot be read: which errors it catches and a
short Vietnamese reason for them (each caller logs and shows them its own way)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from sqlalchemy.exc import SQLAlchemyError

T = TypeVar("T")
U = TypeVar("U")
# A LookupError says in Vietnamese what is missing (a unit, a year, a part not set up);
# an SQLAlchemyError is the database failing.
READ_ERRORS = (LookupError, SQLAlchemyError)


def problem_text(exc: Exception) -> str:
    """A short Vietnamese reason for a failed read."""
    if isinstance(exc, LookupError):
        return str(exc)
    return f"Lỗi cơ sở dữ liệu ({exc.__class__.__name__})."


def guarded(build: Callable[[], T], on_error: Callable[[Exception], U]) -> T | U:
    """build(), or on_error(exc) when its data cannot be read."""
    try:
        return build()
    except READ_ERRORS as exc:
        return on_error(exc)
