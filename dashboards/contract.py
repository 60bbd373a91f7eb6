"""The read contract as the dashboards see it: each view's columns, types and descriptions.

Read from ``docs/data_dictionary.md``, which ``python -m warehouse dictionary`` generates from the live
PostgreSQL schema (the warehouse's tests fail while it is out of date), so a dataset lists exactly the
columns its view has, with the contract's own descriptions, without the bundle's build needing a database.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

DICTIONARY = Path(__file__).resolve().parents[1] / "docs" / "data_dictionary.md"
_ROW = re.compile(r"^\| `(?P<name>[a-z0-9_]+)` \| (?P<type>[^|]+) \| (?P<description>.*) \|$")
# Types Superset treats as time columns (time grains, time filters).
TEMPORAL = ("timestamp", "date")


@dataclass(frozen=True)
class Column:
    """One column of a read-contract view."""

    name: str
    type: str
    description: str

    @property
    def is_temporal(self) -> bool:
        return self.type.split("(")[0].strip().lower() in TEMPORAL


def read_views(path: Path = DICTIONARY) -> dict[str, tuple[Column, ...]]:
    """Every view of the data dictionary with its columns, in the dictionary's order.

    Raises:
        ValueError: if the file lists no view (not the generated dictionary).
    """
    views: dict[str, list[Column]] = {}
    current: list[Column] | None = None
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            current = views.setdefault(line[3:].strip(), [])
        elif current is not None and (match := _ROW.match(line)):
            current.append(Column(match["name"], match["type"].strip(), match["description"].strip()))
    if not views:
        raise ValueError(f"{path} lists no view: is it the generated data dictionary?")
    return {view: tuple(columns) for view, columns in views.items()}
