"""The code's map holds: no import cycle, views never import views, views stay short.

Read from the source with ``ast`` (every import counts, those inside functions too), so a
cycle cannot hide behind a late import.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
APPS = ("config", "core", "clients", "assessments", "programs", "portal", "reminders", "api")
MAX_VIEW_LINES = 40


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def application_modules() -> dict[str, Path]:
    return {
        module_name(path): path
        for app in APPS
        for path in (ROOT / app).rglob("*.py")
        if "migrations" not in path.parts
    }


MODULES = application_modules()


def imported_names(name: str, path: Path) -> set[str]:
    """Every dotted name a module imports, at any level of the file."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            # `from package import module` depends on the module; any other name on the
            # module that defines it (the package's __init__ for a re-exported name).
            for alias in node.names:
                submodule = f"{base}.{alias.name}"
                found.add(submodule if submodule in MODULES else base)
    return found


IMPORTS = {name: imported_names(name, path) for name, path in MODULES.items()}
GRAPH = {name: {m for m in names if m in MODULES and m != name} for name, names in IMPORTS.items()}


def cycles() -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan)."""
    index, low, stack, on_stack, groups = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in GRAPH[node]:
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in GRAPH:
        if node not in index:
            visit(node)
    return groups


def is_view_module(name: str) -> bool:
    return name.split(".")[-1] == "views" or ".views." in name


def test_no_module_imports_one_that_imports_it_back():
    assert cycles() == []


@pytest.mark.parametrize("name", sorted(n for n in MODULES if is_view_module(n)))
def test_a_view_module_imports_no_other_view_module(name):
    assert sorted(m for m in GRAPH[name] if is_view_module(m)) == []


def view_functions():
    for name, path in sorted(MODULES.items()):
        if not is_view_module(name):
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                yield f"{name}.{node.name}", node.end_lineno - node.lineno + 1


@pytest.mark.parametrize(("function", "lines"), list(view_functions()))
def test_view_functions_are_at_most_40_lines(function, lines):
    assert lines <= MAX_VIEW_LINES


def test_the_map_finds_the_apps_views():
    # Guards the two tests above against passing on an empty tree.
    assert {"clients.views", "assessments.views", "programs.views", "portal.views"} <= set(MODULES)


def test_shipped_code_never_imports_the_benchmark():
    assert [
        name for name, names in IMPORTS.items() if any(n.split(".")[0] == "bench" for n in names)
    ] == []
