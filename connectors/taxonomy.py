"""The unified category taxonomy, Lanzhou's divisions, and each source's category-code mapping (from YAML)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import cast

import yaml

CONFIG_DIR = Path(__file__).with_name("config")


@dataclass(frozen=True)
class Division:
    """One administrative division of Lanzhou (GB/T 2260 code, or ``None`` for 兰州新区)."""

    code: str | None
    name: str
    streets: tuple[str, ...]


@lru_cache(maxsize=1)
def _taxonomy() -> dict[str, object]:
    with (CONFIG_DIR / "taxonomy.yaml").open(encoding="utf-8") as handle:
        data: dict[str, object] = yaml.safe_load(handle)
    return data


@lru_cache(maxsize=1)
def _category_codes() -> dict[str, dict[str, str]]:
    with (CONFIG_DIR / "categories.yaml").open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    categories = set(CATEGORIES)
    mapping: dict[str, dict[str, str]] = {}
    for source, codes in data.items():
        for code, category in codes.items():
            if category not in categories:
                raise ValueError(f"categories.yaml: {source}/{code} maps to unknown category {category!r}")
        mapping[source] = {str(code): category for code, category in codes.items()}
    return mapping


CATEGORIES: tuple[str, ...] = tuple(cast(list[str], _taxonomy()["categories"]))
HOT_CATEGORIES: tuple[str, ...] = tuple(cast(list[str], _taxonomy()["hot_categories"]))
DIVISIONS: tuple[Division, ...] = tuple(
    Division(code=d["code"], name=d["name"], streets=tuple(d["streets"]))
    for d in _taxonomy()["divisions"]  # type: ignore[attr-defined]
)
DISTRICT_NAMES: tuple[str, ...] = tuple(d.name for d in DIVISIONS)
_BY_CODE = {d.code: d.name for d in DIVISIONS if d.code}
# Short forms citizens and operators write: 城关 for 城关区, 新区 for 兰州新区.
_ALIASES = {d.name[:-1]: d.name for d in DIVISIONS if d.name.endswith(("区", "县")) and len(d.name) > 2}
_ALIASES.update({"新区": "兰州新区", "兰州市新区": "兰州新区"})


def source_category_codes(source: str) -> dict[str, str]:
    """The mapping from a source's own category codes to unified categories."""
    return dict(_category_codes().get(source, {}))


def map_category(source: str, code: str | None) -> str | None:
    """Map a source's category code to the unified taxonomy, or ``None`` if unknown."""
    if code is None:
        return None
    return _category_codes().get(source, {}).get(code.strip())


def district_name(value: str | None) -> str | None:
    """Resolve a division code, full name or common short form to the division's full name.

    Unknown values are returned unchanged so that validation can report them as sent.
    """
    if value is None:
        return None
    text = value.strip()
    if text in DISTRICT_NAMES:
        return text
    return _BY_CODE.get(text) or _ALIASES.get(text) or text


def streets_of(district: str) -> tuple[str, ...]:
    """The streets and towns of one division (empty for an unknown division)."""
    for division in DIVISIONS:
        if division.name == district:
            return division.streets
    return ()
