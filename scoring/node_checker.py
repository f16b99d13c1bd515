"""What checking a definition file node by node needs: a problem with its path (Vietnamese
and English), and a checker that collects every problem of the nodes it is shown —
mappings with their keys, texts, numbers in a range, non-empty lists, unique codes and
totals that must add up (scoring/validate.py walks the file with it)."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from scoring.numbers import has_at_most_two_decimals
from vi_format import format_points

SUM_TOLERANCE = 1e-6


@dataclass(frozen=True)
class Problem:
    path: str
    message_vi: str
    message_en: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message_vi} ({self.message_en})"


def en_number(value: float) -> str:
    """A number in the English half of a message (6.5)."""
    return f"{value:g}"


def child_path(path: str, key: str) -> str:
    """The path of a key under a node ("areas[0]" + "max" -> "areas[0].max")."""
    return f"{path}.{key}" if path else key


class NodeChecker:
    """Collects every problem of the nodes it checks, and the codes seen so far."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.codes: dict[str, str] = {}  # code -> path where it was first seen

    def add(self, path: str, vi: str, en: str) -> None:
        self.problems.append(Problem(path or "(gốc tệp)", vi, en))

    def mapping(
        self, node: Any, path: str, required: Collection[str], optional: Collection[str] = ()
    ) -> bool:
        """Node is a mapping with every required key and no unknown key (each problem reported)."""
        if not isinstance(node, Mapping):
            self.add(path, "phải là một bảng khóa – giá trị", "must be a mapping")
            return False
        allowed = [*required, *optional]
        for key in node:
            if key not in allowed:
                self.add(
                    child_path(path, str(key)),
                    f"khóa không hợp lệ '{key}'; các khóa được dùng: {', '.join(allowed)}",
                    f"unknown key '{key}'",
                )
        for key in required:
            if key not in node:
                self.add(child_path(path, key), "thiếu khóa bắt buộc", "missing required key")
        return True

    def choice(
        self, node: Mapping[str, Any], key: str, path: str, choices: Collection[str], what: tuple[str, str]
    ) -> None:
        """The value of `key`, when given, is one of `choices`; `what` names it (vi, en)."""
        if key in node and node[key] not in choices:
            value = node[key]
            self.add(
                child_path(path, key),
                f"{what[0]} không hợp lệ {value!r}; chọn một trong {', '.join(choices)}",
                f"unknown {what[1]} {value!r}",
            )

    def text(self, node: Mapping[str, Any], key: str, path: str) -> str | None:
        if key not in node:
            return None
        value = node[key]
        if not isinstance(value, str) or not value.strip():
            self.add(child_path(path, key), "phải là một chuỗi không rỗng", "must be a non-empty string")
            return None
        return value

    def number(
        self,
        node: Mapping[str, Any],
        key: str,
        path: str,
        *,
        low: float = 0.0,
        high: float | None = None,
        positive: bool = False,
    ) -> float | None:
        """A number in [low, high] (> low when positive) with at most two decimals."""
        if key not in node:
            return None
        value, where = node[key], child_path(path, key)
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.add(where, f"phải là một số, không phải {value!r}", f"must be a number, not {value!r}")
            return None
        value = float(value)
        if positive and value <= low:
            self.add(where, f"phải lớn hơn {format_points(low)}", f"must be greater than {en_number(low)}")
            return None
        if value < low or (high is not None and value > high):
            upper = "" if high is None else f" đến {format_points(high)}"
            upper_en = "" if high is None else f" to {en_number(high)}"
            self.add(
                where,
                f"phải trong khoảng {format_points(low)}{upper}, không phải {format_points(value)}",
                f"must be within {en_number(low)}{upper_en}, not {en_number(value)}",
            )
            return None
        if not has_at_most_two_decimals(value):
            self.add(where, "tối đa hai chữ số thập phân", "at most two decimals")
            return None
        return value

    def items(self, node: Mapping[str, Any], key: str, path: str) -> list[Any]:
        """A non-empty list (empty list and a problem otherwise)."""
        if key not in node:
            return []
        value = node[key]
        if not isinstance(value, list) or not value:
            self.add(child_path(path, key), "phải là một danh sách không rỗng", "must be a non-empty list")
            return []
        return value

    def code(self, node: Mapping[str, Any], path: str) -> None:
        if "code" not in node:
            return
        value, where = node["code"], child_path(path, "code")
        if not isinstance(value, str) or not value.strip():
            self.add(
                where,
                f'mã phải là chuỗi không rỗng (đặt trong dấu nháy, ví dụ "1.1"), không phải {value!r}',
                f"code must be a non-empty quoted string, not {value!r}",
            )
            return
        if value in self.codes:
            self.add(where, f"mã '{value}' trùng với {self.codes[value]}", f"duplicate code '{value}'")
            return
        self.codes[value] = where

    def total(
        self, path: str, parts: list[float | None], stated: float | None, what: tuple[str, ...]
    ) -> None:
        """stated == sum(parts), when every part and the stated value are valid numbers."""
        if stated is None or not parts or any(p is None for p in parts):
            return
        actual = sum(p for p in parts if p is not None)
        if abs(actual - stated) > SUM_TOLERANCE:
            children_vi, owner_vi, children_en, owner_en = what
            self.add(
                path,
                f"tổng điểm {children_vi} là {format_points(actual)}, {owner_vi} ghi {format_points(stated)}",
                f"{children_en} sum to {en_number(actual)}, {owner_en} says {en_number(stated)}",
            )
