"""Expectation-maximisation over gamma patterns: the counting and the loop every training session shares."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np

from matching._arrays import unique_inverse
from matching.scoring import ModelParameters, logit2, sigmoid2

if TYPE_CHECKING:
    from matching.settings import MatchSettings

# No estimated probability is exactly 0 or 1: a level never seen keeps a finite weight.
FLOOR = 1e-6
# Pattern spaces up to this size (the product of the comparisons' level counts) are counted in a table.
_TABLE_MAX = 1 << 22


def level_counts(gamma: np.ndarray, levels: int, weights: np.ndarray | None = None) -> np.ndarray:
    """(Weighted) counts per level, best level first; nulls are not counted."""
    valid = gamma >= 0
    counts = np.bincount(gamma[valid].astype(np.int64), weights=None if weights is None else weights[valid],
                         minlength=levels)  # fmt: skip
    return np.asarray(counts[::-1], dtype=np.float64)


def patterns(
    gammas: Mapping[str, np.ndarray], names: Sequence[str], weights: np.ndarray | None = None
) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """Collapse pairs to their distinct gamma patterns (EM then runs on a few hundred rows, not millions).

    Each pair's gammas are packed into one integer (mixed radix); the integers are counted in one table
    when there are few enough of them to tabulate, else sorted.
    """
    code = np.zeros(len(gammas[names[0]]) if names else 0, dtype=np.int64)
    radix = []
    for name in names:
        base = int(gammas[name].max(initial=0)) + 2  # gamma -1 .. max
        radix.append(base)
        code *= base  # in place: a pass over millions of pairs allocates nothing but the codes
        code += gammas[name]
        code += 1
    space = math.prod(radix)
    if space <= _TABLE_MAX:
        # Linear, and no sort's order and inverse arrays (two more int64 per pair) at training's peak.
        unique = np.flatnonzero(np.bincount(code, minlength=space))
        counts = np.bincount(code, weights=weights, minlength=space)[unique].astype(np.float64)
    else:
        unique, inverse = unique_inverse(code)
        counts = np.bincount(inverse.ravel(), weights=weights, minlength=len(unique)).astype(np.float64)
    out: dict[str, np.ndarray] = {}
    rest = unique.copy()
    for name, base in zip(reversed(names), reversed(radix), strict=True):
        out[name] = rest % base - 1
        rest //= base
    return {name: out[name] for name in names}, counts


def em(
    pattern: Mapping[str, np.ndarray], counts: np.ndarray, start: ModelParameters, settings: MatchSettings,
    names: Sequence[str], prior: float,
) -> tuple[dict[str, np.ndarray], float, int]:  # fmt: skip
    """EM for the m of comparisons ``names`` (u fixed), with a Dirichlet pull of ``em_pseudo_count``
    pairs' worth toward the settings' m (so a level EM never sees keeps a small, finite m).

    Returns:
        ``(m, share of matches among these pairs, iterations)``.
    """
    specs = {s.name: s for s in settings.comparisons if s.name in names}
    options = settings.training
    m = {n: np.array(start.m[n], dtype=np.float64) for n in specs}
    iterations = 0
    while iterations < options.em_iterations:
        iterations += 1
        weight = np.full(len(counts), logit2(prior))
        for n in specs:
            weight += np.append(np.log2(m[n] / start.u[n])[::-1], 0.0)[pattern[n]]
        expected = sigmoid2(weight) * counts
        change = 0.0
        for n, spec in specs.items():
            new = smoothed(
                level_counts(pattern[n], len(spec.m), expected), np.asarray(spec.m), options.em_pseudo_count
            )
            change = max(change, float(np.abs(new - m[n]).max()))
            m[n] = new
        prior = float(np.clip(expected.sum() / max(counts.sum(), 1e-9), 1e-6, 1 - 1e-6))
        if change < options.em_tolerance:
            break
    return m, prior, iterations


def smoothed(observed: np.ndarray, anchor: np.ndarray, pseudo: float) -> np.ndarray:
    values = np.clip((observed + pseudo * anchor) / (observed.sum() + pseudo), FLOOR, 1 - FLOOR)
    return np.asarray(values / values.sum(), dtype=np.float64)
