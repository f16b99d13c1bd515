"""Reading index definition files (YAML or JSON) into `IndexDefinition`, or a clear refusal.

Shipped sample sets live in scoring/definitions/<year>/<group>.yaml. A file of another
year loads with no code change (`python cli.py scoring load FILE`).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml

from scoring.definition import IndexDefinition, from_mapping
from scoring.validate import Problem, problems

DEFINITIONS_DIR = Path(__file__).resolve().parent / "definitions"


class DefinitionError(ValueError):
    """A definition file or mapping that cannot be used; `problems` says where and why."""

    def __init__(self, source: str, found: Sequence[Problem]) -> None:
        self.source = source
        self.problems = list(found)
        lines = "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(f"Bộ chỉ số không hợp lệ ({source}), {len(self.problems)} lỗi:\n{lines}")


class _UniqueKeyLoader(yaml.SafeLoader):
    """SafeLoader that refuses a key written twice in one mapping (PyYAML keeps the last)."""


def _construct_mapping(loader: _UniqueKeyLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    seen: dict[Any, int] = {}
    for key_node, _value in node.value:
        key = loader.construct_object(key_node, deep=deep)
        line = key_node.start_mark.line + 1
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None,
                None,
                f"khóa '{key}' viết hai lần (dòng {seen[key]} và {line}) / duplicate key",
                key_node.start_mark,
            )
        seen[key] = line
    return loader.construct_mapping(node, deep=deep)


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def read_mapping(path: Path) -> Any:
    """The raw content of a YAML (.yaml/.yml) or JSON (.json) file; DefinitionError if unreadable."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DefinitionError(
            str(path), [Problem("(tệp)", f"không đọc được tệp: {exc}", "unreadable")]
        ) from None
    try:
        if path.suffix.lower() == ".json":
            return json.loads(text)
        return yaml.load(text, Loader=_UniqueKeyLoader)  # a SafeLoader subclass
    except json.JSONDecodeError as exc:
        where = f"dòng {exc.lineno}, cột {exc.colno}"
        raise DefinitionError(
            str(path), [Problem(where, f"JSON sai cú pháp: {exc.msg}", "bad JSON")]
        ) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        where = f"dòng {mark.line + 1}, cột {mark.column + 1}" if mark else "(tệp)"
        detail = getattr(exc, "problem", None) or str(exc)
        raise DefinitionError(
            str(path), [Problem(where, f"YAML sai cú pháp: {detail}", "bad YAML")]
        ) from None


def parse_definition(raw: Any, source: str = "(dữ liệu)") -> IndexDefinition:
    """The definition of a raw mapping; DefinitionError listing every problem."""
    found = problems(raw)
    if found:
        raise DefinitionError(source, found)
    return from_mapping(raw)


def read_definition(path: Path) -> tuple[IndexDefinition, Mapping[str, Any]]:
    """(definition, the raw mapping as read) of a file; DefinitionError when it is not valid."""
    raw = read_mapping(path)
    return parse_definition(raw, str(path)), raw


def canonical_json(raw: Mapping[str, Any]) -> str:
    """The raw mapping as stored in the database (stable, so equal files have equal checksums)."""
    return json.dumps(raw, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def checksum(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def shipped_files(year: int) -> list[Path]:
    """The shipped definition files of a year (empty when there are none)."""
    folder = DEFINITIONS_DIR / str(year)
    return sorted(p for p in folder.glob("*.yaml")) if folder.is_dir() else []
