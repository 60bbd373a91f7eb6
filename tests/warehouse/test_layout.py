"""The warehouse's layout: rooms without import cycles, no reach into the matcher, small modules."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest
from import_graph import cycles, imports, package_modules

import warehouse

pytestmark = pytest.mark.unit

ROOT = Path(warehouse.__file__).parent
# The hub's other packages: the warehouse is below all of them (shared/STYLE.md, "Layout and dependencies").
UPSTREAM = (
    "connectors",
    "simulators",
    "matching",
    "expectations",
    "orchestration",
    "alerting",
    "dags",
    "scripts",
)


def test_no_import_cycle_among_warehouse_modules() -> None:
    assert cycles(ROOT) == []


def test_each_room_imports_only_the_rooms_before_it() -> None:
    """The layers ``warehouse/__init__.py`` describes: a room reaches down, never up or sideways."""
    order = [
        "engine",
        "schema",
        "access",
        "derive",
        "load",
        "pool",
        "quality",
        "review",
        "contract",
        "queries",
        "cli",
    ]
    rank = {room: n for n, room in enumerate([*order, "__main__"])}
    upward = sorted(
        (i.source, i.target)
        for i in imports(ROOT)
        if i.target.startswith("warehouse.")
        and i.source != "warehouse"
        and rank[i.target.split(".")[1]] > rank[i.source.split(".")[1]]
    )
    assert upward == []


def test_the_finder_sees_a_cycle_and_a_nested_import(tmp_path: Path) -> None:
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text("from pkg.b import x\n")
    (package / "b.py").write_text("def x():\n    from pkg import a\n")
    assert cycles(package) == [["pkg.a", "pkg.b"]]
    assert [(i.source, i.target, i.nested) for i in imports(package) if i.source == "pkg.b"] == [
        ("pkg.b", "pkg.a", True)
    ]


def test_the_library_imports_no_other_hub_package() -> None:
    """Only the program (``warehouse/__main__.py``) names the matcher, inside the function ``rehash``
    calls; no warehouse module imports the program."""
    reaching = [
        (i.source, i.target, i.line)
        for i in imports(ROOT)
        if i.target.split(".")[0] in UPSTREAM and not (i.source == "warehouse.__main__" and i.nested)
    ]
    assert reaching == []
    assert [i.source for i in imports(ROOT) if i.target == "warehouse.__main__"] == []


def test_at_most_twelve_modules_at_the_top_and_none_over_400_lines() -> None:
    modules = package_modules(ROOT)
    top = sorted({".".join(name.split(".")[:2]) for name in modules} - {"warehouse"})
    assert len(top) <= 12, top  # files and rooms; migrations/ is Alembic's folder, not a module
    long = {
        name: n
        for name, path in package_modules(ROOT).items()
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > 400
    }
    assert long == {}


def test_the_facade_exports_what_it_lists() -> None:
    assert sorted(warehouse.__all__) == sorted(set(warehouse.__all__))
    for name in warehouse.__all__:
        assert getattr(warehouse, name) is not None
    schema = importlib.import_module("warehouse.schema")
    # Every model is on the metadata the migrations are checked against, whichever module is imported.
    assert {"complaint_record", "complaint_case", "alert", "match_run"} <= set(schema.Base.metadata.tables)
