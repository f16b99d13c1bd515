"""The one guard of the UI against data that cannot be read.

Two kinds of failure, two answers:

- Something asked for is missing (a unit, a year, a part not set up): a LookupError whose
  text says it in Vietnamese; the caller shows it (`guarded`'s `on_error`).
- The database does not answer (stopped, restarting, network down, not set up): the page
  keeps what it shows. `guarded` logs the cause for operators — with the command that fixes
  a database that is not set up — and raises `DataUnavailable`, which the server answers
  with HTTP 503 (callbacks/common/errors.py), so Dash leaves every output as it is, and
  assets/connection.js shows the badge "mất kết nối dữ liệu — số liệu lúc hh:mm" until a
  request reaches the data again. A `notice` (e.g. "Chưa lưu được …") is shown with it.
  End users never see a command; operators find it in the log.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy.exc import SQLAlchemyError

log = logging.getLogger(__name__)
T = TypeVar("T")
U = TypeVar("U")
# A LookupError says in Vietnamese what is missing (a unit, a year, a part not set up);
# an SQLAlchemyError is the database failing.
READ_ERRORS = (LookupError, SQLAlchemyError)
DATA_DOWN = "mất kết nối dữ liệu"
OPERATOR_HINT = (
    "database unreachable or not set up; check the database server and DATABASE_URL "
    "(`python cli.py setup` creates and migrates the schema; /readyz tells which)"
)


class DataUnavailable(Exception):
    """The database did not answer: keep the page as it is (HTTP 503) and say so."""

    def __init__(self, what: str, cause: Exception, notice: str | None = None) -> None:
        super().__init__(f"{what}: {cause.__class__.__name__}")
        self.what = what
        self.notice = notice


def log_outage(what: str, exc: Exception) -> None:
    """The operators' line for a database failure (the end user sees only the badge)."""
    log.warning("%s: %s (%s: %s)", what, OPERATOR_HINT, exc.__class__.__name__, str(exc).split("\n")[0][:300])


def problem_text(exc: Exception) -> str:
    """A short Vietnamese reason for a failed read (never a command to run)."""
    if isinstance(exc, LookupError):
        return str(exc)
    return f"Không đọc được dữ liệu ({DATA_DOWN}); thử lại sau ít phút."


def guarded(
    build: Callable[[], T], on_error: Callable[[Exception], U], what: str = "page", notice: str | None = None
) -> T | U:
    """build(); on_error(exc) when something asked for is missing; DataUnavailable (the page
    keeps what it shows, with `notice`) when the database does not answer."""
    try:
        return build()
    except LookupError as exc:
        return on_error(exc)
    except SQLAlchemyError as exc:
        log_outage(what, exc)
        raise DataUnavailable(what, exc, notice) from exc
