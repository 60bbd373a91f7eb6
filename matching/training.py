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

from matching._arrays import unique_inverse
from matching.comparisons import PairContext
from matching.scoring import ModelParameters, comparison_vectors, logit2, part_weights, sigmoid2

if TYPE_CHECKING:
    from matching.settings import MatchSettings

log = logging.getLogger(__name__)
_FLOOR = 1e-6


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
        full = comparison_vectors(
            ctx.subset(min(size, settings.training.u_sample_similarity)), settings, names
        )
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
            out[name] = np.clip(u, _FLOOR, 1 - _FLOOR)
        return out


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

    Each pair's gammas are packed into one integer (mixed radix), so this is one sort.
    """
    code = np.zeros(len(gammas[names[0]]) if names else 0, dtype=np.int64)
    radix = []
    for name in names:
        base = int(gammas[name].max(initial=0)) + 2  # gamma -1 .. max
        radix.append(base)
        code = code * base + (gammas[name].astype(np.int64) + 1)
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
            new = _smoothed(
                level_counts(pattern[n], len(spec.m), expected), np.asarray(spec.m), options.em_pseudo_count
            )
            change = max(change, float(np.abs(new - m[n]).max()))
            m[n] = new
        prior = float(np.clip(expected.sum() / max(counts.sum(), 1e-9), 1e-6, 1 - 1e-6))
        if change < options.em_tolerance:
            break
    return m, prior, iterations


def _smoothed(observed: np.ndarray, anchor: np.ndarray, pseudo: float) -> np.ndarray:
    values = np.clip((observed + pseudo * anchor) / (observed.sum() + pseudo), _FLOOR, 1 - _FLOOR)
    return np.asarray(values / values.sum(), dtype=np.float64)


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
        params = params.replace(u=sample.u())
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
            params = params.replace(u=sample.u(1.0 - person))
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
        if dispute.get("reverted"):
            found.append(f"dispute EM: {dispute['reverted']} kept the settings' values (degenerate estimate)")
    return found


def dispute_sessions(
    gammas: Mapping[str, np.ndarray], same_person: np.ndarray, params: ModelParameters, settings: MatchSettings,
    names: Sequence[str], labels: tuple[np.ndarray, np.ndarray] | None = None,
) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray], float, dict[str, object]]:  # fmt: skip
    """The dispute part: one EM over the blocked pairs, each weighted by its same-person probability.

    Among one person's pairs the two classes are "same dispute" (m) and "another dispute of the same
    person" (``u_same_person``); random pairs are no sample of the second, so both sides are estimated
    here, jointly for every dispute comparison (category, report time, facts), with the prior
    P(same dispute | same person). No comparison is trusted to split the classes on its own: where
    channels file one dispute under different categories, or repeat reports come weeks apart, the data
    says so through the other comparisons. Both sides get a Dirichlet pull of ``em_pseudo_count`` pairs'
    worth toward the settings' values (starting points, not anchors: a few hundred pairs outweigh them).
    The "same dispute" class is the one whose report times are closer: if EM converged with the two
    classes swapped, or a comparison ends with its best level likelier among other disputes, that
    comparison keeps the settings' values and the stats say so.

    Labelled pairs (``labels``) leave the EM's pool and come back with their class fixed, each worth
    ``training.label_weight`` pairs: a ``same`` label is one person's one dispute; a ``different`` label
    counts as another dispute in proportion to its same-person probability.

    Returns:
        ``(m, u_same_person, prior_dispute, stats)``; empty dicts (settings kept) when there are too few pairs.
    """
    options = settings.training
    specs = {s.name: s for s in settings.comparisons if s.name in names}
    weight_total = float(same_person.sum())
    if weight_total < options.em_min_pairs:
        return {}, {}, params.prior_dispute, {"skipped": f"too few same-person pairs ({weight_total:.0f})"}
    free = np.array(same_person, dtype=np.float64)
    fixed_same = {n: np.zeros(len(s.m)) for n, s in specs.items()}
    fixed_other = {n: np.zeros(len(s.m)) for n, s in specs.items()}
    if labels is not None and len(labels[0]):
        index, is_same = labels
        free[index] = 0.0
        for n, spec in specs.items():
            same_at, other_at = index[is_same], index[~is_same]
            fixed_same[n] = level_counts(
                gammas[n][same_at], len(spec.m), np.full(len(same_at), options.label_weight)
            )
            fixed_other[n] = level_counts(
                gammas[n][other_at], len(spec.m), options.label_weight * same_person[other_at]
            )
    pattern, counts = patterns({n: gammas[n] for n in specs}, list(specs), free)
    m = {n: np.array(params.m[n], dtype=np.float64) for n in specs}
    # Another dispute of the same person is placed in time and quotes its facts independently of this
    # one: for those comparisons it looks like two random records (u, from random pairs). That pins the
    # "other dispute" class, so EM cannot swap it with a same dispute whose reports are scattered.
    independent = set(options.independent_disputes) & set(specs)
    u = {
        n: np.array(params.u[n] if n in independent else params.u_same_person[n], dtype=np.float64)
        for n in specs
    }
    prior = params.prior_dispute
    iterations, pseudo = 0, options.em_pseudo_count
    while iterations < options.em_iterations * 4:
        iterations += 1
        weight = np.full(len(counts), logit2(prior))
        for n in specs:
            weight += np.append(np.log2(m[n] / u[n])[::-1], 0.0)[pattern[n]]
        posterior = sigmoid2(weight)
        same, other = posterior * counts, (1.0 - posterior) * counts
        change = 0.0
        for n, spec in specs.items():
            observed_m = level_counts(pattern[n], len(spec.m), same) + fixed_same[n]
            new_m = _smoothed(observed_m, np.asarray(spec.m), pseudo)
            if n in independent:
                new_u = u[n]
            else:
                observed_u = level_counts(pattern[n], len(spec.m), other) + fixed_other[n]
                new_u = _smoothed(observed_u, np.asarray(spec.u_same_person), pseudo)
            change = max(change, float(np.abs(new_m - m[n]).max()), float(np.abs(new_u - u[n]).max()))
            m[n], u[n] = new_m, new_u
        prior = float(np.clip(same.sum() / max(counts.sum(), 1e-9), 0.02, 0.98))
        if change < options.em_tolerance:
            break
    reverted = [n for n in specs if not (m[n][0] > u[n][0]) or not np.isfinite(m[n]).all()]
    for n in reverted:
        m.pop(n)
        u.pop(n)
    stats = {"same_person_pairs": round(weight_total, 1), "same_dispute_share": round(prior, 4),
             "iterations": iterations, "reverted": reverted}  # fmt: skip
    return m, u, prior, stats
