"""How a command of `python cli.py` is declared: the sub-command with the common options, its
function and audit declaration, and the options several commands share (the input files,
--out, --limit, --seed, --unit). One place, used by cli.py and every module of
cli.COMMAND_MODULES; imports nothing of the project.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

SEED_HELP = "hạt giống ngẫu nhiên (mặc định 42)"


def add_command(
    sub: Any,
    parents: Sequence[argparse.ArgumentParser],
    name: str,
    func: Callable[..., int],
    help: str,
    description: str | None = None,
    audit_as: tuple[str, str] | None = None,
) -> argparse.ArgumentParser:
    """A sub-command of `sub` running `func(args, settings)`; `audit_as=(action, what)` makes
    cli.main record it in the audit trail when it succeeds (see cli.COMMAND_MODULES)."""
    parser = sub.add_parser(name, parents=list(parents), help=help, description=description)
    parser.set_defaults(func=func, **({"audit_as": audit_as} if audit_as else {}))
    return parser


def positive(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError("phải là số không âm / must be >= 0")
    return value


def add_files(
    parser: argparse.ArgumentParser, help: str | None = None, metavar: str = "TỆP", many: bool = False
) -> None:
    """The positional input file (`file`), or files (`files`, one or more)."""
    if many:
        parser.add_argument("files", type=Path, nargs="+", metavar=metavar, help=help)
    else:
        parser.add_argument("file", type=Path, metavar=metavar, help=help)


def add_out(
    parser: argparse.ArgumentParser, help: str | None = None, metavar: str = "TỆP", required: bool = False
) -> None:
    """--out: the file (or folder) a command writes; an export is audited only when given."""
    parser.add_argument("--out", type=Path, required=required, default=None, metavar=metavar, help=help)


def add_limit(parser: argparse.ArgumentParser, default: int, type_: Callable[[str], int] = int) -> None:
    parser.add_argument(
        "--limit", type=type_, default=default, metavar="N", help=f"số dòng hiện (mặc định {default})"
    )


def add_seed(parser: argparse.ArgumentParser, help: str | None = SEED_HELP) -> None:
    parser.add_argument("--seed", type=int, default=42, metavar="S", help=help)


def add_unit(parser: argparse.ArgumentParser, help: str | None, required: bool = False) -> None:
    parser.add_argument("--unit", required=required, default=None, metavar="MÃ", help=help)
