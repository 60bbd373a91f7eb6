"""Reviewers' verdicts as a fixed model's teacher: supervised m per comparison level, for incremental passes.

The pool's incremental passes score with fixed parameters (the same for every batch and every partition),
so they cannot run the dispute EM that :func:`matching.dedupe` clamps with labels. Instead, ``same``
verdicts on scored pairs estimate m directly: for each comparison, the share of same-case pairs at each
level, shrunk towards the packaged m as if that were ``prior_pairs`` labelled pairs (a few labels nudge
it, hundreds decide it). A comparison with fewer than ``min_same`` labelled levels keeps the packaged m
and is named in the stats as unreliable. ``different`` verdicts do not move m (two records of one person
about two disputes and two people look alike to them), and u stays: it is learnt from random pairs.
Reviewers pick uncertain pairs, a biased sample: the shrinkage is what keeps that bias from taking over.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from matching.scoring import ModelParameters
from matching.settings import MatchSettings

PRIOR_PAIRS = 50.0
MIN_SAME = 20


def supervised_parameters(
    settings: MatchSettings,
    labelled: Sequence[Mapping[str, Any]],
    start: ModelParameters | None = None,
    prior_pairs: float = PRIOR_PAIRS,
    min_same: int = MIN_SAME,
) -> tuple[ModelParameters, dict[str, Any]]:
    """Parameters whose m is learnt from labelled pairs where there are enough of them.

    Args:
        settings: the model (its comparisons and packaged m).
        labelled: ``{decision, levels}`` per labelled pair: ``levels`` maps a comparison to its gamma
            (higher is closer, -1 null), as ``match_pair.levels`` stores it.
        start: the parameters to refine (default: the settings').
        prior_pairs: how many labelled pairs the starting m counts as.
        min_same: the fewest non-null ``same`` levels a comparison needs to be learnt.

    Returns:
        ``(parameters, stats)``: stats name the labels used, the comparisons learnt and those kept.
    """
    params = start or ModelParameters.from_settings(settings)
    same = [row["levels"] for row in labelled if row.get("decision") == "same" and row.get("levels")]
    learnt: dict[str, np.ndarray] = {}
    kept = []
    for spec in settings.comparisons:
        prior = np.asarray(params.m[spec.name], dtype=np.float64)
        gammas = np.array(
            [int(g) for g in (lv.get(spec.name) for lv in same) if g is not None], dtype=np.int64
        )
        gammas = gammas[(gammas >= 0) & (gammas < len(prior))]
        if len(gammas) < min_same:
            kept.append(spec.name)
            continue
        counts = np.bincount(len(prior) - 1 - gammas, minlength=len(prior)).astype(np.float64)
        learnt[spec.name] = (counts + prior_pairs * prior) / (len(gammas) + prior_pairs)
    stats = {
        "labels_same": len(same),
        "labels_different": sum(1 for row in labelled if row.get("decision") == "different"),
        "learnt": sorted(learnt),
        "unreliable": kept,
    }
    return (params.replace(m=learnt) if learnt else params), stats


def parameters_to_dict(params: ModelParameters) -> dict[str, Any]:
    """The parameters as JSON-ready data (a matching run's plan stores them for its partitions)."""
    return {
        "m": {k: [float(x) for x in v] for k, v in params.m.items()},
        "u": {k: [float(x) for x in v] for k, v in params.u.items()},
        "u_same_person": {k: [float(x) for x in v] for k, v in params.u_same_person.items()},
        "prior_person": float(params.prior_person),
        "prior_dispute": float(params.prior_dispute),
    }


def parameters_from_dict(data: Mapping[str, Any]) -> ModelParameters:
    """The inverse of :func:`parameters_to_dict`."""

    def arrays(key: str) -> dict[str, np.ndarray]:
        return {k: np.asarray(v, dtype=np.float64) for k, v in data[key].items()}

    return ModelParameters(
        m=arrays("m"),
        u=arrays("u"),
        u_same_person=arrays("u_same_person"),
        prior_person=float(data["prior_person"]),
        prior_dispute=float(data["prior_dispute"]),
    )
