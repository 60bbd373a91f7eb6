"""Reviewer labels as training data: which pairs are worth a label, reading labels, and what they teach.

A label is a reviewer's verdict on one record pair: ``same`` (one case), ``different`` or ``unsure``.
Labels override the model for their own pair (:func:`matching.linker.dedupe`'s ``decisions``) and also
teach it: they clamp their pairs' class in the dispute EM (:mod:`matching.training`), each worth
``training.label_weight`` unlabelled pairs. They do not move the threshold: the labelled pairs are
chosen where the model is least sure, a biased sample, and a recalibration fitted on them (tried: a
logistic shift of the match weight) flattened the whole scale and cost F1 on every drawn world
(``benchmarks/match_learning.py``: median 0.867 -> 0.847 after 50 labels, against 0.872 without it).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

LABEL_COLUMNS = ("record_id_l", "record_id_r", "decision")
VERDICTS = ("same", "different", "unsure")


def read_labels(path: str | Path) -> pd.DataFrame:
    """Read a labels CSV (``record_id_l, record_id_r, decision``; extra columns are ignored).

    Args:
        path: the CSV (UTF-8, with a header).

    Returns:
        The labels, one row per unordered pair (the last verdict on a pair wins), ids as strings; rows
        with an empty verdict (proposals not yet decided) are left out.

    Raises:
        ValueError: when a column is missing or a verdict is not one of ``same``, ``different``, ``unsure``.
    """
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    missing = [c for c in LABEL_COLUMNS if c not in frame]
    if missing:
        raise ValueError(f"{path}: missing column(s) {missing}; a labels file has {list(LABEL_COLUMNS)}")
    frame = frame[list(LABEL_COLUMNS)].copy()
    frame["decision"] = frame["decision"].str.strip().str.lower()
    frame = frame[frame["decision"] != ""]  # proposed by ``python -m matching label``, not yet decided
    bad = sorted(set(frame["decision"]) - set(VERDICTS))
    if bad:
        raise ValueError(f"{path}: verdicts must be one of {VERDICTS}, got {bad}")
    low = frame[["record_id_l", "record_id_r"]].min(axis=1)
    high = frame[["record_id_l", "record_id_r"]].max(axis=1)
    frame["record_id_l"], frame["record_id_r"] = low, high
    frame = frame[frame["record_id_l"] != frame["record_id_r"]]
    return frame.drop_duplicates(["record_id_l", "record_id_r"], keep="last").reset_index(drop=True)


def decisive(labels: pd.DataFrame | None) -> pd.DataFrame | None:
    """The ``same`` / ``different`` labels (an ``unsure`` verdict teaches nothing and overrides nothing)."""
    if labels is None:
        return None
    return labels[labels["decision"].isin(("same", "different"))].reset_index(drop=True)


def label_positions(
    ids: np.ndarray, left: np.ndarray, right: np.ndarray, labels: pd.DataFrame | None
) -> tuple[np.ndarray, np.ndarray]:
    """Which candidate pairs carry a decisive label, and whether it says ``same``.

    Args:
        ids: the record ids by position (sorted ascending).
        left: each candidate pair's left position (``left < right``).
        right: each candidate pair's right position.
        labels: reviewer labels, or ``None``.

    Returns:
        ``(pair_index, is_same)``; labelled pairs that blocking did not produce are not among them.
    """
    labels = decisive(labels)
    if labels is None or labels.empty or len(left) == 0:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=bool)
    index = pd.Index(ids)
    a = index.get_indexer(labels["record_id_l"].astype(str))
    b = index.get_indexer(labels["record_id_r"].astype(str))
    known = (a >= 0) & (b >= 0)
    n = np.int64(len(ids))
    lo, hi = np.minimum(a, b)[known].astype(np.int64), np.maximum(a, b)[known].astype(np.int64)
    where = pd.Index(left.astype(np.int64) * n + right).get_indexer(lo * n + hi)
    hit = where >= 0
    is_same = (labels["decision"].to_numpy()[known] == "same")[hit]
    return where[hit].astype(np.int64), is_same


def propose_pairs(
    pairs: pd.DataFrame, n: int, labelled: pd.DataFrame | None = None, threshold: float = 0.5
) -> pd.DataFrame:
    """The ``n`` scored pairs whose label would teach the model most (uncertainty sampling).

    The most uncertain pairs are those whose decision a label could change: their match weight is
    closest to the merge threshold's (``threshold``, a probability). Taking them
    in order would spend every label on one kind of pair, so the pairs are grouped by the blocking rule
    that found them and taken round-robin, most uncertain first within each rule.

    Args:
        pairs: ``dedupe``'s scored pairs (``record_id_l``, ``record_id_r``, ``rules``, ``match_weight``).
        n: how many pairs to propose.
        labelled: labels already given (their pairs are skipped).
        threshold: the merge threshold (``MatchSettings.merge_threshold``).

    Returns:
        The chosen rows of ``pairs`` (at most ``n``), most uncertain first within each round.
    """
    candidates = pairs[pairs["rules"].astype(str) != "reviewer"].copy()
    candidates["record_id_l"] = candidates["record_id_l"].astype(str)
    candidates["record_id_r"] = candidates["record_id_r"].astype(str)
    if labelled is not None and not labelled.empty:
        ids = labelled[["record_id_l", "record_id_r"]].astype(str)
        done = pd.MultiIndex.from_arrays([ids.min(axis=1), ids.max(axis=1)])  # a pair, either way round
        keys = pd.MultiIndex.from_arrays([candidates["record_id_l"], candidates["record_id_r"]])
        candidates = candidates[~keys.isin(done)]
    centre = float(np.log2(threshold) - np.log2(1.0 - threshold))
    candidates["_uncertainty"] = (candidates["match_weight"] - centre).abs().to_numpy()
    candidates["_rule"] = candidates["rules"].astype(str).str.split("|").str[0]
    candidates = candidates.sort_values(["_uncertainty", "record_id_l", "record_id_r"], kind="stable")
    candidates["_round"] = candidates.groupby("_rule", sort=False).cumcount()
    chosen = candidates.sort_values(["_round", "_uncertainty"], kind="stable").head(max(n, 0))
    return chosen.drop(columns=["_uncertainty", "_rule", "_round"]).reset_index(drop=True)
