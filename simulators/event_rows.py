"""Write handling steps (:mod:`simulators.handling`) as each source's system records them.

The node names and keys are the connectors' own (``event_map`` of each connector, SOURCES.md), so the
simulated formats and the mapping cannot drift apart; levels are written in the source's language
(市级/区县/街道乡镇/社区村 in the Chinese systems, ``city``/``district``… in the app's API).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Sequence
from functools import cache
from typing import Any

from connectors.events import LEVELS, EventMap
from connectors.registry import connector_class
from simulators.handling import Step

_ENGLISH_LEVELS = frozenset({"app"})
_JSON_TEXT = frozenset({"petition", "police"})  # a text column of a database or a CSV cell


@cache
def _names(source: str) -> tuple[EventMap, dict[str, str]]:
    event_map = connector_class(source).event_map
    assert event_map is not None, f"{source} declares no event_map"
    names: dict[str, str] = {}
    for node, kind in event_map.types.items():
        names.setdefault(kind, node)  # the first name a type has is the one the system writes
    return event_map, names


def raw_events(source: str, steps: Sequence[Step], stamp: Callable[[int], str]) -> list[dict[str, Any]]:
    """The steps as ``source``'s raw event objects, times written by ``stamp``."""
    event_map, names = _names(source)
    keys, detail = event_map.keys, {v: k for k, v in event_map.detail_keys.items()}
    english = source in _ENGLISH_LEVELS
    out = []
    for step in steps:
        item: dict[str, Any] = {keys["type"]: names[step.type], keys["at"]: stamp(step.t)}
        item[keys["actor"]] = step.actor
        item[keys["unit"]] = step.unit
        item[keys["level"]] = step.level if english else LEVELS[step.level]
        for name in ("reason", "days", "satisfaction", "score"):
            value = getattr(step, name)
            if value is not None and name in keys:
                item[keys[name]] = value
        for name in ("to", "stage", "outcome"):
            value = getattr(step, name)
            if value is not None:
                item[detail.get(name, name)] = value
        out.append(item)
    return out


def events_column(source: str, steps: Sequence[Step], stamp: Callable[[int], str]) -> Any:
    """The value of ``source``'s event column: a list, or JSON text where the system stores text."""
    events = raw_events(source, steps, stamp)
    if source in _JSON_TEXT:
        return json.dumps(events, ensure_ascii=False, separators=(",", ":")) if events else ""
    return events


def last(steps: Sequence[Step], *types: str) -> Step | None:
    """The latest step of one of ``types`` (``None``: none)."""
    found = [s for s in steps if s.type in types]
    return found[-1] if found else None


def closed_log(source: str, row: dict[str, Any], at: str) -> list[dict[str, Any]] | None:
    """``row``'s event log with a closing event at ``at`` (the source's time text) appended, for a status
    change the server makes while serving (a ``change_record`` fault); ``None`` when it is closed already."""
    event_map, names = _names(source)
    keys = event_map.keys
    events = list(row.get(event_map.column) or [])
    if events and events[-1].get(keys["type"]) == names["closed"]:
        return None
    handler: dict[str, Any] = next((e for e in reversed(events) if e.get(keys["unit"])), {})
    closing = {keys["type"]: names["closed"], keys["at"]: at}
    closing |= {keys[k]: handler[keys[k]] for k in ("unit", "level") if keys[k] in handler}
    return [*events, closing]


def event_counts(source: str, rows: Sequence[dict[str, Any]]) -> dict[str, int]:
    """How many events of each type ``source``'s rows carry (for the manifest), by the connector's names."""
    event_map, _ = _names(source)
    kind, counts = event_map.keys["type"], Counter[str]()
    for row in rows:
        log = row.get(event_map.column) or []
        for item in json.loads(log) if isinstance(log, str) else log:
            counts[event_map.types.get(item.get(kind), "?")] += 1
    return dict(sorted(counts.items()))
