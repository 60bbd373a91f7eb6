"""Format the world's times fast: seconds after the span's start -> each source's own text.

Formatting a ``datetime`` costs microseconds and the world formats millions of times, so the day part
and the time-of-day part come from precomputed tables (China has no daylight saving: every day is
86,400 seconds of UTC+8).
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

DAY = 86400


@lru_cache(maxsize=1)
def times_of_day() -> tuple[str, ...]:
    """``HH:MM:SS`` for every second of a day."""
    return tuple(f"{h:02d}:{m:02d}:{s:02d}" for h in range(24) for m in range(60) for s in range(60))


class Clock:
    """Text forms of ``t`` seconds after midnight of ``start`` (Beijing time), for ``0 <= t < days * DAY``."""

    def __init__(self, start: date, days: int) -> None:
        dates = [start + timedelta(days=d) for d in range(days)]
        self._tod = times_of_day()
        self._dash = [f"{d:%Y-%m-%d} " for d in dates]
        self._slash = [f"{d:%Y/%m/%d} " for d in dates]
        self._iso = [f"{d:%Y-%m-%d}T" for d in dates]
        # Rows share one string object per distinct second: faster, and far less memory at scale.
        self._local: dict[int, str] = {}
        self._slashed: dict[int, str] = {}
        self._isos: dict[int, str] = {}

    def local(self, t: int) -> str:
        """``YYYY-MM-DD HH:MM:SS`` (petition, hotline)."""
        text = self._local.get(t)
        if text is None:
            text = self._local[t] = self._dash[t // DAY] + self._tod[t % DAY]
        return text

    def slash(self, t: int) -> str:
        """``YYYY/MM/DD HH:MM:SS`` (the police dispatch system)."""
        text = self._slashed.get(t)
        if text is None:
            text = self._slashed[t] = self._slash[t // DAY] + self._tod[t % DAY]
        return text

    def iso(self, t: int) -> str:
        """ISO 8601 with the ``+08:00`` offset (Open311)."""
        text = self._isos.get(t)
        if text is None:
            text = self._isos[t] = self._iso[t // DAY] + self._tod[t % DAY] + "+08:00"
        return text
