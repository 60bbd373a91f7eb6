"""Pairwise precision, recall and F1 of a clustering against ground truth, in O(n) by cluster-size counting."""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Mapping


def _pairs(sizes: Counter[Hashable]) -> int:
    return sum(n * (n - 1) // 2 for n in sizes.values())


def pairwise_scores(truth: Mapping[str, str], clusters: Mapping[str, str]) -> dict[str, float | int]:
    """Score ``clusters`` against ``truth`` over all record pairs, without enumerating pairs.

    A pair is predicted when both records share a cluster, true when they share a truth entity; the
    counts come from sizes: predicted = sum C(|cluster|, 2), true = sum C(|entity|, 2), correct = sum over
    (cluster, entity) intersections of C(|intersection|, 2). Only records present in both maps count.

    Args:
        truth: record_id -> entity (case) id.
        clusters: record_id -> predicted cluster id.

    Returns:
        ``precision``, ``recall``, ``f1`` and the counts ``true_pairs``, ``predicted_pairs``,
        ``correct_pairs``, ``records``.
    """
    common = truth.keys() & clusters.keys()
    entity_sizes: Counter[Hashable] = Counter(truth[r] for r in common)
    cluster_sizes: Counter[Hashable] = Counter(clusters[r] for r in common)
    both: Counter[Hashable] = Counter((clusters[r], truth[r]) for r in common)
    true_pairs, predicted, correct = _pairs(entity_sizes), _pairs(cluster_sizes), _pairs(both)
    precision = correct / predicted if predicted else 1.0
    recall = correct / true_pairs if true_pairs else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "true_pairs": true_pairs,
            "predicted_pairs": predicted, "correct_pairs": correct, "records": len(common)}  # fmt: skip
