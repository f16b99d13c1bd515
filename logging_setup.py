"""Logging, configured once when a process starts serving (`python app.py`, gunicorn through
gunicorn.conf.py, `python cli.py`): every record with its time, level and logger name, as
text or — `LOG_FORMAT=json` — one JSON object a line for a log collector. `LOG_LEVEL` sets the
level (INFO by default). Server code logs; it never prints.

Under gunicorn the same configuration is handed over as `logconfig_dict`, so gunicorn's own
loggers (`gunicorn.error`, and `gunicorn.access` for the access log, on stdout) share the
format. Imports nothing of the project.
"""

from __future__ import annotations

import json
import logging
import logging.config
from datetime import datetime
from typing import Any

LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
FORMATS = ("text", "json")
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
TIME_FORMAT = "%Y-%m-%dT%H:%M:%S%z"


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time (ISO 8601 with offset, milliseconds), level, logger,
    message, and the traceback when there is one."""

    def format(self, record: logging.LogRecord) -> str:
        moment = datetime.fromtimestamp(record.created).astimezone()
        entry: dict[str, Any] = {
            "time": moment.isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False)


def checked(level: str, fmt: str) -> tuple[str, str, list[str]]:
    """(level, format, problems): an unknown value is replaced by the default and named."""
    problems = []
    level, fmt = level.strip().upper(), fmt.strip().lower()
    if level not in LEVELS:
        problems.append(f"LOG_LEVEL={level!r} không hợp lệ ({', '.join(LEVELS)}) — dùng INFO.")
        level = "INFO"
    if fmt not in FORMATS:
        problems.append(f"LOG_FORMAT={fmt!r} không hợp lệ (text, json) — dùng text.")
        fmt = "text"
    return level, fmt, problems


def logging_config(level: str, fmt: str) -> dict[str, Any]:
    """The dictConfig of the process: application records on stderr, gunicorn's access log
    on stdout, both in the chosen format. Level and format are expected `checked`."""
    formatter = (
        {"()": f"{__name__}.JsonFormatter"}
        if fmt == "json"
        else {"format": TEXT_FORMAT, "datefmt": TIME_FORMAT}
    )
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"main": formatter},
        "handlers": {
            "stderr": {"class": "logging.StreamHandler", "formatter": "main", "stream": "ext://sys.stderr"},
            "stdout": {"class": "logging.StreamHandler", "formatter": "main", "stream": "ext://sys.stdout"},
        },
        "root": {"level": level, "handlers": ["stderr"]},
        "loggers": {
            "gunicorn.error": {"level": level, "handlers": ["stderr"], "propagate": False},
            "gunicorn.access": {"level": "INFO", "handlers": ["stdout"], "propagate": False},
            # alembic says "Context impl …" each time /readyz reads the schema's revision
            "alembic": {"level": "DEBUG" if level == "DEBUG" else "WARNING"},
        },
    }


def configure_logging(level: str, fmt: str) -> None:
    """Configure the root logger once, at the start of the process."""
    level, fmt, problems = checked(level, fmt)
    logging.config.dictConfig(logging_config(level, fmt))
    for problem in problems:
        logging.getLogger(__name__).warning(problem)
