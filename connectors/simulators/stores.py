"""The stores the simulator server serves: JSONL rows sorted by their cursor, and query-time parsing."""

from __future__ import annotations

import json
import math
from bisect import bisect_left
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from connectors.base import SHANGHAI


class BadRequest(ValueError):
    """A query parameter the server cannot accept."""


def parse_instant(text: str, name: str) -> datetime:
    """Parse an ISO-8601 query value (``+`` decoded to a space by form encoding is tolerated); naive = Beijing."""
    try:
        moment = datetime.fromisoformat(text.strip().replace(" ", "+").replace("Z", "+00:00"))
    except ValueError:
        try:
            moment = datetime.fromisoformat(text.strip())
        except ValueError as exc:
            raise BadRequest(f"{name} is not an ISO-8601 time: {text!r}") from exc
    return moment.replace(tzinfo=SHANGHAI) if moment.tzinfo is None else moment


@dataclass(frozen=True)
class Store:
    """Rows kept as JSON text, sorted by (sort key, primary key), with the sort keys for bisecting."""

    keys: list[Any]
    texts: list[str]
    ids: dict[str, int]

    @classmethod
    def load(cls, path: Path, key_field: str, id_field: str, convert: Any) -> Store:
        """Read a JSONL store, keyed by ``convert(row[key_field])`` then ``row[id_field]``."""
        entries = []
        if path.exists():
            with path.open(encoding="utf-8") as handle:
                for line in handle:
                    if line.strip():
                        row = json.loads(line)
                        entries.append(
                            (convert(row.get(key_field)), str(row.get(id_field)), line.rstrip("\n"))
                        )
        entries.sort(key=lambda e: (e[0], e[1]))
        return cls([e[0] for e in entries], [e[2] for e in entries], {e[1]: i for i, e in enumerate(entries)})

    def window(self, low: Any, high: Any) -> tuple[int, int]:
        """Index range of the rows with ``low <= key < high`` (``None`` = unbounded)."""
        lo = 0 if low is None else bisect_left(self.keys, low)
        hi = len(self.keys) if high is None else bisect_left(self.keys, high)
        return lo, max(lo, hi)


def local_text(moment: datetime) -> str:
    """The hotline's own ``YYYY-MM-DD HH:MM:SS`` (Beijing) for the first whole second at or after ``moment``."""
    local = moment.astimezone(SHANGHAI)
    if local.microsecond:
        local = local.replace(microsecond=0) + timedelta(seconds=1)
    return local.strftime("%Y-%m-%d %H:%M:%S")


def epoch(value: Any) -> float:
    """POSIX seconds of an Open311 ``requested_datetime``; unreadable values sort last (``inf``)."""
    try:
        return parse_instant(str(value), "requested_datetime").timestamp()
    except BadRequest:
        return math.inf  # outside every bounded window
