"""matching.em: the gamma patterns EM runs on."""

from __future__ import annotations

import numpy as np
import pytest

import matching.em as em

pytestmark = pytest.mark.unit


def _gammas(seed: int, n: int) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    return {
        "name": rng.integers(-1, 5, n).astype(np.int8),
        "phone": rng.integers(-1, 2, n).astype(np.int8),
        "facts": rng.integers(-1, 4, n).astype(np.int8),
    }


def test_each_distinct_pattern_once_with_its_count_and_weight() -> None:
    gammas = {"a": np.array([1, 0, 1, -1, 1], dtype=np.int8), "b": np.array([2, 2, 2, 0, 0], dtype=np.int8)}
    pattern, counts = em.patterns(gammas, ["a", "b"])
    found = {(int(a), int(b)): c for a, b, c in zip(pattern["a"], pattern["b"], counts, strict=True)}
    assert found == {(-1, 0): 1.0, (0, 2): 1.0, (1, 0): 1.0, (1, 2): 2.0}
    _, weighted = em.patterns(gammas, ["a", "b"], np.array([0.5, 1.0, 0.25, 1.0, 0.0]))
    assert weighted.tolist() == [1.0, 1.0, 0.0, 0.75]  # a pattern whose weight sums to 0 stays


@pytest.mark.parametrize("weighted", [False, True])
def test_counted_in_a_table_or_by_sorting_alike(weighted: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    gammas = _gammas(3, 5000)
    weights = np.random.default_rng(4).random(5000) if weighted else None
    table_pattern, table_counts = em.patterns(gammas, list(gammas), weights)
    monkeypatch.setattr(em, "_TABLE_MAX", 0)
    sorted_pattern, sorted_counts = em.patterns(gammas, list(gammas), weights)
    assert {k: v.tolist() for k, v in table_pattern.items()} == {
        k: v.tolist() for k, v in sorted_pattern.items()
    }
    assert table_counts.tolist() == sorted_counts.tolist()
    assert table_counts.sum() == pytest.approx(5000 if weights is None else weights.sum())


def test_no_comparisons_no_patterns() -> None:
    pattern, counts = em.patterns({}, [])
    assert pattern == {} and len(counts) == 0
