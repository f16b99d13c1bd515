"""The named 766 rule set: `rules.toml` beside this module, or the file INDEX766_RULES
names, read once per process (`active_config`) and validated with a Vietnamese message
naming the problem (`RuleSetError`). Its options are index766.config.Index766Config."""

from __future__ import annotations

import os
import tomllib
import typing
from functools import lru_cache
from pathlib import Path
from typing import Any

from dossier_stats.index766.config import Index766Config

DEFAULT_RULES_FILE = Path(__file__).with_name("rules.toml")
RULES_ENV = "INDEX766_RULES"


class RuleSetError(ValueError):
    """A rule set file that cannot be used; the message says what and where."""


def _choices() -> dict[str, tuple[str, ...]]:
    hints = typing.get_type_hints(Index766Config)
    return {
        name: typing.get_args(hint)
        for name, hint in hints.items()
        if typing.get_origin(hint) is typing.Literal
    }


def _options(data: dict[str, Any], where: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    choices = _choices()
    for name, value in data.get("options", {}).items():
        if name not in choices:
            raise RuleSetError(f"{where}: tùy chọn '{name}' không có; các tùy chọn: {', '.join(choices)}")
        if value not in choices[name]:
            raise RuleSetError(
                f"{where}: {name} = '{value}' không hợp lệ; chọn một trong: {', '.join(choices[name])}"
            )
        out[name] = value
    numbers = {"filed_online_full_at", "procedures_online_full_at", "online_used_full_at", "reuse_full_at"}
    numbers |= {"satisfaction_full_at", "integration_window_months", "rank_decimals", "online_split"}
    for name, value in data.get("thresholds", {}).items():
        if name not in numbers:
            raise RuleSetError(f"{where}: ngưỡng '{name}' không có; các ngưỡng: {', '.join(sorted(numbers))}")
        out[name] = tuple(float(v) for v in value) if name == "online_split" else value
    if "grades" in data:
        out["grades"] = tuple((float(g["from"]), str(g["label"])) for g in data["grades"])
    return out


def load_rule_set(path: Path) -> Index766Config:
    """The rule set of a TOML file; RuleSetError when it is unreadable or wrong."""
    where = f"Bộ quy tắc 766 {path}"
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise RuleSetError(f"{where}: không đọc được tệp ({exc.strerror or exc})") from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise RuleSetError(f"{where}: không đúng định dạng TOML ({exc})") from exc
    for key in ("name", "version"):
        if not str(data.get(key, "")).strip():
            raise RuleSetError(f"{where}: thiếu '{key}' (tên và phiên bản của bộ quy tắc)")
    try:
        return Index766Config(name=str(data["name"]), version=str(data["version"]), **_options(data, where))
    except (KeyError, TypeError, ValueError) as exc:
        if isinstance(exc, RuleSetError):
            raise
        raise RuleSetError(f"{where}: {exc}") from exc


@lru_cache(maxsize=4)
def _cached(path: str) -> Index766Config:
    return load_rule_set(Path(path))


def rules_path() -> Path:
    return Path(os.environ.get(RULES_ENV) or DEFAULT_RULES_FILE)


def active_config() -> Index766Config:
    """The rule set in force in this process (INDEX766_RULES, else the shipped rules.toml)."""
    return _cached(str(rules_path()))
