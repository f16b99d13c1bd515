"""The shape of the project's own code, read with `ast`: the import graph (imports inside
functions count too) has no cycle between top-level packages / modules, and the data side
(db, geodata, importer, dossier_stats, scoring, wall) never imports dash, layouts or
callbacks; no module is longer than 400 lines and no function longer than 80 (outside
tests/, bench/ and db/migrations/).

The checkers are also run on small trees written here with a cycle, a forbidden import and
a module and a function too long, so a checker that stopped seeing them would fail this
file instead of passing it."""

from __future__ import annotations

import ast
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOT_PROJECT = {"tests", "bench", "docs", "assets", "data", ".venv"}
DATA_SIDE = ("db", "geodata", "importer", "dossier_stats", "scoring", "wall")
UI_ONLY = ("dash", "layouts", "callbacks")
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 80
NOT_SIZED = ("tests/", "bench/", "db/migrations/")  # test code, benchmarks, generated migrations


@dataclass(frozen=True)
class Import:
    source: str  # module that imports, e.g. "wall.summary"
    target: str  # module imported, e.g. "layouts.common.rankings"
    where: str  # "wall/summary.py:17"

    @property
    def edge(self) -> tuple[str, str]:
        return self.source.split(".")[0], self.target.split(".")[0]


def top_level_units(root: Path) -> set[str]:
    """Packages (a folder with __init__.py) and modules at the root of the project."""
    units = {p.stem for p in root.glob("*.py")}
    units |= {p.parent.name for p in root.glob("*/__init__.py") if p.parent.name not in NOT_PROJECT}
    return units


def module_name(root: Path, path: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _absolute(node: ast.ImportFrom, module: str, is_package: bool) -> str:
    """The module a relative `from . import x` names."""
    base = module.split(".") if is_package else module.split(".")[:-1]
    base = base[: len(base) - (node.level - 1)] if node.level > 1 else base
    return ".".join([*base, *([node.module] if node.module else [])])


def imports_of(root: Path, path: Path) -> Iterator[Import]:
    module = module_name(root, path)
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    where = path.relative_to(root).as_posix()
    for node in ast.walk(tree):  # every statement, also inside functions and try blocks
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield Import(module, alias.name, f"{where}:{node.lineno}")
        elif isinstance(node, ast.ImportFrom):
            target = _absolute(node, module, path.name == "__init__.py") if node.level else node.module or ""
            yield Import(module, target, f"{where}:{node.lineno}")


def project_imports(root: Path) -> list[Import]:
    units = top_level_units(root)
    found = []
    for path in sorted(root.rglob("*.py")):
        parts = path.relative_to(root).parts
        if parts[0] in NOT_PROJECT or (len(parts) > 1 and parts[0] not in units):
            continue
        found.extend(imports_of(root, path))
    return found


def unit_edges(root: Path) -> dict[tuple[str, str], list[Import]]:
    """(importing unit, imported unit) -> the imports behind it, between distinct units."""
    units = top_level_units(root)
    edges: dict[tuple[str, str], list[Import]] = defaultdict(list)
    for imp in project_imports(root):
        a, b = imp.edge
        if a != b and b in units:
            edges[(a, b)].append(imp)
    return dict(edges)


def cycles(edges: dict[tuple[str, str], list[Import]]) -> list[list[str]]:
    """The strongly connected components with more than one unit (Tarjan)."""
    graph: dict[str, set[str]] = defaultdict(set)
    for a, b in edges:
        graph[a].add(b)
        graph.setdefault(b, set())
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def cycle_report(root: Path) -> list[str]:
    edges = unit_edges(root)
    lines = []
    for component in cycles(edges):
        lines.append("import cycle between " + ", ".join(component) + ":")
        for (a, b), found in sorted(edges.items()):
            if a in component and b in component:
                shown = "; ".join(f"{i.where} imports {i.target}" for i in found[:5])
                more = f" (+{len(found) - 5} more)" if len(found) > 5 else ""
                lines.append(f"  {a} -> {b}: {shown}{more}")
    return lines


def boundary_report(root: Path) -> list[str]:
    return [
        f"{imp.where}: {imp.source} imports {imp.target} (the data side never imports {', '.join(UI_ONLY)})"
        for imp in project_imports(root)
        if imp.source.split(".")[0] in DATA_SIDE and imp.target.split(".")[0] in UI_ONLY
    ]


def size_report(root: Path) -> list[str]:
    """Every module over MAX_MODULE_LINES lines and function over MAX_FUNCTION_LINES lines
    (decorators, signature and body) of the project's code."""
    units = top_level_units(root)
    problems = []
    for path in sorted(root.rglob("*.py")):
        relative = path.relative_to(root).as_posix()
        parts = path.relative_to(root).parts
        if (
            relative.startswith(NOT_SIZED)
            or parts[0] in NOT_PROJECT
            or (len(parts) > 1 and parts[0] not in units)
        ):
            continue
        text = path.read_text(encoding="utf-8")
        lines = len(text.splitlines())
        if lines > MAX_MODULE_LINES:
            problems.append(f"{relative}: {lines} lines (at most {MAX_MODULE_LINES} per module)")
        for node in ast.walk(ast.parse(text, filename=str(path))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
                length = (node.end_lineno or node.lineno) - first + 1
                if length > MAX_FUNCTION_LINES:
                    problems.append(
                        f"{relative}:{node.lineno}: {node.name}() has {length} lines "
                        f"(at most {MAX_FUNCTION_LINES} per function)"
                    )
    return problems


# ---------------------------------------------------------------- the project


def test_the_walker_sees_the_projects_packages_and_their_imports():
    units = top_level_units(ROOT)
    assert {"app", "cli", "config", "db", "importer", "dossier_stats", "scoring", "wall"} <= units
    assert {"layouts", "callbacks", "geodata"} <= units
    assert not units & NOT_PROJECT
    edges = unit_edges(ROOT)
    assert ("app", "callbacks") in edges and ("callbacks", "layouts") in edges
    # cli imports the importer only inside its command functions: those count
    assert ("cli", "importer") in edges


def test_no_import_cycle_between_top_level_packages():
    problems = cycle_report(ROOT)
    assert not problems, "\n".join(problems)


def test_the_data_side_never_imports_dash_layouts_or_callbacks():
    problems = boundary_report(ROOT)
    assert not problems, "\n".join(problems)


def test_no_module_over_400_lines_and_no_function_over_80():
    problems = size_report(ROOT)
    assert not problems, "\n".join(problems)


# ---------------------------------------------------------------- the checker itself


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def test_the_checker_names_the_edges_of_a_cycle_found_inside_a_function(tmp_path):
    write(
        tmp_path,
        {
            "config.py": "",
            "db/__init__.py": "",
            "db/store.py": "import config\n",
            "importer/__init__.py": "",
            "importer/load.py": "from db.store import x\n",
            "dossier_stats/__init__.py": "",
            "dossier_stats/refresh.py": "def run():\n    from importer.load import go\n",
            "dossier_stats/kpis.py": "from ..db import store\n",  # relative import of db
        },
    )
    edges = unit_edges(tmp_path)
    assert set(edges) == {
        ("db", "config"),
        ("importer", "db"),
        ("dossier_stats", "importer"),
        ("dossier_stats", "db"),
    }
    assert cycles(edges) == [] and cycle_report(tmp_path) == []  # one way only
    write(tmp_path, {"importer/load.py": "from db.store import x\nfrom dossier_stats import kpis\n"})
    assert cycles(unit_edges(tmp_path)) == [["dossier_stats", "importer"]]
    report = "\n".join(cycle_report(tmp_path))
    assert report.startswith("import cycle between dossier_stats, importer:")
    assert "dossier_stats -> importer: dossier_stats/refresh.py:2 imports importer.load" in report
    assert "importer -> dossier_stats: importer/load.py:2 imports dossier_stats" in report
    assert "-> db" not in report  # edges outside the cycle are not blamed


def test_the_checker_reports_dash_or_layouts_imported_by_the_data_side(tmp_path):
    write(
        tmp_path,
        {
            "layouts/__init__.py": "",
            "layouts/format.py": "",
            "wall/__init__.py": "",
            "wall/summary.py": (
                "def f():\n    try:\n        from layouts.format import x\n"
                "    except ImportError:\n        pass\n"
            ),
            "scoring/__init__.py": "",
            "scoring/view.py": "import dash.html\n",
            "callbacks/__init__.py": "",
            "callbacks/page.py": "import dash\nfrom layouts import format\n",  # allowed: UI
        },
    )
    rule = "(the data side never imports dash, layouts, callbacks)"
    assert boundary_report(tmp_path) == [
        f"scoring/view.py:1: scoring.view imports dash.html {rule}",
        f"wall/summary.py:3: wall.summary imports layouts.format {rule}",
    ]


def test_the_size_checker_names_long_modules_and_functions_but_not_tests_or_migrations(tmp_path):
    long_function = "def long():\n" + "    x = 1\n" * 80  # 81 lines with its signature
    fits = "@decorated\ndef fits():\n" + "    x = 1\n" * 78  # 80 lines with its decorator
    write(
        tmp_path,
        {
            "app.py": "x = 1\n" * 401,
            "layouts/__init__.py": "",
            "layouts/page.py": "class Page:\n    " + long_function.replace("\n", "\n    ") + "\n" + fits,
            "tests/test_x.py": "x = 1\n" * 500 + long_function,
            "bench/b.py": long_function,
            "db/__init__.py": "",
            "db/migrations/versions/0001.py": long_function,
        },
    )
    assert size_report(tmp_path) == [
        "app.py: 401 lines (at most 400 per module)",
        "layouts/page.py:2: long() has 81 lines (at most 80 per function)",
    ]
