"""Payloads as landing takes them: one canonical JSON text for the hash, and the repair of what one engine
would store and the other refuse."""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections.abc import Mapping
from typing import Any

# One encoder for every payload: json.dumps with options builds a new encoder per call, a tenth of the
# hashing time when a million rows land. The text is the same as json.dumps with these options.
canonical_json = json.JSONEncoder(
    ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str, check_circular=False
).encode


def payload_hash(payload: Mapping[str, Any]) -> str:
    """A stable SHA-256 of a raw payload, independent of key order.

    Defined for any payload: a lone surrogate is hashed as its code point (``surrogatepass``), so that
    a row can be told apart before :func:`landable` repairs it; every other text hashes as UTF-8.
    """
    return hashlib.sha256(canonical_json(payload).encode("utf-8", "surrogatepass")).hexdigest()


# What one engine stores and the other refuses: NUL and lone surrogates (PostgreSQL text and jsonb hold
# neither; no UTF-8 encoder takes a surrogate), and NaN/Infinity (not JSON; jsonb refuses them). The
# payload's JSON text tells a suspect payload (substring tests and its encoding); only those are walked.
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def _storable(value: Any, where: str, problems: list[str]) -> Any:
    if isinstance(value, str):
        if not _UNSTORABLE.search(value):
            return value
        if "\x00" in value:
            problems.append(f"NUL character in {where!r}")
        if _UNSTORABLE.search(value.replace("\x00", "")):
            problems.append(f"lone surrogate in {where!r}")
        return _UNSTORABLE.sub("\ufffd", value)
    if isinstance(value, float) and not math.isfinite(value):
        problems.append(f"{value} in {where!r} is not a number JSON can hold")
        return None
    if isinstance(value, Mapping):
        return {_storable(str(k), where, problems): _storable(v, str(k), problems) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_storable(item, where, problems) for item in value]
    return value


def storable_payload(raw: Mapping[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """``raw`` as both engines store it alike, and what had to change (empty: ``raw`` itself, unchanged).

    NUL characters and lone surrogates become U+FFFD, NaN and infinite numbers ``None``. A payload that
    needed any of this is quarantined (:meth:`BaseConnector.keyed` names the field): a NUL or a half
    character means the source sent something other than what it meant, on SQLite as on PostgreSQL.

    Args:
        raw: a source row.

    Returns:
        The storable payload and the problems found (field names only: never a value).
    """
    payload, _, problems = landable(raw)
    return payload, problems


def landable(raw: Mapping[str, Any]) -> tuple[dict[str, Any], bytes, list[str]]:
    """:func:`storable_payload` with the payload's canonical JSON as UTF-8, encoded once for the checks
    and the hash (the encoding is a tenth of the landing time of a large batch)."""
    text = canonical_json(raw)
    payload = raw if isinstance(raw, dict) else dict(raw)
    try:  # a lone surrogate cannot be encoded: the cheapest test for one
        data = text.encode("utf-8")
        if "\\u0000" not in text and "NaN" not in text and "Infinity" not in text:
            return payload, data, []
    except UnicodeEncodeError:
        pass
    problems: list[str] = []
    payload = _storable(payload, "payload", problems)
    return payload, canonical_json(payload).encode("utf-8"), problems
