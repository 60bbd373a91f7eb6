"""Pairwise precision/recall/F1 from cluster sizes equals brute-force pair counting."""

from __future__ import annotations

import itertools
import random

import pytest

from matching import pairwise_scores


def _brute(truth: dict[str, str], clusters: dict[str, str]) -> tuple[int, int, int]:
    ids = sorted(truth)
    true = {(a, b) for a, b in itertools.combinations(ids, 2) if truth[a] == truth[b]}
    predicted = {(a, b) for a, b in itertools.combinations(ids, 2) if clusters[a] == clusters[b]}
    return len(true), len(predicted), len(true & predicted)


@pytest.mark.unit
@pytest.mark.parametrize("seed", [pytest.param(s, id=f"seed {s}") for s in (1, 2, 3)])
def test_counts_match_brute_force(seed: int) -> None:
    rng = random.Random(seed)
    truth = {f"r{i}": f"e{rng.randrange(15)}" for i in range(60)}
    clusters = {r: (e if rng.random() < 0.8 else f"c{rng.randrange(15)}") for r, e in truth.items()}
    scores = pairwise_scores(truth, clusters)
    assert (scores["true_pairs"], scores["predicted_pairs"], scores["correct_pairs"]) == _brute(
        truth, clusters
    )


@pytest.mark.unit
def test_perfect_and_empty_clusterings() -> None:
    truth = {"a": "1", "b": "1", "c": "2"}
    assert pairwise_scores(truth, {"a": "x", "b": "x", "c": "y"})["f1"] == 1.0
    singletons = pairwise_scores(truth, {"a": "x", "b": "y", "c": "z"})
    assert (singletons["precision"], singletons["recall"]) == (1.0, 0.0)
