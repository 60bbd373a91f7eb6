"""Training the Fellegi-Sunter parameters: u from random record pairs, m by EM, the priors from the data.

Deterministic: the random pairs are drawn with a seeded generator over records sorted by id, and every
EM runs on gamma patterns (distinct level combinations with their counts), summed in sorted order.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from matching.comparisons import PairContext
from matching.dispute_training import dispute_sessions
from matching.em import FLOOR, em, level_counts, patterns
from matching.scoring import (
    ModelParameters,
    comparison_vectors,
    logit2,
    part_weights,
    sigmoid2,
    void_filer_disagreement,
)

if TYPE_CHECKING:
    from matching.settings import MatchSettings

log = logging.getLogger(__name__)


@dataclass
class RandomPairs:
    """Gammas of random record pairs: every level on a large sample, except that the split of ``else``
    into rapidfuzz threshold levels comes from its first ``small`` pairs (cpdist on 1M long texts is slow)."""

    cheap: dict[str, np.ndarray]
    full: dict[str, np.ndarray]
    levels: dict[str, int]

    @classmethod
    def draw(
        cls, frame: pd.DataFrame, settings: MatchSettings, names: Sequence[str],
        codes: Mapping[str, np.ndarray] | None = None,
    ) -> RandomPairs:  # fmt: skip
        """Draw the sample (seeded) and compute the gammas of comparisons ``names`` (reusing ``codes``,
        the per-record codes the candidate pairs' comparisons already computed)."""
        n = len(frame)
        size = int(min(settings.training.u_sample_pairs, n * (n - 1) // 2))
        rng = np.random.default_rng(settings.training.seed)
        left = rng.integers(0, n, size)
        right = rng.integers(0, max(n - 1, 1), size)
        right = right + (right >= left)
        ctx = PairContext.from_frame(frame, left, right, settings.workers, True, settings.comparison_columns)
        ctx.share_codes(codes or {})
        cheap = comparison_vectors(ctx, settings, names)
        small = min(size, settings.training.u_sample_similarity)
        full = comparison_vectors(ctx.subset(small), settings, names)
        # As on the candidate pairs: a proxy's phone, home and district disagreeing is no level at all.
        void_filer_disagreement(cheap, frame, left, right, settings)
        void_filer_disagreement(full, frame, left[:small], right[:small], settings)
        levels = {
            s.name: len(c.labels)
            for s, c in zip(settings.comparisons, settings.comparison_objects, strict=True)
        }
        return cls(cheap, full, levels)

    def u(self, weights: np.ndarray | None = None) -> dict[str, np.ndarray]:
        """u per level, each pair weighted by its probability of being two different people (default 1)."""
        out = {}
        for name, cheap in self.cheap.items():
            levels = self.levels[name]
            weight = np.ones(len(cheap)) if weights is None else weights
            counts = level_counts(cheap, levels, weight)
            full = self.full[name]
            rest = cheap[: len(full)] == 0
            if rest.any() and counts[-1] > 0:
                split = level_counts(full[rest], levels, weight[: len(full)][rest])
                if split.sum() > 0:
                    counts = counts.copy()
                    rest_mass = counts[-1]
                    counts[-1] = 0.0
                    counts += rest_mass * split / split.sum()
            u = (counts + 1.0 / levels) / (counts.sum() + 1.0)
            out[name] = np.clip(u, FLOOR, 1 - FLOOR)
        return out


def _kept_fixed(
    u: dict[str, np.ndarray], start: ModelParameters, fixed: Sequence[str]
) -> dict[str, np.ndarray]:
    """``u`` with the ``training.fixed_u`` comparisons' values kept as they were. The random pairs that agree
    on a board account's handle are one writer's posts, whose weight as two people the model, seeing the
    handle alone, puts at most of one: estimated, u was the accounts' own repeat rate (3e-4 on a 20k set,
    300 times the settings' value), and the handle weighed too little to say one person."""
    return {name: (start.u[name] if name in fixed else values) for name, values in u.items()}


def _guard(m: dict[str, np.ndarray], start: ModelParameters) -> list[str]:
    """Undo degenerate EM estimates: a comparison whose best level ends up no more likely among matches
    than among non-matches (m <= u) has lost its meaning; it falls back to the settings' m."""
    reverted = []
    for name, values in list(m.items()):
        if values[0] <= start.u[name][0] or not np.isfinite(values).all():
            m[name] = np.array(start.m[name], dtype=np.float64)
            reverted.append(name)
    return reverted


def _rule_inputs(columns: Sequence[str]) -> set[str]:
    """A rule's columns plus their siblings' prefix (name_pinyin also rules out the name_norm comparison)."""
    return set(columns) | {column.rsplit("_", 1)[0] for column in columns}


def _reads(spec_columns: Sequence[str], inputs: set[str]) -> bool:
    return any(c in inputs or c.rsplit("_", 1)[0] in inputs for c in spec_columns)


def person_sessions(
    gammas: Mapping[str, np.ndarray], rule_bits: np.ndarray, start: ModelParameters, settings: MatchSettings
) -> tuple[dict[str, np.ndarray], dict[str, object]]:
    """Splink's training sessions: one EM per training rule (``training.em_rules``, blocking rules whose
    pairs are mostly one person's: phone, id, name) over the pairs that rule produced, leaving out the
    comparisons on the rule's own columns (they agree by construction and would swamp the E-step).
    Each person comparison's m is the mean over the sessions that estimated it. A rule whose pairs are
    mostly different people (a shared address: group disputes) drifts toward "same group" and is left out."""
    estimates: dict[str, list[np.ndarray]] = {}
    sessions: dict[str, object] = {}
    person = [s for s in settings.comparisons if s.part == "person"]
    chosen = set(settings.training.em_rules) or {rule.columns for rule in settings.blocking_rules}
    for index, rule in enumerate(settings.blocking_rules):
        if rule.columns not in chosen:
            continue
        selected = (rule_bits >> index) & 1 == 1
        inputs = _rule_inputs(rule.columns)
        active = [s.name for s in person if not _reads(s.build().required_columns(), inputs)]
        if not active or selected.sum() < settings.training.em_min_pairs:
            continue
        pattern, counts = patterns({n: gammas[n][selected] for n in active}, active)
        m, share, iterations = em(pattern, counts, start, settings, active, 0.5)
        reverted = _guard(m, start)
        for name in reverted:
            m.pop(name)
        for name, values in m.items():
            estimates.setdefault(name, []).append(values)
        sessions[rule.name] = {"pairs": int(selected.sum()), "iterations": iterations, "match_share": round(share, 4),
                               "estimated": sorted(m), "reverted": reverted}  # fmt: skip
    return {name: np.mean(values, axis=0) for name, values in estimates.items()}, sessions


def _person_prior(
    weight: np.ndarray, total_pairs: float, start: float, iterations: int = 100
) -> tuple[float, np.ndarray]:
    """P(two random records are the same person), as the fixed point of lambda = (expected same-person
    pairs among the blocked pairs) / (all pairs), and each blocked pair's posterior under it.

    The posterior uses this global prior with every person Bayes factor (as Splink predicts): the share
    of matches among blocked pairs would count the agreement that put a pair in a block twice.
    """
    prior = start
    posterior = sigmoid2(weight + logit2(prior))
    for _ in range(iterations):
        new = float(np.clip(posterior.sum() / total_pairs, 1e-12, 0.5))
        posterior = sigmoid2(weight + logit2(new))
        if abs(new - prior) <= 1e-4 * prior:
            break
        prior = new
    return prior, posterior


def train(
    frame: pd.DataFrame,
    gammas: Mapping[str, np.ndarray],
    rule_bits: np.ndarray,
    settings: MatchSettings,
    codes: Mapping[str, np.ndarray] | None = None,
    labels: tuple[np.ndarray, np.ndarray] | None = None,
) -> tuple[ModelParameters, dict[str, object]]:
    """Estimate the model on one data set.

    u (different people) for every comparison comes from random record pairs, each weighted by its
    probability of not being the same person (so the few true matches among random pairs do not inflate
    u on small data sets). Then, twice: person m by EM sessions per blocking rule; the person prior as
    the expected same-person pairs among the blocked pairs over all pairs; the dispute part by
    :func:`dispute_sessions`.

    Args:
        frame: the standardised records (for the random pairs).
        gammas: gamma per comparison over the blocked candidate pairs.
        rule_bits: which blocking rules produced each pair.
        settings: the starting parameters and training options.
        codes: per-record codes already computed for these records (saves recomputing them).
        labels: reviewer labels on candidate pairs, ``(pair index, is same)``
            (:func:`matching.labels.label_positions`): they clamp their pairs' class in the dispute EM.

    Returns:
        ``(parameters, stats)``.
    """
    params = ModelParameters.from_settings(settings)
    options = settings.training
    n = len(frame)
    if (
        not (options.estimate_u or options.estimate_m)
        or n < max(options.min_records, 2)
        or len(rule_bits) == 0
    ):
        return params, {"skipped": f"{n} records (training needs {options.min_records})"}
    names = [s.name for s in settings.comparisons]
    dispute_names = [s.name for s in settings.comparisons if s.part == "dispute"]
    sample = RandomPairs.draw(frame, settings, names, codes) if options.estimate_u else None
    if sample is not None:
        params = params.replace(u=_kept_fixed(sample.u(), params, options.fixed_u))
    stats: dict[str, object] = {}
    for _ in range(options.rounds):
        if options.estimate_m:
            m_person, stats["person_sessions"] = person_sessions(gammas, rule_bits, params, settings)
            params = params.replace(m=m_person)
        weight = part_weights(gammas, params, settings, "person")
        if options.estimate_prior:
            prior, same_person = _person_prior(weight, n * (n - 1) / 2, params.prior_person)
            params = params.replace(prior_person=prior)
        else:
            same_person = sigmoid2(weight + logit2(params.prior_person))
        if options.estimate_m and dispute_names:
            m_dispute, u_same, prior_dispute, stats["dispute"] = dispute_sessions(
                gammas, same_person, params, settings, dispute_names, labels
            )
            params = params.replace(m=m_dispute, u_same_person=u_same, prior_dispute=prior_dispute)
        if sample is not None:
            person = sigmoid2(
                logit2(params.prior_person) + part_weights(sample.cheap, params, settings, "person")
            )
            params = params.replace(u=_kept_fixed(sample.u(1.0 - person), params, options.fixed_u))
    if labels is not None:
        stats["labels"] = {"labelled_pairs": int(len(labels[0])), "same": int(labels[1].sum())}
    stats.update({"prior_person": params.prior_person, "prior_dispute": params.prior_dispute})
    unreliable = unreliable_estimates(stats)
    for message in unreliable:
        log.warning("matching training: %s", message)
    stats["unreliable"] = unreliable
    return params, stats


def unreliable_estimates(stats: Mapping[str, object]) -> list[str]:
    """What training could not estimate from this data and kept from the settings, in words.

    Args:
        stats: :func:`train`'s stats.

    Returns:
        One sentence per skipped part or reverted comparison (empty when every estimate stands).
    """
    found = []
    sessions = stats.get("person_sessions")
    if isinstance(sessions, Mapping):
        for rule, session in sessions.items():
            if isinstance(session, Mapping) and session.get("reverted"):
                found.append(
                    f"person EM on {rule}: {session['reverted']} kept the settings' m (degenerate estimate)"
                )
    dispute = stats.get("dispute")
    if isinstance(dispute, Mapping):
        if dispute.get("skipped"):
            found.append(f"dispute part kept the settings' values: {dispute['skipped']}")
        if dispute.get("neutral"):
            found.append(
                f"dispute EM: {dispute['neutral']} made neutral (agreement no likelier for one dispute)"
            )
        if dispute.get("reverted"):
            found.append(f"dispute EM: {dispute['reverted']} kept the settings' values (degenerate estimate)")
    return found
