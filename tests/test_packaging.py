"""What a deployment installs and runs: every direct dependency pinned, runtime and development
requirements apart, and server code that logs instead of printing."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PIN = re.compile(r"^[A-Za-z0-9_.\-]+(\[[a-z,]+\])?==[0-9][0-9A-Za-z.+\-]*$")
# the command line's sub-command modules talk to the terminal on purpose
CLI_MODULES = {"dossier_stats/commands.py", "scoring/commands.py", "accounts/commands.py"}
SERVER_SIDE = ("app.py", "callbacks", "layouts", "dossier_stats", "scoring", "wall", "db", "geodata")
SERVER_SIDE += ("accounts",)


def requirements(name: str) -> list[str]:
    lines = (ROOT / name).read_text(encoding="utf-8").splitlines()
    return [line.split("#")[0].strip() for line in lines if line.split("#")[0].strip()]


def test_every_direct_dependency_is_pinned():
    for name in ("requirements.txt", "requirements-dev.txt"):
        for line in requirements(name):
            if line != "-r requirements.txt":
                assert PIN.match(line), f"{name}: {line!r} is not pinned with =="


def test_runtime_and_development_requirements_are_apart():
    runtime = {line.split("==")[0].lower() for line in requirements("requirements.txt")}
    dev = requirements("requirements-dev.txt")
    assert dev[0] == "-r requirements.txt"
    assert {"gunicorn", "redis", "dash", "sqlalchemy"} <= runtime
    assert not runtime & {"pytest", "selenium", "hypothesis", "ruff"}
    assert {line.split("==")[0] for line in dev[1:]} >= {"pytest", "selenium", "hypothesis", "ruff"}


def test_the_install_stamp_of_the_tests_depends_on_both_files():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^\$\(VENV\)/\.installed-dev: requirements\.txt requirements-dev\.txt", makefile, re.M)
    assert re.search(r"^test: \$\(VENV\)/\.installed-dev$", makefile, re.M)


def server_files() -> list[Path]:
    files: list[Path] = []
    for part in SERVER_SIDE:
        path = ROOT / part
        files += [path] if path.is_file() else sorted(path.rglob("*.py"))
    return [f for f in files if f.relative_to(ROOT).as_posix() not in CLI_MODULES]


def test_server_code_logs_and_never_prints():
    printing = []
    for path in server_files():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "print":
                printing.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert len(server_files()) > 100
    assert printing == []
