"""The stores the simulator server serves: JSONL rows indexed by their cursor, and query-time parsing."""

from __future__ import annotations

import json
import math
import mmap
import threading
from array import array
from bisect import bisect_left, bisect_right
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


class Store:
    """Rows of a JSONL file sorted by (sort key, id), indexed by byte offset: the text stays in the file.

    Only the sort keys and each row's offset and length are held in memory (a few tens of bytes a row),
    so a store of a million work orders costs well under 100 MB; a page is read from the memory-mapped
    file when it is served. A row changed by a fault (:meth:`replace`) is kept in memory instead.
    """

    def __init__(
        self, keys: list[Any], offsets: array[int], lengths: array[int], data: bytes | mmap.mmap
    ) -> None:
        self.keys = keys
        self._offsets = offsets  # >= 0: byte offset in ``data``; < 0: -(i + 1) indexes ``_changed``
        self._lengths = lengths
        self._data = data
        self._changed: list[str] = []
        self._ids: dict[str, int] | None = None
        self._lock = threading.Lock()

    @classmethod
    def load(cls, path: Path, key_field: str, id_field: str, convert: Any) -> Store:
        """Index a JSONL store, keyed by ``convert(row[key_field])`` then ``row[id_field]``."""
        if not path.exists() or path.stat().st_size == 0:
            return cls([], array("q"), array("q"), b"")
        with path.open("rb") as handle:
            data = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        entries = []
        shared: dict[Any, Any] = {}  # rows of one second share one key object
        offset = 0
        for line in iter(data.readline, b""):
            if line.strip():
                row = json.loads(line)
                key = convert(row.get(key_field))
                entries.append(
                    (shared.setdefault(key, key), str(row.get(id_field)), offset, len(line.rstrip(b"\r\n")))
                )
            offset += len(line)
        entries.sort(key=lambda e: (e[0], e[1]))
        return cls(
            [e[0] for e in entries],
            array("q", (e[2] for e in entries)),
            array("q", (e[3] for e in entries)),
            data,
        )

    def __len__(self) -> int:
        return len(self.keys)

    def text(self, index: int) -> str:
        """The JSON text of the row at ``index``."""
        offset = self._offsets[index]
        if offset < 0:
            return self._changed[-offset - 1]
        return self._data[offset : offset + self._lengths[index]].decode("utf-8")

    def texts(self, lo: int, hi: int) -> list[str]:
        """The JSON texts of rows ``lo`` to ``hi`` (exclusive)."""
        with self._lock:
            return [self.text(i) for i in range(max(0, lo), min(hi, len(self.keys)))]

    def window(self, low: Any, high: Any) -> tuple[int, int]:
        """Index range of the rows with ``low <= key < high`` (``None`` = unbounded)."""
        with self._lock:
            lo = 0 if low is None else bisect_left(self.keys, low)
            hi = len(self.keys) if high is None else bisect_left(self.keys, high)
        return lo, max(lo, hi)

    def index_of(self, row_id: str, id_field: str) -> int | None:
        """The index of the row whose ``id_field`` is ``row_id`` (the id index is built on first use)."""
        with self._lock:
            if self._ids is None:
                self._ids = {str(json.loads(self.text(i)).get(id_field)): i for i in range(len(self.keys))}
            return self._ids.get(row_id)

    def replace(self, index: int, row: dict[str, Any], key: Any, id_field: str) -> int:
        """Change the row at ``index`` to ``row``, sorted under ``(key, row[id_field])``; returns its new index."""
        text = json.dumps(row, ensure_ascii=False, separators=(",", ":"))
        with self._lock:
            del self.keys[index], self._offsets[index], self._lengths[index]
            new, end = bisect_left(self.keys, key), bisect_right(self.keys, key)
            row_id = str(row.get(id_field))
            while new < end and str(json.loads(self.text(new)).get(id_field)) < row_id:
                new += 1
            self._changed.append(text)
            self.keys.insert(new, key)
            self._offsets.insert(new, -len(self._changed))
            self._lengths.insert(new, len(text))
            self._ids = None
            return new


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
