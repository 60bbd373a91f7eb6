"""The rows of the blocking-key and pair work tables, built on the client from a matching pass.

Hashing a million blocking keys and shaping a million pairs is pure Python work that needs nothing
from the transaction. :mod:`warehouse.pool.publish` runs these functions on a helper thread while the
server executes the publish's first statements (the client waits on the socket with the GIL
released), so the two sides work at the same time instead of one after the other.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from typing import Any

from warehouse.access.hashing import hash_blocking_key


def key_rows(keys: Sequence[dict[str, str]], secret: bytes) -> list[dict[str, str]]:
    """Distinct ``(rule, key, record_id)`` rows with the key as its keyed hash (the raw value never leaves)."""
    hashed: dict[tuple[str, str], str] = {}
    rows: set[tuple[str, str, str]] = set()
    for k in keys:
        raw = (k["rule"], str(k["key"]))
        digest = hashed.get(raw) or hashed.setdefault(raw, hash_blocking_key(raw[0], raw[1], secret))
        rows.add((raw[0], digest, k["record_id"]))
    return [{"rule": r, "key": h, "record_id": i} for r, h, i in rows]


def pair_rows(pairs: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per scored pair (the last one given wins), its comparison levels as JSON text."""
    rows: dict[tuple[str, str], dict[str, Any]] = {}
    rendered: dict[tuple[tuple[str, int], ...], str] = {}
    for pair in pairs:
        # Each comparison's level travels as a gamma_<name> column (Splink's convention); keep them all.
        # Pairs repeat a few level combinations: each is written as JSON once.
        levels = tuple((k.removeprefix("gamma_"), int(v)) for k, v in pair.items() if k.startswith("gamma_"))
        text = rendered.get(levels) or rendered.setdefault(
            levels, json.dumps(dict(levels), ensure_ascii=False)
        )
        rows[(pair["record_id_l"], pair["record_id_r"])] = {
            "record_id_l": pair["record_id_l"],
            "record_id_r": pair["record_id_r"],
            "match_weight": float(pair["match_weight"]),
            "match_probability": float(pair["match_probability"]),
            "levels": text,
            "decision": pair["decision"],
        }
    return list(rows.values())


def assignment_rows(assignments: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The assignment work table's rows: a missing ``is_new_case`` is 0, NaN (from frames) is NULL."""
    return [
        {
            "record_id": a["record_id"],
            "case_id": a["case_id"],
            "is_new_case": 1 if a.get("is_new_case") else 0,
            "match_probability": null_if_nan(a.get("match_probability")),
            "matched_record_id": null_if_nan(a.get("matched_record_id")),
        }
        for a in assignments
    ]


def null_if_nan(value: Any) -> Any:
    """Frames hand over missing values as NaN; the warehouse (and JSON on PostgreSQL) wants NULL."""
    return None if isinstance(value, float) and math.isnan(value) else value
