"""The house's imports: no cycle between its modules, and data_access never imports streamlit.

Read from the source with ast, so an import inside a function counts as much as one at the top
of a file: a function-level import that dodges a cycle at load time still leaves the cycle.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ["data_access", "ui", "pages", "dashboard.py"]


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def house_files() -> dict[str, Path]:
    files: list[Path] = []
    for source in SOURCES:
        path = ROOT / source
        files += sorted(path.rglob("*.py")) if path.is_dir() else [path]
    return {module_name(path): path for path in files}


def imported_names(path: Path, module: str, modules: set[str] = frozenset()) -> set[str]:
    """Every module an import statement in path names: `from X import Y` is X.Y when X.Y is one
    of modules (a submodule), else X."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{anchor}.{base}" if base else anchor
            for alias in node.names:
                submodule = f"{base}.{alias.name}"
                names.add(submodule if submodule in modules else base)
    return names


def import_graph() -> dict[str, set[str]]:
    """Module -> the house modules it imports, anywhere in its source."""
    files = house_files()
    return {
        module: {name for name in imported_names(path, module, set(files)) if name in files}
        - {module}
        for module, path in files.items()
    }


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle as [a, b, ..., a], or None when the graph is acyclic."""
    done: set[str] = set()
    stack: list[str] = []

    def visit(module: str) -> list[str] | None:
        if module in stack:
            return [*stack[stack.index(module) :], module]
        if module in done:
            return None
        stack.append(module)
        for target in sorted(graph[module]):
            if cycle := visit(target):
                return cycle
        stack.pop()
        done.add(module)
        return None

    for module in sorted(graph):
        if cycle := visit(module):
            return cycle
    return None


def test_the_graph_sees_the_navigation_import_every_page() -> None:
    graph = import_graph()
    assert {"pages.overview", "pages.trends", "pages.channels"} <= graph["ui.navigation"]
    assert "ui.page_list" in graph["pages.overview"]


def test_find_cycle_reports_a_cycle_as_a_path() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}
    assert find_cycle(graph) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_the_house_has_no_import_cycle() -> None:
    cycle = find_cycle(import_graph())
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def test_data_access_never_imports_streamlit() -> None:
    offenders = sorted(
        module
        for module, path in house_files().items()
        if module.startswith("data_access")
        and any(name.split(".")[0] == "streamlit" for name in imported_names(path, module))
    )
    assert offenders == []
