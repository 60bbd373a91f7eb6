"""Placing a record in a Lanzhou division from its address text or its coordinates."""

from __future__ import annotations

import math
from typing import Any

from connectors.taxonomy import DISTRICT_NAMES

# Approximate centres (WGS84) of each division's built-up area; the nearest centre within
# MAX_DISTANCE_KM wins. Good enough to place a citizen's pin; the address wins when it names one.
CENTRES: dict[str, tuple[float, float]] = {
    "城关区": (36.0570, 103.8420),
    "七里河区": (36.0660, 103.7860),
    "西固区": (36.0880, 103.6280),
    "安宁区": (36.1040, 103.7190),
    "红古区": (36.3450, 102.8600),
    "永登县": (36.7360, 103.2600),
    "皋兰县": (36.3320, 103.9470),
    "榆中县": (35.8430, 104.1130),
    "兰州新区": (36.5140, 103.6650),
}
MAX_DISTANCE_KM = 40.0
# Longest names first so that 兰州新区 is not read as a bare 新区 elsewhere in the text.
_SEARCH = sorted(
    [(name, name) for name in DISTRICT_NAMES]
    + [(name[:-1], name) for name in DISTRICT_NAMES if name.endswith(("区", "县")) and len(name) > 2],
    key=lambda pair: -len(pair[0]),
)


def district_in_text(text: Any) -> str | None:
    """The first division named in an address (full or short form), or ``None``."""
    if not text:
        return None
    value = str(text)
    for needle, name in _SEARCH:
        if needle in value:
            return name
    return None


def district_from_point(lat: Any, lon: Any) -> str | None:
    """The division whose centre is nearest to ``(lat, lon)``, if within range."""
    try:
        y, x = float(lat), float(lon)
    except (TypeError, ValueError):
        return None
    best, best_km = None, MAX_DISTANCE_KM
    for name, (cy, cx) in CENTRES.items():
        km = 111.2 * math.hypot(y - cy, (x - cx) * math.cos(math.radians(cy)))
        if km < best_km:
            best, best_km = name, km
    return best
