"""Training the dispute part: same dispute against the same person's other dispute, by one joint EM."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np

from matching.em import level_counts, patterns, smoothed
from matching.scoring import ModelParameters, logit2, sigmoid2

if TYPE_CHECKING:
    from matching.settings import MatchSettings


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
    free = same_person if labels is None else np.array(same_person, dtype=np.float64)  # copied to clamp
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
            new_m = smoothed(observed_m, np.asarray(spec.m), pseudo)
            if n in independent:
                new_u = u[n]
            else:
                observed_u = level_counts(pattern[n], len(spec.m), other) + fixed_other[n]
                new_u = smoothed(observed_u, np.asarray(spec.u_same_person), pseudo)
            change = max(change, float(np.abs(new_m - m[n]).max()), float(np.abs(new_u - u[n]).max()))
            m[n], u[n] = new_m, new_u
        prior = float(np.clip(same.sum() / max(counts.sum(), 1e-9), 0.02, 0.98))
        if change < options.em_tolerance:
            break
    reverted = [n for n in specs if not (np.isfinite(m[n]).all() and np.isfinite(u[n]).all())]
    for n in reverted:
        m.pop(n)
        u.pop(n)
    # A comparison whose best level is no likelier for one dispute than for two tells nothing on this
    # data (a city whose channels file one dispute under any category): it becomes neutral, not the
    # settings' values, which would let it decide against what the data shows.
    neutral = [n for n in m if not m[n][0] > u[n][0]]
    for n in neutral:
        m[n] = u[n] = (m[n] + u[n]) / 2.0
    stats = {"same_person_pairs": round(weight_total, 1), "same_dispute_share": round(prior, 4),
             "iterations": iterations, "reverted": reverted, "neutral": neutral}  # fmt: skip
    return m, u, prior, stats
