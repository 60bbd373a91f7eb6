"""Fast draws from a :class:`random.Random`.

``Random.choice``/``randint``/``choices`` cost about a microsecond each in pure Python; the world
draws tens of millions of values, so these use one ``random()`` call each. Deterministic for a seed.
"""

from __future__ import annotations

import random
from bisect import bisect
from collections.abc import Sequence
from typing import TypeVar

T = TypeVar("T")


def pick(rng: random.Random, seq: Sequence[T]) -> T:
    """One element of ``seq``, uniformly."""
    return seq[int(rng.random() * len(seq))]


def between(rng: random.Random, lo: int, hi: int) -> int:
    """An integer in ``[lo, hi]``, both ends included."""
    return lo + int(rng.random() * (hi - lo + 1))


def below(rng: random.Random, n: int) -> int:
    """An integer in ``[0, n)``."""
    return int(rng.random() * n)


def weighted(rng: random.Random, seq: Sequence[T], cum: Sequence[float]) -> T:
    """One element of ``seq`` with cumulative weights ``cum``."""
    return seq[bisect(cum, rng.random() * cum[-1])]
