"""The matching package's import graph: stages import downwards only, with no cycle (even inside functions)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "matching"


def _imports(path: Path) -> set[str]:
    """Every ``matching.*`` module a file imports, at any depth (functions and TYPE_CHECKING blocks too)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("matching"):
            if node.module == "matching":
                found.update(f"matching.{alias.name}" for alias in node.names)
            else:
                found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name.startswith("matching."))
    return found


def _graph() -> dict[str, set[str]]:
    modules = {
        f"matching.{p.stem}": p for p in PACKAGE.glob("*.py") if p.stem not in ("__init__", "__main__")
    }
    return {name: {m for m in _imports(path) if m in modules and m != name} for name, path in modules.items()}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in graph[node]:
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

    for node in graph:
        if node not in index:
            visit(node)
    return found


@pytest.mark.unit
def test_matching_modules_import_each_other_without_a_cycle() -> None:
    assert _cycles(_graph()) == []


@pytest.mark.unit
@pytest.mark.parametrize(
    ("module", "forbidden"),
    [
        pytest.param(
            "matching.blocking",
            {"matching.normalize", "matching.settings"},
            id="blocking standardises nothing",
        ),
        pytest.param(
            "matching.normalize", {"matching.settings", "matching.blocking"}, id="normalize is below settings"
        ),
        pytest.param(
            "matching.comparisons", {"matching.domain_comparisons"}, id="base comparisons know no domain"
        ),
        pytest.param("matching.specs", {"matching.settings"}, id="shared types import nothing of matching"),
    ],
)
def test_a_stage_does_not_reach_up_the_flow(module: str, forbidden: set[str]) -> None:
    assert not (_graph()[module] & forbidden)
