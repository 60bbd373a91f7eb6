"""Whole-column text scans for the pandas side of the custom expectations.

Checking a million values one Python call at a time costs a few microseconds each, which made the
canonical suite miss its 30-second budget. These helpers run one compiled regular expression over
all values of a column joined into one string, so the per-value work happens in C. Each custom
expectation keeps its scalar function as the reference: the fast path only ever decides the cases it
can prove identical, and hands every other value to the scalar check.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

# Values are joined with a line feed: every pattern used here either never matches it (character
# classes of forbidden characters) or is anchored per line with re.MULTILINE.
_JOINER = "\n"


def strings_of(column: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """The column's values as an object array, and a mask of those that are ``str``."""
    values = column.to_numpy(dtype=object, na_value=None)
    if set(map(type, values)) <= {str}:  # the usual case, decided without a per-value Python loop
        return values, np.ones(len(values), dtype=bool)
    is_str = np.fromiter((type(value) is str for value in values), dtype=bool, count=len(values))
    return values, is_str


def lengths_of(texts: list[str]) -> np.ndarray:
    """Characters of each text."""
    return np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))


def _line_starts(texts: list[str]) -> np.ndarray:
    lengths = lengths_of(texts) + len(_JOINER)
    return np.concatenate(([0], np.cumsum(lengths)[:-1]))


def rows_matching(texts: list[str], pattern: re.Pattern[str]) -> np.ndarray:
    """Boolean mask: which of ``texts`` contain a match of ``pattern`` (searched in one pass).

    A match may not span two values: callers pass patterns that cannot match the line feed joining
    them, or that are anchored per line. Texts that themselves hold a line feed are the caller's
    to route around (see :func:`has_line_feed`).
    """
    hits = np.zeros(len(texts), dtype=bool)
    if not texts:
        return hits
    starts = _line_starts(texts)
    positions = [match.start() for match in pattern.finditer(_JOINER.join(texts))]
    if positions:
        hits[np.searchsorted(starts, np.asarray(positions, dtype=np.int64), side="right") - 1] = True
    return hits


def has_line_feed(texts: list[str]) -> np.ndarray:
    """Boolean mask of texts holding a line feed (a per-line scan cannot judge them)."""
    return np.fromiter((_JOINER in text for text in texts), dtype=bool, count=len(texts))


def stripped_lengths(texts: list[str]) -> np.ndarray:
    """Characters of each text after ``str.strip()`` (as the scalar checks count them)."""
    return np.fromiter(map(len, map(str.strip, texts)), dtype=np.int64, count=len(texts))


def combine(
    column: pd.Series, fast: Callable[[list[str]], np.ndarray], scalar: Callable[[Any], bool]
) -> pd.Series:
    """Run ``fast`` over the string values and ``scalar`` over everything else; a row-aligned mask.

    Args:
        column: the values GX hands to a column map metric (nulls already removed).
        fast: decides a list of strings at once, returning one boolean per string.
        scalar: the reference check, used for values that are not strings.

    Returns:
        A boolean Series on ``column``'s index.
    """
    values, is_str = strings_of(column)
    result = np.zeros(len(values), dtype=bool)
    if is_str.any():
        result[is_str] = fast(values[is_str].tolist())
    for position in np.flatnonzero(~is_str):
        result[position] = scalar(values[position])
    return pd.Series(result, index=column.index, dtype=bool)


def code_points(texts: list[str], width: int) -> np.ndarray:
    """The code points of texts that are all exactly ``width`` characters, as a ``(n, width)`` array."""
    # UTF-32 keeps one 4-byte unit per character; surrogatepass lets lone surrogates through as units.
    encoded = "".join(texts).encode("utf-32-le", "surrogatepass")
    return np.frombuffer(encoded, dtype=np.uint32).reshape(len(texts), width).astype(np.int32)
