"""One small class per comparison; each turns aligned record pairs into integer agreement levels (gamma)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process
from rapidfuzz.distance import JaroWinkler, Levenshtein

NULL_LEVEL = -1
Scorer = Callable[..., float]
# Fact token types that are a range of another type (``b20000-30000``, a vague sum, is a range of ``a``,
# an exact sum): the two are comparable, and an exact value inside a range agrees with it.
RANGE_OF = {"b": "a"}


# Token types with numeric bounds: sums (exact and vague) and dates (a year or a month is a range of days).
BOUNDED = frozenset({"a", "b", "d"})


def _bounds(token: str) -> tuple[float, float]:
    """The numeric bounds of a bounded token: ``a32000`` -> (32000, 32000), ``b20000-30000`` -> the range,
    ``d202408`` -> (20240801, 20240831) and ``d2024`` -> (20240101, 20241231) as yyyymmdd numbers."""
    body = token[1:]
    try:
        if token[0] in RANGE_OF:
            low, high = body.split("-", 1)
            return float(low), float(high)
        if token[0] == "d" and len(body) in (4, 6):
            return float(body + "0101"[len(body) - 4 :]), float(body + "1231"[len(body) - 4 :])
        return float(body), float(body)
    except ValueError:
        return np.nan, np.nan


@dataclass
class PairContext:
    """The standardised records as arrays, the pairs as positions into them, and cached factor codes.

    Args:
        columns: column name -> array aligned with the records.
        left: position of each pair's left record.
        right: position of each pair's right record.
        workers: rapidfuzz worker threads (-1 = all cores).
        skip_similarity: score every non-exact pair 0 (levels that need rapidfuzz fall to ``else``);
            training uses it to count the cheap levels on a large sample.
        whole_input: the records are a whole data set (``dedupe``), so how often a value occurs among
            them is its frequency in that data; ``False`` for an incremental batch with the pool records
            fetched for it, where a column's frequencies are known only once :meth:`share_frequencies`
            gives them (comparisons that read an unknown frequency use their middle band).
    """

    columns: Mapping[str, np.ndarray]
    left: np.ndarray
    right: np.ndarray
    workers: int = 1
    skip_similarity: bool = False
    _codes: dict[str, np.ndarray] = field(default_factory=dict)
    whole_input: bool = True

    @classmethod
    def from_frame(
        cls, frame: pd.DataFrame, left: np.ndarray, right: np.ndarray, workers: int = 1, skip_similarity: bool = False,
        columns: Sequence[str] | None = None,
    ) -> PairContext:  # fmt: skip
        """Build from a standardised DataFrame (positional indices ``left``/``right``); ``columns`` limits
        the columns taken (default: all)."""
        names = frame.columns if columns is None else [c for c in columns if c in frame]
        return cls({c: frame[c].to_numpy() for c in names}, left, right, workers, skip_similarity)

    def window(self, start: int, stop: int, workers: int | None = None) -> PairContext:
        """Pairs ``start:stop``, sharing the columns, the options and the per-record caches (with
        ``workers`` rapidfuzz threads instead of this context's, when given)."""
        return PairContext(
            self.columns,
            self.left[start:stop],
            self.right[start:stop],
            self.workers if workers is None else workers,
            self.skip_similarity,
            self._codes,
            self.whole_input,
        )

    def subset(self, size: int) -> PairContext:
        """The first ``size`` pairs, with similarity on (sharing the cached codes)."""
        return PairContext(
            self.columns,
            self.left[:size],
            self.right[:size],
            self.workers,
            False,
            self._codes,
            self.whole_input,
        )

    def codes(self, column: str) -> np.ndarray:
        """Integer factor codes of ``column`` per record (-1 for null), computed once."""
        if column not in self._codes:
            codes, _ = pd.factorize(np.asarray(self.columns[column], dtype=object), use_na_sentinel=True)
            self._codes[column] = codes
        return self._codes[column]

    def derived_codes(self, key: str, build: Callable[[Mapping[str, np.ndarray]], np.ndarray]) -> np.ndarray:
        """Integer codes (-1 for none) of a per-record value ``build`` reads off the columns, computed once
        under ``key`` (a value no single column holds, such as a flat within its project)."""
        if key not in self._codes:
            self._codes[key] = build(self.columns)
        return self._codes[key]

    def share_codes(self, codes: Mapping[str, np.ndarray]) -> None:
        """Reuse factor codes computed elsewhere (blocking, another context) for the same records."""
        for column, values in codes.items():
            self._codes.setdefault(column, values)

    @property
    def cached_codes(self) -> Mapping[str, np.ndarray]:
        """The per-record codes and token tables computed so far (for another context on the same records)."""
        return self._codes

    def pair_codes(self, column: str) -> tuple[np.ndarray, np.ndarray]:
        """The codes of each pair's left and right value."""
        codes = self.codes(column)
        return codes[self.left], codes[self.right]

    def token_matrix(self, column: str, width: int) -> tuple[np.ndarray, np.ndarray]:
        """Per record, up to ``width`` space-separated tokens of ``column`` (its first distinct tokens in
        sorted order) as (token ids, type codes), filling slots from the left; a token's id is 1 + its
        rank among the column's distinct tokens, its type code 1 + ord(first character) % 61; 0 marks an
        empty slot."""
        key = f"{column}#tokens{width}"
        if key not in self._codes:
            codes, uniques = pd.factorize(pd.Series(self.columns[column], dtype=object), use_na_sentinel=True)
            # One row per (distinct value, distinct token), vectorised: a Python loop over the distinct
            # values of a million texts took seconds.
            tokens = pd.Series(uniques, dtype=object).astype(str).str.split().explode().dropna()
            ids, distinct = pd.factorize(tokens.to_numpy(dtype=object), sort=True)
            span = len(distinct) + 1
            pairs = np.unique(tokens.index.to_numpy(dtype=np.int64) * span + ids)  # by value, then token
            rows, ids = pairs // span, pairs % span
            first = np.r_[0, np.flatnonzero(np.diff(rows)) + 1]
            slots = np.arange(len(rows)) - np.repeat(first, np.diff(np.r_[first, len(rows)]))
            keep = slots < width
            rows, ids, slots = rows[keep], ids[keep], slots[keep]
            used = int(slots.max(initial=0)) + 1  # trim empty slots: fewer comparisons
            type_codes = np.array([1 + ord(RANGE_OF.get(t[0], t[0])) % 61 for t in distinct], dtype=np.int64)
            bounds = np.array(
                [_bounds(t) if t[0] in BOUNDED else (np.nan, np.nan) for t in distinct], dtype=np.float64
            ).reshape(-1, 2)
            hashes = np.zeros((len(uniques) + 1, used), dtype=np.int64)
            kinds = np.zeros((len(uniques) + 1, used), dtype=np.int64)
            low = np.full((len(uniques) + 1, used), np.nan)
            high = np.full((len(uniques) + 1, used), np.nan)
            hashes[rows, slots] = ids + 1
            kinds[rows, slots] = type_codes[ids]
            low[rows, slots], high[rows, slots] = bounds[ids, 0], bounds[ids, 1]
            self._codes[key], self._codes[key + "#kinds"] = hashes[codes], kinds[codes]
            self._codes[key + "#low"], self._codes[key + "#high"] = low[codes], high[codes]
        return self._codes[key], self._codes[key + "#kinds"]

    def token_counts(self, column: str, width: int) -> np.ndarray:
        """Per record, how many slots of :meth:`token_matrix` its tokens fill (0 for null), computed once."""
        key = f"{column}#tokens{width}#counts"
        if key not in self._codes:
            hashes, _ = self.token_matrix(column, width)
            self._codes[key] = (hashes != 0).sum(axis=1)
        return self._codes[key]

    def knows_frequency(self, column: str) -> bool:
        """Whether :meth:`others_sharing` says how common ``column``'s values are in the whole data: the
        records are the whole input, or the pool's counts were shared for it."""
        return self.whole_input or f"{column}#others" in self._codes

    def share_frequencies(self, totals: Mapping[str, Mapping[Any, int]]) -> None:
        """Take how many records of the whole data carry each value (``{column: {value: records}}``,
        :func:`matching.frequencies.value_totals`) as the frequencies of these records' values.

        A value the totals lack, or count below the records here carrying it, counts as those records.
        """
        for column, counts in totals.items():
            if column not in self.columns:
                continue
            # Codes of its own: cached codes may come from blocking, numbered in another order.
            codes, uniques = pd.factorize(
                np.asarray(self.columns[column], dtype=object), use_na_sentinel=True
            )
            present = codes >= 0
            here = np.bincount(codes[present], minlength=len(uniques))
            known = pd.Series(uniques, dtype=object).map(counts).fillna(0).to_numpy(dtype=np.int64)
            whole = np.maximum(known, here)
            others = np.full(len(codes), -1, dtype=np.int64)
            others[present] = whole[codes[present]] - 1
            self._codes[f"{column}#others"] = others

    def others_sharing(self, column: str) -> np.ndarray:
        """Per record, how many other records carry its value of ``column`` (-1 for null), computed once:
        how common a value is in the data at hand (meaningful where :meth:`knows_frequency`)."""
        key = f"{column}#others"
        if key not in self._codes:
            codes = self.codes(column)
            present = codes >= 0
            counts = np.bincount(codes[present], minlength=int(codes.max(initial=-1)) + 1)
            others = np.full(len(codes), -1, dtype=np.int64)
            others[present] = counts[codes[present]] - 1
            self._codes[key] = others
        return self._codes[key]

    def token_masks(self, column: str) -> np.ndarray:
        """Per record, its space-separated tokens of ``column`` as a bit set (the first 63 distinct tokens
        in sorted order get a bit each; for short label sets such as topics); 0 for null."""
        key = f"{column}#masks"
        if key not in self._codes:
            codes, uniques = pd.factorize(pd.Series(self.columns[column], dtype=object), use_na_sentinel=True)
            sets = [set(str(value).split()) for value in uniques]
            bit = {token: 1 << i for i, token in enumerate(sorted(set().union(*sets))[:63])}
            table = np.array([sum(bit.get(t, 0) for t in tokens) for tokens in sets] + [0], dtype=np.int64)
            self._codes[key] = table[codes]
        return self._codes[key]

    def token_bounds(self, column: str, width: int) -> tuple[np.ndarray, np.ndarray]:
        """The numeric bounds of each token slot of :meth:`token_matrix` (an exact sum ``a32000``: 32000 to
        32000; a vague one ``b20000-30000``: 20000 to 30000; a month ``d202408``: its first to last day;
        NaN for tokens without bounds)."""
        key = f"{column}#tokens{width}"
        self.token_matrix(column, width)
        return self._codes[key + "#low"], self._codes[key + "#high"]

    def similarity(self, column: str, mask: np.ndarray, scorer: Scorer, scale: float) -> np.ndarray:
        """Scorer similarity on a 0-1 scale for the pairs selected by ``mask`` (0 elsewhere)."""
        out = np.zeros(len(self.left), dtype=np.float64)
        if mask.any() and not self.skip_similarity:
            values = self.columns[column]
            lhs = values[self.left[mask]]
            rhs = values[self.right[mask]]
            scores = process.cpdist(lhs, rhs, scorer=scorer, processor=None, workers=self.workers)
            out[mask] = np.asarray(scores, dtype=np.float64) / scale
        return out


class Comparison:
    """Base class: ``levels`` lists the non-null levels best first; gamma = len(levels) - 1 - position.

    Subclasses fill ``labels`` and implement :meth:`_assign`, which returns the position of each pair's
    level in ``labels`` (or -1 for null).
    """

    kind: ClassVar[str]
    similarity_thresholds: ClassVar[bool] = True

    def __init__(self, column: str, thresholds: Sequence[float] = ()) -> None:
        self.column = column
        self.thresholds = tuple(float(t) for t in thresholds)
        self._validate_thresholds()

    def _validate_thresholds(self) -> None:
        values = self.thresholds
        if self.similarity_thresholds:
            if any(not 0.0 < t <= 1.0 for t in values) or list(values) != sorted(values, reverse=True):
                raise ValueError(f"{self.kind} thresholds must be descending in (0, 1]: {values}")
        elif any(t < 0 for t in values) or list(values) != sorted(values):
            raise ValueError(f"{self.kind} thresholds must be ascending and >= 0: {values}")

    def required_columns(self) -> tuple[str, ...]:
        """The standardised columns this comparison reads."""
        return (self.column,)

    def frequency_columns(self) -> tuple[str, ...]:
        """The columns whose value frequencies (how many records of the whole data carry a value) this
        comparison reads: none, unless it splits a level by them."""
        return ()

    @property
    def labels(self) -> tuple[str, ...]:
        """Non-null level labels, best first, ending with ``else``."""
        return ("exact", *(f"similarity>={t:g}" for t in self.thresholds), "else")

    def compute(self, ctx: PairContext) -> np.ndarray:
        """Gamma per pair: -1 null, 0 else, up to ``len(labels) - 1`` for the best level."""
        position = self._assign(ctx)
        gamma = (len(self.labels) - 1 - position).astype(np.int8)
        gamma[position < 0] = NULL_LEVEL
        return gamma

    def _assign(self, ctx: PairContext) -> np.ndarray:
        raise NotImplementedError

    def _null_exact(self, ctx: PairContext, column: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Start a level array: -1 where either side is null, 0 (exact) where equal; return (pos, open mask, both)."""
        lhs, rhs = ctx.pair_codes(column)
        position = np.full(len(lhs), len(self.labels) - 1, dtype=np.int64)
        both = (lhs >= 0) & (rhs >= 0)
        position[~both] = -1
        exact = both & (lhs == rhs)
        position[exact] = 0
        return position, both & ~exact, both

    def _thresholds(self, position: np.ndarray, open_: np.ndarray, score: np.ndarray, first: int) -> None:
        """Assign the threshold levels (positions ``first``, ``first + 1`` ...) to still-open pairs."""
        for offset, threshold in enumerate(self.thresholds):
            hit = open_ & (score >= threshold - 1e-9)
            position[hit] = first + offset
            open_ &= ~hit


class ExactMatch(Comparison):
    """Null, exact, else."""

    kind = "exact_match"

    def _assign(self, ctx: PairContext) -> np.ndarray:
        position, _, _ = self._null_exact(ctx, self.column)
        return position


class TokenOverlap(Comparison):
    """Null, the same set of tokens, sets sharing a token, disjoint sets (``else``): for short sets of
    labels such as the topics a complaint names (``"wages housing"``), where sharing one label already
    says something and sharing none says the opposite."""

    kind = "token_overlap"

    @property
    def labels(self) -> tuple[str, ...]:
        return ("same", "overlap", "else")

    def _assign(self, ctx: PairContext) -> np.ndarray:
        return self._overlap(ctx, self.column)

    def _overlap(self, ctx: PairContext, column: str) -> np.ndarray:
        position, open_, _ = self._null_exact(ctx, column)
        masks = ctx.token_masks(column)
        shared = (masks[ctx.left] & masks[ctx.right]) != 0
        position[open_ & shared] = 1
        return position


class _ScorerAtThresholds(Comparison):
    scorer: ClassVar[Scorer]
    scale: ClassVar[float] = 1.0

    def _assign(self, ctx: PairContext) -> np.ndarray:
        position, open_, _ = self._null_exact(ctx, self.column)
        score = ctx.similarity(self.column, open_, type(self).scorer, self.scale)
        self._thresholds(position, open_, score, first=1)
        return position


class JaroWinklerAtThresholds(_ScorerAtThresholds):
    """Null, exact, Jaro-Winkler similarity >= each threshold, else."""

    kind = "jaro_winkler_at_thresholds"
    scorer = JaroWinkler.normalized_similarity


class LevenshteinAtThresholds(_ScorerAtThresholds):
    """Null, exact, normalised Levenshtein similarity (1 - edits / longer length) >= each threshold, else."""

    kind = "levenshtein_at_thresholds"
    scorer = Levenshtein.normalized_similarity


class RatioAtThresholds(_ScorerAtThresholds):
    """Null, exact, rapidfuzz ``fuzz.ratio`` / 100 >= each threshold, else."""

    kind = "ratio_at_thresholds"
    scorer = fuzz.ratio
    scale = 100.0


class TokenSetAtThresholds(_ScorerAtThresholds):
    """Null, exact, ``fuzz.token_set_ratio`` / 100 >= each threshold, else (on space-separated tokens)."""

    kind = "token_set_at_thresholds"
    scorer = fuzz.token_set_ratio
    scale = 100.0


class DateDiffAtThresholds(Comparison):
    """Null, then absolute difference <= each threshold (in days, ascending), else. No exact level."""

    kind = "date_diff_at_thresholds"
    similarity_thresholds = False

    @property
    def labels(self) -> tuple[str, ...]:
        return (*(f"within {t:g} days" for t in self.thresholds), "else")

    def _assign(self, ctx: PairContext) -> np.ndarray:
        values = np.asarray(ctx.columns[self.column], dtype=np.float64)
        diff = np.abs(values[ctx.left] - values[ctx.right])
        position = np.full(len(diff), len(self.thresholds), dtype=np.int64)
        for offset, threshold in reversed(tuple(enumerate(self.thresholds))):
            position[diff <= threshold] = offset
        position[np.isnan(diff)] = -1
        return position
