"""The entry points: deduplicate a set of records into cases, or match a new batch against the pool."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from matching._runtime import large_batch
from matching.blocking import candidate_positions, rule_labels
from matching.clustering import (
    GuardData,
    claims_at_one_home,
    cluster_ids,
    guarded_components,
    home_flats,
    name_without_contact,
    shared_anchors,
)
from matching.comparisons import PairContext
from matching.frequencies import value_totals
from matching.labels import VERDICTS, label_positions
from matching.normalize import standardise
from matching.scoring import ModelParameters, comparison_vectors, predict, void_filer_disagreement
from matching.settings import MatchSettings, load_settings
from matching.training import train

log = logging.getLogger(__name__)
DECISIONS = ("merge", "review", "reject")
# The address comparison's levels at which two reports give one home: the same address, road and number, or
# named place (not ``crowded``: a place many records write).
HOME_LEVELS = ("exact", "same_key", "same_place")
# Columns the pair check reads for every pair (a shared sum or flat, a home's road and number).
ANCHOR_COLUMNS = ("content_sum", "content_flat", "address_key")


@dataclass(frozen=True)
class DedupeResult:
    """``clusters[record_id, cluster_id]``, scored ``pairs``, ``stats`` and the ``parameters`` used."""

    clusters: pd.DataFrame
    pairs: pd.DataFrame
    stats: dict[str, Any]
    parameters: ModelParameters


@dataclass(frozen=True)
class IncrementalResult:
    """Where each new record went, which existing cases merged, the scored pairs and the review queue."""

    assignments: pd.DataFrame
    merges: pd.DataFrame
    pairs: pd.DataFrame
    review: pd.DataFrame
    stats: dict[str, Any]


@dataclass
class Timer:
    """Wall time per phase, for ``stats["timings"]``."""

    timings: dict[str, float] = field(default_factory=dict)

    @contextmanager
    def phase(self, name: str) -> Iterator[None]:
        """Time the enclosed block as ``name``."""
        start = time.perf_counter()
        yield
        self.timings[name] = round(time.perf_counter() - start, 3)


@dataclass
class Scored:
    """A scored batch: standardised records, pair positions, the pairs table and reviewer constraints."""

    frame: pd.DataFrame
    left: np.ndarray
    right: np.ndarray
    pairs: pd.DataFrame
    forced: np.ndarray
    refused: np.ndarray  # per pair: a guard on the pair's own levels keeps its edge out of clustering
    cannot_link: list[tuple[int, int]]
    stats: dict[str, Any]
    # the homes each record names (clustering.home_flats), read once for the pair check and the union-find
    homes: list[np.ndarray] | None = None
    # per pair: its two reports are one household's claim (clustering.claims_at_one_home), for the union-find
    households: np.ndarray | None = None


@dataclass
class PairScores:
    """Blocked and scored candidate pairs before any decision: positions into the standardised records,
    which rules found each pair (bit ``i`` = rule ``i``), every comparison's level and the weights."""

    left: np.ndarray
    right: np.ndarray
    bits: np.ndarray
    gammas: dict[str, np.ndarray]
    scores: pd.DataFrame
    blocking: dict[str, Any]
    training: dict[str, object] = field(default_factory=dict)
    # blocking's factor codes of the columns the decisions read again (ANCHOR_COLUMNS), not recomputed
    codes: dict[str, np.ndarray] = field(default_factory=dict)


# A large batch (matching/_runtime.py) here, in decide_pairs, cluster_scored and standardise: dedupe, the
# incremental match and the partition tasks all call them.
@large_batch()
def score_pairs(
    std: pd.DataFrame, is_new: np.ndarray | None, settings: MatchSettings, parameters: ModelParameters | None,
    timer: Timer, only: list[np.ndarray | None] | None = None, labels: pd.DataFrame | None = None,
    totals: Mapping[str, Mapping[str, int]] | None = None,
) -> tuple[PairScores, ModelParameters]:  # fmt: skip
    """Block, compare, (train,) and score standardised records: everything that is pairwise.

    Args:
        std: standardised records (:func:`matching.normalize.standardise`).
        is_new: incremental mode's new-record flags (``None``: dedupe, all pairs).
        settings: the model.
        parameters: fixed parameters, or ``None`` to train on these records.
        timer: collects the phase timings.
        only: per rule, the records whose blocks to expand (a partition's blocks); ``None``: all blocks.
        labels: reviewer labels to train on (with ``parameters`` ``None``).
        totals: incremental mode's value frequencies over the pool and the batch
            (:func:`matching.frequencies.value_totals`); ``None``: none known beyond these records.

    Returns:
        ``(pair scores, parameters used)``.
    """
    codes: dict[str, np.ndarray] = {}
    with timer.phase("blocking"):
        left, right, bits, blocking = candidate_positions(
            std, settings, is_new, codes, only=only, workers=settings.workers
        )
    with timer.phase("comparisons"):
        ctx = PairContext.from_frame(std, left, right, settings.workers, columns=settings.comparison_columns)
        ctx.share_codes(codes)
        ctx.whole_input = is_new is None  # a batch plus fetched pool records: only the pool's frequencies
        if totals and is_new is not None:
            ctx.share_frequencies(totals)
        gammas = comparison_vectors(ctx, settings)
        void_filer_disagreement(gammas, std, left, right, settings)
    training: dict[str, object] = {}
    with timer.phase("training"):
        if parameters is None:
            ids = std["record_id"].to_numpy(dtype=object)
            labelled = label_positions(ids, left, right, labels)
            parameters, training = train(std, gammas, bits, settings, ctx.cached_codes, labelled)
    with timer.phase("scoring"):
        scores = predict(gammas, parameters, settings)
    kept = {column: codes[column] for column in ANCHOR_COLUMNS if column in codes}
    return PairScores(left, right, bits, gammas, scores, blocking.as_dict(), training, kept), parameters


def _at_levels(
    gammas: dict[str, np.ndarray], settings: MatchSettings, chosen: Callable[[str], bool],
    within: str | None = None,
) -> np.ndarray:  # fmt: skip
    """Per pair: some comparison (with ``within``: one that has a level so labelled) is at a level whose
    label ``chosen`` picks (gamma counts down from the first label)."""
    found = np.zeros(len(next(iter(gammas.values()))), dtype=bool)
    for spec, comparison in zip(settings.comparisons, settings.comparison_objects, strict=True):
        if within is not None and within not in comparison.labels:
            continue
        for position, label in enumerate(comparison.labels):
            if chosen(label):
                found |= gammas[spec.name] == len(comparison.labels) - 1 - position
    return found


@large_batch()
def decide_pairs(
    std: pd.DataFrame,
    scored: PairScores,
    settings: MatchSettings,
    decisions: pd.DataFrame | None,
    timer: Timer,
) -> Scored:
    """Merge / review / reject each scored pair, apply reviewer verdicts, and build the pairs table.

    Args:
        std: the standardised records the pair positions point into (sorted by ``record_id``).
        scored: the pairs, sorted by (left, right).
        settings: the thresholds.
        decisions: reviewer verdicts, or ``None``.
        timer: collects the phase timings.
    """
    with timer.phase("decisions"):
        left, right, bits, gammas, scores = (
            scored.left,
            scored.right,
            scored.bits,
            scored.gammas,
            scored.scores,
        )
        probability = scores["match_probability"].to_numpy()
        decision = np.where(probability >= settings.merge_threshold, 0,
                            np.where(probability >= settings.review_threshold, 1, 2))  # fmt: skip
        strangers = np.zeros(len(decision), dtype=bool)
        households = np.zeros(len(decision), dtype=bool)
        homes = None
        if "name_without_contact" in settings.guards:
            # Two named people with nothing personal in common: clustering refuses their edge, so a
            # reviewer is not asked either; their score stays, and a reviewer's verdict below overrides.
            exact = {
                spec.name: len(comparison.labels) - 1
                for spec, comparison in zip(settings.comparisons, settings.comparison_objects, strict=True)
            }
            # Addresses that agree only at a place many records write (a group's site).
            crowded = _at_levels(gammas, settings, lambda label: label == "crowded")
            # Names that agree only as a near spelling (Jaro-Winkler), not as a homophone.
            near = _at_levels(gammas, settings, lambda label: label.startswith("pinyin_jw"))
            strangers = name_without_contact(gammas, exact, crowded=crowded, near=near)
            # One sum from one home few people write: one household's claim (the union-find reads it too).
            at_home = _at_levels(gammas, settings, lambda label: label in HOME_LEVELS, within="same_key")
            households = claims_at_one_home(std, left, right, at_home, scored.codes)
            # Only pairs of two names with nothing in common are read for a shared sum or flat.
            pick = np.flatnonzero(strangers)
            homes = home_flats(std)
            anchored, household = shared_anchors(std, left[pick], right[pick], homes, scored.codes)
            household |= households[pick]
            strangers[pick] = name_without_contact(
                {k: gammas[k][pick] for k in ("name", "phone", "id", "masked_phone") if k in gammas},
                exact,
                anchored,
                household,
                crowded[pick],
                near[pick],
            )
            decision[(decision == 1) & strangers] = 2
        ids = std["record_id"].to_numpy(dtype=object)
        forced, cannot, left, right, decision, reviewed = _apply_reviews(
            ids, left, right, decision, decisions
        )
        n_extra = len(left) - len(scores)
        refused = np.concatenate([strangers, np.zeros(n_extra, dtype=bool)]) & ~forced
        # Record ids as ordered categoricals over the sorted ids: int32 codes instead of millions of
        # string references, and ``record_id_l < record_id_r`` still holds.
        categories = pd.Index(ids)
        columns: dict[str, Any] = {
            "record_id_l": pd.Categorical.from_codes(left, categories=categories, ordered=True),
            "record_id_r": pd.Categorical.from_codes(right, categories=categories, ordered=True),
            "rules": pd.concat(
                [pd.Series(rule_labels(bits, settings)), pd.Series(["reviewer"] * n_extra, dtype="category")],
                ignore_index=True,
            ),
        }
        for name, gamma in gammas.items():
            columns[f"gamma_{name}"] = _extended(gamma, n_extra, -1)
        for column in scores.columns:
            columns[column] = _extended(
                scores[column].to_numpy(), n_extra, 1.0 if column == "match_probability" else np.inf
            )
        columns["decision"] = pd.Categorical.from_codes(decision, categories=list(DECISIONS))
        columns["reviewed"] = reviewed
        # Not copied: at a million records the levels and weights are half a gigabyte, and a copy of them
        # beside the scored pairs would be the run's peak.
        pairs = pd.DataFrame(columns, copy=False)
    stats = {"records": len(std), "pairs": len(pairs), "blocking": scored.blocking, "training": scored.training,
             "decisions": {d: int((decision == i).sum()) for i, d in enumerate(DECISIONS)}}  # fmt: skip
    households = np.concatenate([households, np.zeros(n_extra, dtype=bool)])
    return Scored(std, left, right, pairs, forced, refused, cannot, stats, homes, households)


def _extended(values: np.ndarray, extra: int, fill: float) -> np.ndarray:
    """``values`` followed by ``extra`` copies of ``fill`` (the pairs reviewers added); itself when none."""
    return values if extra == 0 else np.concatenate([values, np.full(extra, fill, dtype=values.dtype)])


def score_batch(
    frame: pd.DataFrame, is_new: np.ndarray | None, settings: MatchSettings, decisions: pd.DataFrame | None,
    parameters: ModelParameters | None, timer: Timer,
    pooled_counts: Mapping[str, Mapping[str, int]] | None = None,
) -> tuple[Scored, ModelParameters]:  # fmt: skip
    """Standardise, block, compare, (train,) score and decide: the stages both entry points share.

    Args:
        frame: records prepared by :func:`prepare_frame`.
        is_new: incremental mode's new-record flags (``None``: dedupe, all pairs).
        settings: the model.
        decisions: reviewer verdicts, or ``None``.
        parameters: fixed parameters, or ``None`` to train on this batch.
        timer: collects the phase timings.
        pooled_counts: incremental mode's ``{column: {value: pooled records}}`` for the frequency columns
            (:mod:`matching.frequencies`).

    Returns:
        ``(scored, parameters used)``.
    """
    with timer.phase("standardise"):
        std = standardise(frame, settings)
    totals = value_totals(std, is_new, pooled_counts) if pooled_counts and is_new is not None else None
    pair_scores, parameters = score_pairs(
        std, is_new, settings, parameters, timer, labels=decisions, totals=totals
    )
    return decide_pairs(std, pair_scores, settings, decisions, timer), parameters


def _apply_reviews(
    ids: np.ndarray, left: np.ndarray, right: np.ndarray, decision: np.ndarray, decisions: pd.DataFrame | None
) -> tuple[np.ndarray, list[tuple[int, int]], np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Reviewer decisions override the model: "same" merges (added as a pair if blocking missed it),
    "different" rejects and forbids the two records from ever sharing a cluster."""
    reviewed = np.zeros(len(left), dtype=bool)
    if decisions is None or decisions.empty:
        return np.zeros(len(left), dtype=bool), [], left, right, decision, reviewed
    index = pd.Index(ids)
    a = index.get_indexer(decisions["record_id_l"].astype(str))
    b = index.get_indexer(decisions["record_id_r"].astype(str))
    verdict = decisions["decision"].astype(str).str.strip().str.lower().to_numpy()
    unknown = set(verdict) - set(VERDICTS)
    if unknown:
        raise ValueError(f"reviewer decisions must be 'same', 'different' or 'unsure', got {sorted(unknown)}")
    known = (a >= 0) & (b >= 0) & (a != b) & (verdict != "unsure")  # "unsure" overrides nothing
    lo, hi, verdict = np.minimum(a, b)[known], np.maximum(a, b)[known], verdict[known]
    n = np.int64(len(ids))
    pair_key = pd.Index(left.astype(np.int64) * n + right)
    where = pair_key.get_indexer(lo.astype(np.int64) * n + hi)
    decision = decision.copy()
    hit = where >= 0
    decision[where[hit]] = np.where(verdict[hit] == "same", 0, 2)
    reviewed[where[hit]] = True
    missing_same = (~hit) & (verdict == "same")
    left = np.concatenate([left, lo[missing_same]])
    right = np.concatenate([right, hi[missing_same]])
    decision = np.concatenate([decision, np.zeros(int(missing_same.sum()), dtype=decision.dtype)])
    reviewed = np.concatenate([reviewed, np.ones(int(missing_same.sum()), dtype=bool)])
    forced = reviewed & (decision == 0)
    cannot = [(int(x), int(y)) for x, y, v in zip(lo, hi, verdict, strict=True) if v == "different"]
    return forced, cannot, left, right, decision, reviewed


def prepare_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy with string record ids, sorted by them (so results never depend on row order)."""
    if frame["record_id"].duplicated().any():
        raise ValueError("record_id must be unique")
    out = frame.copy()
    out["record_id"] = out["record_id"].astype(str)
    return out.sort_values("record_id", kind="stable").reset_index(drop=True)


def dedupe(
    frame: pd.DataFrame, settings: MatchSettings | None = None, decisions: pd.DataFrame | None = None
) -> DedupeResult:
    """Merge duplicate reports into cases.

    The result does not depend on the input's row order (records are sorted by ``record_id`` first,
    sampling is seeded, EM sums run over sorted gamma patterns).

    Args:
        frame: canonical records: ``record_id`` plus the fields the settings name.
        settings: the model (``None``: the packaged default).
        decisions: reviewer verdicts ``[record_id_l, record_id_r, decision in {same, different, unsure}]``:
            they override the model for their pairs and, when training, teach it
            (:mod:`matching.labels`).

    Returns:
        Clusters, pairs (with every comparison's ``gamma_`` level), stats and the parameters used.
    """
    settings = settings or load_settings()
    timer = Timer()
    scored, parameters = score_batch(prepare_frame(frame), None, settings, decisions, None, timer)
    with timer.phase("clustering"):
        labels, _ = cluster_scored(scored, settings, None)
        ids = scored.frame["record_id"].to_numpy(dtype=object)
        clusters = pd.DataFrame({"record_id": ids, "cluster_id": cluster_ids(ids, labels)})
    stats = {**scored.stats, "clusters": int(clusters["cluster_id"].nunique()), "timings": timer.timings}
    log.info("dedupe: %d records, %d pairs, %d clusters in %.1fs", len(ids), len(scored.pairs),
             stats["clusters"], sum(timer.timings.values()))  # fmt: skip
    return DedupeResult(clusters, scored.pairs, stats, parameters)


@large_batch()
def cluster_scored(
    scored: Scored, settings: MatchSettings, existing_case: np.ndarray | None,
    extra: tuple[np.ndarray, np.ndarray] | None = None,
) -> tuple[np.ndarray, list[tuple[int, int]]]:  # fmt: skip
    """Cluster the merge edges (plus forced ``extra`` edges) under the guards; returns (labels, joins)."""
    merge = (scored.pairs["decision"] == "merge").to_numpy() & ~scored.refused
    left, right = scored.left[merge], scored.right[merge]
    weight = scored.pairs["match_weight"].to_numpy()[merge]
    forced = scored.forced[merge]
    households = scored.households[merge] if scored.households is not None else np.zeros_like(forced)
    if extra is not None:
        left, right = np.concatenate([left, extra[0]]), np.concatenate([right, extra[1]])
        weight = np.concatenate([weight, np.full(len(extra[0]), np.inf)])
        forced = np.concatenate([forced, np.ones(len(extra[0]), dtype=bool)])
        households = np.concatenate([households, np.zeros(len(extra[0]), dtype=bool)])
    data = GuardData.from_frame(
        scored.frame, settings.guards, settings.proxy_flag, scored.homes, settings.agent_flag
    )
    data.cannot_link = scored.cannot_link
    data.existing_case = existing_case
    return guarded_components(len(scored.frame), left, right, weight, data, forced, households)
