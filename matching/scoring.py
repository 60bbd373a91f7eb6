"""Fellegi-Sunter scoring with three classes: same case, same person with another dispute, different people.

A plain two-class Fellegi-Sunter model cannot tell one person's two disputes apart: agreeing name,
phone and id outweigh any disagreement in category or time. So the comparisons are split by ``part``:
person fields (name, phone, id, address, district) and dispute fields (category, time, facts). Person
comparisons have m (same person) and u (different people); dispute comparisons have m (same dispute),
``u_same_person`` (the same person's other dispute) and u (different people). With priors
lambda_p = P(same person) and lambda_d = P(same dispute | same person), per pair (naive Bayes):

    case          lambda_p * lambda_d       * prod m_person * prod m_dispute
    other dispute lambda_p * (1 - lambda_d) * prod m_person * prod u_same_person
    other person  (1 - lambda_p)            * prod u_person * prod u_dispute

``match_probability`` is the first over the sum. Strong dispute evidence (same day, same facts) can
thus carry a pair whose person evidence is weak (a relative's phone), while two reports of one person
must still agree on the dispute. Parameters: see :mod:`matching.training`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from matching._workers import worker_count
from matching.comparisons import PairContext

if TYPE_CHECKING:
    from matching.settings import MatchSettings


@dataclass(frozen=True)
class ModelParameters:
    """m and u per comparison level (best level first, as in ``Comparison.labels``), ``u_same_person`` for
    dispute comparisons, and the two priors."""

    m: Mapping[str, np.ndarray]
    u: Mapping[str, np.ndarray]
    u_same_person: Mapping[str, np.ndarray]
    prior_person: float
    prior_dispute: float

    @classmethod
    def from_settings(cls, settings: MatchSettings) -> ModelParameters:
        """The parameters written in the settings (the packaged, pre-trained model)."""
        return cls(
            m={c.name: np.asarray(c.m, dtype=np.float64) for c in settings.comparisons},
            u={c.name: np.asarray(c.u, dtype=np.float64) for c in settings.comparisons},
            u_same_person={
                c.name: np.asarray(c.u_same_person, dtype=np.float64)
                for c in settings.comparisons
                if c.part == "dispute"
            },  # fmt: skip
            prior_person=settings.prior_person,
            prior_dispute=settings.prior_dispute,
        )

    def replace(self, **changes: object) -> ModelParameters:
        """A copy with some fields replaced (mappings are merged into the existing ones)."""
        values: dict[str, object] = {
            "m": self.m, "u": self.u, "u_same_person": self.u_same_person,
            "prior_person": self.prior_person, "prior_dispute": self.prior_dispute,
        }  # fmt: skip
        for key, value in changes.items():
            values[key] = {**values[key], **value} if isinstance(value, Mapping) else value  # type: ignore[dict-item]
        return ModelParameters(**values)  # type: ignore[arg-type]

    def log_bayes_factors(self, name: str) -> np.ndarray:
        """log2(m/u) indexed by gamma (gamma g is level ``len - 1 - g``), with a trailing 0 for null (-1)."""
        return _by_gamma(np.log2(self.m[name] / self.u[name]))


def _by_gamma(per_level: np.ndarray) -> np.ndarray:
    """Re-index per-level values (best first) by gamma, with a trailing 0 read by gamma -1 (null)."""
    return np.append(np.asarray(per_level, dtype=np.float64)[::-1], 0.0)


# Pairs compared at once: a comparison's temporaries (both sides' codes, token slots, scores) take tens
# of bytes a pair each, so ten million pairs at once would cost gigabytes the int8 gammas do not need.
PAIR_CHUNK = 1_000_000
# Below this many pairs, threads cost more than they save.
PARALLEL_MIN_PAIRS = 200_000


def comparison_vectors(
    ctx: PairContext, settings: MatchSettings, names: Sequence[str] | None = None
) -> dict[str, np.ndarray]:
    """Gamma per comparison (or only the comparisons ``names``) for the pairs in ``ctx``, computed
    :data:`PAIR_CHUNK` pairs at a time (the per-record caches are shared across the chunks).

    With ``ctx.workers`` above 1 the chunks are compared on that many threads: the comparisons are numpy
    and rapidfuzz work that runs outside the GIL, and threads share the records instead of copying them.
    """
    chosen = [
        (spec.name, comparison)
        for spec, comparison in zip(settings.comparisons, settings.comparison_objects, strict=True)
        if names is None or spec.name in names
    ]
    n, threads = len(ctx.left), worker_count(ctx.workers)
    if n <= PAIR_CHUNK and (threads == 1 or n < PARALLEL_MIN_PAIRS):
        return {name: comparison.compute(ctx) for name, comparison in chosen}
    out = {name: np.empty(n, dtype=np.int8) for name, _ in chosen}
    size = PAIR_CHUNK if threads == 1 else min(PAIR_CHUNK, -(-n // threads))

    def compare(start: int) -> None:
        chunk = ctx.window(start, min(start + size, n), workers=1 if threads > 1 else ctx.workers)
        for name, comparison in chosen:
            out[name][start : start + len(chunk.left)] = comparison.compute(chunk)

    if threads == 1:
        for start in range(0, n, size):
            compare(start)
        return out
    # The per-record caches (codes, token tables, counts) are filled once, before the threads share them.
    for _, comparison in chosen:
        comparison.compute(ctx.window(0, 1))
    with ThreadPoolExecutor(max_workers=threads, thread_name_prefix="compare") as pool:
        list(pool.map(compare, range(0, n, size)))
    return out


def void_filer_disagreement(
    gammas: dict[str, np.ndarray],
    std: pd.DataFrame,
    left: np.ndarray,
    right: np.ndarray,
    settings: MatchSettings,
) -> None:
    """Null, in place, the last level (they disagree) of ``settings.filer_comparisons`` on pairs (candidate
    or random) with a report filed for someone else (``settings.proxy_flag``): its phone, home and
    district are the filer's own, so their disagreement with the represented person's says nothing,
    while their agreement (the filer's other reports for the same person) still does. On a pair with a
    report an agent filed for a resident (``settings.agent_flag``), every level of
    ``settings.agent_comparisons``: a grid worker's phone is on many residents' reports."""
    if settings.agent_comparisons and settings.agent_flag in std:
        # An agent's phone: every level is the agent's, agreeing on it too (one grid worker, two residents).
        flag = std[settings.agent_flag].fillna(False).to_numpy(dtype=bool)
        agent = flag[left] | flag[right]
        for name in settings.agent_comparisons:
            if name in gammas:
                gammas[name][agent] = -1
    if not settings.filer_comparisons or settings.proxy_flag not in std:
        return
    flag = std[settings.proxy_flag].fillna(False).to_numpy(dtype=bool)
    proxy = flag[left] | flag[right]
    if not proxy.any():
        return
    for name in settings.filer_comparisons:
        if name in gammas:  # a caller may have computed only some comparisons
            gamma = gammas[name]
            gamma[proxy & (gamma == 0)] = -1


def logit2(p: float | np.ndarray) -> float | np.ndarray:
    """log2(p / (1 - p)): a probability as a match weight."""
    return np.log2(p) - np.log2(1.0 - p)


def sigmoid2(weight: np.ndarray) -> np.ndarray:
    """The inverse of :func:`logit2`."""
    probability: np.ndarray = 1.0 / (1.0 + np.exp2(-np.clip(weight, -60.0, 60.0)))
    return probability


def part_weights(
    gammas: Mapping[str, np.ndarray], params: ModelParameters, settings: MatchSettings, part: str
) -> np.ndarray:
    """Sum of log2(m/u) over the comparisons of one part (no prior)."""
    total = np.zeros(len(next(iter(gammas.values()))) if gammas else 0, dtype=np.float64)
    for spec in settings.comparisons:
        if spec.part == part and spec.name in gammas:
            total += params.log_bayes_factors(spec.name)[gammas[spec.name]]
    return total


def predict(
    gammas: Mapping[str, np.ndarray], params: ModelParameters, settings: MatchSettings
) -> pd.DataFrame:
    """Weights and probability per pair under the three-class model (module docstring).

    Returns:
        DataFrame ``[person_weight, dispute_weight, match_weight, match_probability]``: ``person_weight``
        is logit2(lambda_p) + sum log2(m/u) over person comparisons; ``dispute_weight`` is
        logit2(lambda_d) + sum log2(m/u_same_person) over dispute comparisons (same dispute vs the same
        person's other dispute); ``match_weight`` = log2(p / (1 - p)).
    """
    n = len(next(iter(gammas.values()))) if gammas else 0
    columns = ("person_weight", "dispute_weight", "match_weight", "match_probability")
    out = {name: np.empty(n, dtype=np.float64) for name in columns}
    # A million pairs at a time: the sum's temporaries (eight float arrays) would otherwise take twice
    # what the four result columns take, at the run's peak.
    for start in range(0, n, PAIR_CHUNK):
        part = {name: gamma[start : start + PAIR_CHUNK] for name, gamma in gammas.items()}
        for name, values in zip(columns, _predict_part(part, params, settings), strict=True):
            out[name][start : start + PAIR_CHUNK] = values
    return pd.DataFrame(out, copy=False)


def _predict_part(
    gammas: Mapping[str, np.ndarray], params: ModelParameters, settings: MatchSettings
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    person = part_weights(gammas, params, settings, "person")
    n = len(person)
    versus_other, versus_random = np.zeros(n), np.zeros(n)
    for spec in settings.comparisons:
        if spec.part == "dispute" and spec.name in gammas:
            gamma = gammas[spec.name]
            m = params.m[spec.name]
            versus_other += _by_gamma(np.log2(m / params.u_same_person[spec.name]))[gamma]
            versus_random += _by_gamma(np.log2(m / params.u[spec.name]))[gamma]
    lp, ld = params.prior_person, params.prior_dispute
    # Log2 odds of each class against "other person", all divided by prod u_person * prod u_dispute.
    case = np.log2(lp * ld) - np.log2(1.0 - lp) + person + versus_random
    other_dispute = np.log2(lp * (1.0 - ld)) - np.log2(1.0 - lp) + person + versus_random - versus_other
    rest = np.logaddexp2(other_dispute, 0.0)
    weight = case - rest
    return logit2(lp) + person, logit2(ld) + versus_other, weight, sigmoid2(weight)
