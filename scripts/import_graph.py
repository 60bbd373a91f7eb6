"""A package's import graph read from its source (ast), and its cycles (strongly connected components).

``python scripts/import_graph.py warehouse`` prints every cycle and exits 1 if there is one. Every import
counts, also one inside a function: a deferred import hides a cycle, it does not remove it. ``from p
import name`` points at the module ``p.name`` when there is one, else at ``p`` (its ``__init__``).
"""

from __future__ import annotations

import argparse
import ast
import sys
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Import:
    """One import statement's target, as written in a module."""

    source: str  # the importing module
    target: str  # the imported module (a module of the package when it is one, else as written)
    line: int
    nested: bool  # inside a function or class, run only when that code runs


def package_modules(root: Path) -> dict[str, Path]:
    """Every module of the package at ``root`` (sub-folders without ``__init__.py`` are not modules)."""
    modules: dict[str, Path] = {}

    def walk(folder: Path, name: str) -> None:
        for path in sorted(folder.iterdir()):
            if path.is_dir() and (path / "__init__.py").is_file():
                walk(path, f"{name}.{path.name}")
            elif path.suffix == ".py":
                modules[name if path.name == "__init__.py" else f"{name}.{path.stem}"] = path

    walk(root, root.name)
    return modules


def _resolve(module: str, is_package: bool, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    base = module.split(".")
    base = base[: len(base) - node.level + (1 if is_package else 0)]
    return ".".join(base + ([node.module] if node.module else []))


def imports(root: Path) -> list[Import]:
    """Every import in the package at ``root``, module-level or nested."""
    modules = package_modules(root)
    found: list[Import] = []
    for module, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        nested_nodes = {
            id(inner)
            for outer in ast.walk(tree)
            if isinstance(outer, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
            for inner in ast.walk(outer)
        }
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = _resolve(module, path.name == "__init__.py", node)
                targets = [
                    f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base
                    for alias in node.names
                ]
            else:
                continue
            for target in targets:
                while target not in modules and "." in target and target.split(".")[0] == root.name:
                    target = target.rsplit(".", 1)[0]  # `import p.a.b` of an attribute: its module
                found.append(Import(module, target, node.lineno, id(node) in nested_nodes))
    return found


def cycles(root: Path) -> list[list[str]]:
    """The strongly connected components of more than one module (or a module importing itself)."""
    modules = package_modules(root)
    graph: dict[str, set[str]] = {m: set() for m in modules}
    for imp in imports(root):
        if imp.target in modules:
            graph[imp.source].add(imp.target)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []

    def visit(node: str) -> None:  # Tarjan's algorithm
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
            component: list[str] = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1 or node in graph[node]:
                components.append(sorted(component))

    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10 * len(graph) + 100))
    for node in sorted(graph):
        if node not in index:
            visit(node)
    return components


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("package", type=Path, help="the package's folder, e.g. warehouse")
    args = parser.parse_args(argv)
    found = cycles(args.package.resolve())
    for component in found:
        print(f"cycle of {len(component)}: {' '.join(component)}")
    print(f"{len(found)} cycle(s) in {args.package}")
    return 1 if found else 0


if __name__ == "__main__":
    raise SystemExit(main())
