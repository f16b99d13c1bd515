"""Logging configured once (logging_setup.py): time, level and logger name on every record,
JSON lines with LOG_FORMAT=json, LOG_LEVEL obeyed, a wrong value named rather than fatal."""

from __future__ import annotations

import io
import json
import logging
import re
from collections.abc import Iterator
from contextlib import redirect_stderr

import pytest

from logging_setup import checked, configure_logging


@pytest.fixture
def restore_logging() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


def logged(level: str, fmt: str, emit) -> list[str]:
    err = io.StringIO()
    with redirect_stderr(err):  # the handler binds sys.stderr when configured
        configure_logging(level, fmt)
        emit()
    return err.getvalue().splitlines()


def test_text_lines_carry_time_level_and_logger(restore_logging):
    lines = logged("INFO", "text", lambda: logging.getLogger("callbacks.live").info("dữ liệu mới %s", 7))
    assert len(lines) == 1
    assert re.fullmatch(
        r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d{4} INFO callbacks\.live: dữ liệu mới 7", lines[0]
    ), lines[0]


def test_json_lines_are_one_object_each_with_the_traceback(restore_logging):
    def emit() -> None:
        log = logging.getLogger("app")
        log.warning("cảnh báo")
        try:
            raise ValueError("hỏng")
        except ValueError:
            log.exception("lỗi")

    entries = [json.loads(line) for line in logged("info", "JSON", emit) if line.startswith("{")]
    assert [(e["level"], e["logger"], e["message"]) for e in entries] == [
        ("WARNING", "app", "cảnh báo"),
        ("ERROR", "app", "lỗi"),
    ]
    assert "ValueError: hỏng" in entries[1]["exception"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d", entries[0]["time"])


def test_the_level_filters(restore_logging):
    def emit() -> None:
        logging.getLogger("x").info("not shown")
        logging.getLogger("x").warning("shown")

    assert [line.split(" ", 1)[1] for line in logged("WARNING", "text", emit)] == ["WARNING x: shown"]


def test_unknown_values_fall_back_and_are_named(restore_logging):
    assert checked("verbose", "xml") == (
        "INFO",
        "text",
        [
            "LOG_LEVEL='VERBOSE' không hợp lệ (DEBUG, INFO, WARNING, ERROR, CRITICAL) — dùng INFO.",
            "LOG_FORMAT='xml' không hợp lệ (text, json) — dùng text.",
        ],
    )
    lines = logged("verbose", "text", lambda: None)
    assert any("LOG_LEVEL='VERBOSE' không hợp lệ" in line for line in lines)


def test_serving_settings_come_from_the_environment_and_refuse_nonsense():
    from config import Settings

    settings = Settings.from_env(
        {
            "REDIS_URL": "redis://cache:6379/2",
            "CACHE_TTL_SECONDS": "900",
            "LOG_LEVEL": "debug",
            "LOG_FORMAT": "JSON",
        }
    )
    assert (settings.redis_url, settings.cache_ttl_seconds) == ("redis://cache:6379/2", 900)
    assert (settings.log_level, settings.log_format) == ("DEBUG", "json")
    defaults = Settings.from_env({"REDIS_URL": ""})
    assert (defaults.redis_url, defaults.cache_ttl_seconds, defaults.log_level) == (None, 3600, "INFO")
    for wrong in ("0", "-5", "1h", "2.5"):
        with pytest.raises(ValueError, match=f"CACHE_TTL_SECONDS='{wrong}': cần một số nguyên dương"):
            Settings.from_env({"CACHE_TTL_SECONDS": wrong})
