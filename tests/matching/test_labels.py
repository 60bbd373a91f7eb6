"""Reviewer labels: reading them, choosing the pairs worth a label, and what the model learns from them."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from matching import dedupe, load_settings, pairwise_scores
from matching.labels import label_positions, propose_pairs, read_labels


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.unit
def test_labels_are_read_as_unordered_pairs_and_the_last_verdict_wins(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "labels.csv",
        "record_id_l,record_id_r,decision,note\n"
        "b,a,Same,first look\n"
        "a,b,different,second look\n"
        "c,d, unsure ,\n"
        "e,e,same,self\n",
    )
    labels = read_labels(path)
    assert labels.to_dict("records") == [
        {"record_id_l": "a", "record_id_r": "b", "decision": "different"},
        {"record_id_l": "c", "record_id_r": "d", "decision": "unsure"},
    ]


@pytest.mark.unit
@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param("record_id_l,record_id_r\na,b\n", "missing column", id="no decision column"),
        pytest.param("record_id_l,record_id_r,decision\na,b,maybe\n", "maybe", id="unknown verdict"),
    ],
)
def test_a_bad_labels_file_is_refused_with_its_reason(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        read_labels(_write(tmp_path / "labels.csv", text))


@pytest.mark.unit
def test_label_positions_find_the_labelled_candidate_pairs() -> None:
    ids = np.array(["a", "b", "c", "d"], dtype=object)
    left, right = np.array([0, 0, 1]), np.array([1, 2, 3])
    labels = pd.DataFrame(
        {"record_id_l": ["a", "b", "a", "x"], "record_id_r": ["c", "d", "d", "a"],
         "decision": ["same", "different", "same", "same"]}
    )  # fmt: skip
    index, is_same = label_positions(ids, left, right, labels)
    assert index.tolist() == [1, 2]  # (a, d) was never a candidate pair; x is unknown
    assert is_same.tolist() == [True, False]


@pytest.mark.unit
def test_proposals_take_turns_over_rules_nearest_the_threshold_first_and_skip_labelled_pairs() -> None:
    pairs = pd.DataFrame(
        {
            "record_id_l": ["a", "b", "c", "d", "e", "f"],
            "record_id_r": ["z", "z", "z", "z", "z", "z"],
            "rules": ["phone_norm", "phone_norm", "phone_norm", "id_norm", "id_norm", "reviewer"],
            "match_weight": [3.2, 9.0, 3.0, -6.0, 2.0, 3.17],
        }
    )
    labelled = pd.DataFrame({"record_id_l": ["a"], "record_id_r": ["z"], "decision": ["same"]})
    chosen = propose_pairs(pairs, 3, labelled, threshold=0.9)  # weight log2(9) = 3.17
    assert chosen["record_id_l"].tolist() == ["c", "e", "b"]  # round two: b is nearer than d


def _world(seed: int) -> tuple[pd.DataFrame, dict[str, str]]:
    from benchmarks.match import canonical_frame  # raw rows through the connectors
    from simulators.world import generate_world

    world = generate_world(seed=seed, n_records=3000, start=date(2026, 1, 1), days=60)
    return canonical_frame(world.rows), {row.record_id: row.case_key for row in world.truth}


@pytest.mark.slow
def test_labels_from_the_truth_never_make_the_matcher_worse_and_are_obeyed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.syspath_prepend(str(Path(__file__).resolve().parents[2] / "benchmarks"))
    records, truth = _world(31)
    settings = load_settings()
    first = dedupe(records, settings)
    proposed = propose_pairs(first.pairs, 60, None, settings.merge_threshold)
    labels = pd.DataFrame(
        {
            "record_id_l": proposed["record_id_l"],
            "record_id_r": proposed["record_id_r"],
            "decision": ["same" if truth[a] == truth[b] else "different"
                         for a, b in zip(proposed["record_id_l"], proposed["record_id_r"], strict=True)],
        }
    )  # fmt: skip
    second = dedupe(records, settings, decisions=labels)
    clusters = dict(zip(second.clusters["record_id"], second.clusters["cluster_id"], strict=True))
    for a, b, verdict in labels.itertuples(index=False):
        assert (clusters[a] == clusters[b]) == (verdict == "same")
    before = pairwise_scores(
        truth, dict(zip(first.clusters["record_id"], first.clusters["cluster_id"], strict=True))
    )
    after = pairwise_scores(truth, clusters)
    assert after["f1"] >= before["f1"] - 0.002
    assert second.stats["training"]["labels"]["labelled_pairs"] > 0
