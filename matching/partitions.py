"""Incremental matching split into partitions by blocking key, so mapped tasks on several workers share it.

A pass is planned, scored per partition, then combined:

0. :func:`standardise_pass` standardises the pass's records once; the plan, every partition and the
   combine read those columns (through memory here, through the ``match_run_record`` work table in the
   orchestration) instead of standardising again. Each step still standardises whatever field its
   input lacks, so raw records work too (only slower).
1. :func:`plan_partitions` gives every candidate block (one rule's records sharing one key, at least two
   of them, at least one new) to a partition by a stable hash of ``rule`` and key, and lists the records
   each partition needs: every member of each of its blocks.
2. :func:`score_partition` blocks, compares and scores the pairs of that partition's blocks only.
   Blocks are expanded (and capped) one at a time and a pair's levels and weights depend on its two
   records alone, so a partition's pairs are exactly the whole pass's pairs of those blocks.
3. :func:`combine_partitions` unions the partitions' pairs (a pair two rules found may come from two
   partitions: its rule bits are OR-ed), then decides, applies reviewer verdicts and clusters over
   the whole pass, as :func:`matching.match_incremental` does.

Whatever the number of partitions, the result is the one :func:`matching.match_incremental` gives.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

from matching.blocking import block_keys
from matching.candidates import with_blocking_columns
from matching.incremental import assign_cases, prepare_incremental
from matching.linker import IncrementalResult, PairScores, Timer, decide_pairs, prepare_frame, score_pairs
from matching.normalize import STANDARDISERS, standardise
from matching.scoring import ModelParameters
from matching.settings import MatchSettings, load_settings
from matching.specs import FieldSpec

SCORE_COLUMNS = ("person_weight", "dispute_weight", "match_weight", "match_probability")
# What clustering's guards read (matching.clustering.GuardData): the only standardising the combine needs.
_GUARD_COLUMNS = {
    "id_norm",
    "id_valid",
    "phone_norm",
    "phone_mobile",
    "name_fuzzy",
    "name_pinyin",
    "content_facts",
    "content_topics",
    "content_matters",
}


def standardised_columns(settings: MatchSettings) -> tuple[str, ...]:
    """Every column :func:`matching.normalize.standardise` writes for ``settings``' fields."""
    return tuple(c for f in settings.fields for c in STANDARDISERS[f.standardiser].outputs(f.prefix))


def _with_standardised(
    frame: pd.DataFrame, settings: MatchSettings, fields: Sequence[FieldSpec] | None = None
) -> pd.DataFrame:
    """``frame`` with the standardised columns of ``fields`` (default: all), computing only the fields it lacks.

    Standardising is per value, so a field standardised once for the whole pass equals the same field
    standardised again on any subset of its records.
    """
    missing = [
        f
        for f in (settings.fields if fields is None else fields)
        if not set(STANDARDISERS[f.standardiser].outputs(f.prefix)).issubset(frame.columns)
    ]
    return standardise(frame, settings, missing) if missing else frame


def standardise_pass(combined: pd.DataFrame, settings: MatchSettings) -> pd.DataFrame:
    """The pass's records with every standardised column, computed once for plan, partitions and combine.

    Args:
        combined: the pass's records (:func:`matching.incremental.prepare_incremental`).
        settings: the fields to standardise.

    Returns:
        ``combined`` plus :func:`standardised_columns` (same rows, same order).
    """
    return _with_standardised(combined, settings)


def shard_of(rule: str, key: str, partitions: int) -> int:
    """The partition of one block: a stable hash of its rule and key (the same in every process)."""
    digest = hashlib.blake2b(f"{rule}\x1f{key}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") % partitions


def _block_shards(std: pd.DataFrame, settings: MatchSettings, partitions: int) -> pd.DataFrame:
    """``[record_id, rule, key, shard]`` for every record's key under every rule."""
    keys = block_keys(with_blocking_columns(std, settings), settings)
    distinct = keys[["rule", "key"]].drop_duplicates()
    rules, values = distinct["rule"].to_numpy(dtype=object), distinct["key"].to_numpy(dtype=object)
    distinct["shard"] = [shard_of(r, str(k), partitions) for r, k in zip(rules, values, strict=True)]
    return keys.merge(distinct, on=["rule", "key"], how="left")


def plan_partitions(
    combined: pd.DataFrame, is_new: np.ndarray, settings: MatchSettings, partitions: int
) -> pd.DataFrame:
    """Which records each partition needs.

    Args:
        combined: the pass's records (:func:`matching.incremental.prepare_incremental`), best already
            standardised (:func:`standardise_pass`): blocking fields it lacks are standardised here.
        is_new: which of them are new.
        settings: the blocking rules.
        partitions: how many partitions (1 or more).

    Returns:
        ``[shard, record_id]``, distinct, sorted: the members of the live blocks each partition owns.
    """
    if partitions < 1:
        raise ValueError("partitions must be at least 1")
    keys = _block_shards(combined, settings, partitions)
    new_ids = set(combined["record_id"].to_numpy()[is_new])
    keys["new"] = keys["record_id"].isin(new_ids)
    block = keys.groupby(["rule", "key"], sort=False)
    # A block pairs only when it has two members and touches a new record (existing pairs are never compared).
    live = (block["record_id"].transform("size") >= 2) & block["new"].transform("any")
    plan = keys.loc[live, ["shard", "record_id"]].drop_duplicates()
    return plan.astype({"shard": np.int64}).sort_values(["shard", "record_id"]).reset_index(drop=True)


def score_partition(
    records: pd.DataFrame,
    is_new: np.ndarray,
    settings: MatchSettings,
    shard: int,
    partitions: int,
    parameters: ModelParameters | None = None,
    totals: Mapping[str, Mapping[str, int]] | None = None,
) -> pd.DataFrame:
    """Score the candidate pairs of one partition's blocks.

    Args:
        records: the records the plan lists for ``shard`` (canonical columns, any order), best with the
            pass's standardised columns (:func:`standardise_pass`): only the fields they lack are standardised.
        is_new: which of them are new (aligned with ``records``).
        settings: the model.
        shard: this partition.
        partitions: how many partitions the plan made.
        parameters: the model's parameters (default: the settings').
        totals: how many records of the pool and the pass carry each value of the frequency columns
            (:func:`matching.frequencies.value_totals`, counted once by the plan); ``None``: not known.

    Returns:
        ``[record_id_l, record_id_r, rule_bits, gamma_<comparison>…, person_weight, dispute_weight,
        match_weight, match_probability]``, one row per pair, ``record_id_l < record_id_r``.
    """
    flags = pd.Series(np.asarray(is_new, dtype=bool), index=records["record_id"].astype(str).to_numpy())
    frame = prepare_frame(records)
    new = flags.reindex(frame["record_id"]).to_numpy(dtype=bool)
    std = _with_standardised(frame, settings)
    keys = _block_shards(std, settings, partitions)
    owned = keys[keys["shard"] == shard]
    ids = std["record_id"]
    only: list[np.ndarray | None] = [
        ids.isin(owned.loc[owned["rule"] == rule.name, "record_id"]).to_numpy()
        for rule in settings.blocking_rules
    ]
    params = parameters or ModelParameters.from_settings(settings)
    scored, _ = score_pairs(std, new, settings, params, Timer(), only=only, totals=totals)
    record_ids = ids.to_numpy(dtype=object)
    out = pd.DataFrame(
        {
            "record_id_l": record_ids[scored.left],
            "record_id_r": record_ids[scored.right],
            "rule_bits": scored.bits.astype(np.int64),
        }
    )
    for name, gamma in scored.gammas.items():
        out[f"gamma_{name}"] = gamma
    for column in SCORE_COLUMNS:
        out[column] = scored.scores[column].to_numpy()
    return out


def _guard_frame(combined: pd.DataFrame, settings: MatchSettings) -> pd.DataFrame:
    """``combined`` with the standardised columns clustering's guards read (computed only when it lacks them)."""
    fields = [
        f for f in settings.fields if _GUARD_COLUMNS & set(STANDARDISERS[f.standardiser].outputs(f.prefix))
    ]
    return _with_standardised(combined, settings, fields)


def combine_partitions(
    combined: pd.DataFrame,
    is_new: np.ndarray,
    parts: Iterable[pd.DataFrame],
    settings: MatchSettings,
    decisions: pd.DataFrame | None = None,
) -> IncrementalResult:
    """Union the partitions' scored pairs, decide and cluster the whole pass.

    Args:
        combined: the pass's records (:func:`matching.incremental.prepare_incremental`), best already
            standardised (:func:`standardise_pass`): the guards' fields it lacks are standardised here.
        is_new: which of them are new.
        parts: each partition's :func:`score_partition` output.
        settings: the model.
        decisions: reviewer verdicts ``[record_id_l, record_id_r, decision]``.

    Returns:
        What :func:`matching.match_incremental` returns for the same records.
    """
    timer = Timer()
    names = [spec.name for spec in settings.comparisons]
    columns = ["record_id_l", "record_id_r", "rule_bits", *(f"gamma_{n}" for n in names), *SCORE_COLUMNS]
    frames = [p[columns] for p in parts if len(p)]
    pairs = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=columns)
    index = pd.Index(combined["record_id"].to_numpy(dtype=object))
    left = index.get_indexer(pairs["record_id_l"].astype(str))
    right = index.get_indexer(pairs["record_id_r"].astype(str))
    if (left < 0).any() or (right < 0).any():
        raise ValueError("a partition scored a record that is not in the pass")
    key = left.astype(np.int64) * np.int64(max(len(index), 1)) + right
    order = np.argsort(key, kind="stable")
    key, pairs = key[order], pairs.iloc[order].reset_index(drop=True)
    starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]]) if len(key) else np.empty(0, dtype=np.int64)
    bits = (np.bitwise_or.reduceat(pairs["rule_bits"].to_numpy(dtype=np.int64), starts) if len(starts)
            else np.empty(0, dtype=np.int64))  # fmt: skip
    first = pairs.iloc[starts].reset_index(drop=True)
    scores = PairScores(
        left=left[order][starts],
        right=right[order][starts],
        bits=bits,
        gammas={n: first[f"gamma_{n}"].to_numpy(dtype=np.int8) for n in names},
        scores=first[list(SCORE_COLUMNS)].astype(np.float64).reset_index(drop=True),
        blocking={"total_pairs": len(first), "partition_pairs": len(pairs)},
    )
    with timer.phase("standardise"):
        std = _guard_frame(combined, settings)
    scored = decide_pairs(std, scores, settings, decisions, timer)
    return assign_cases(scored, combined, is_new, settings, timer)


def match_partitioned(
    new_frame: pd.DataFrame,
    existing_frame: pd.DataFrame,
    settings: MatchSettings | None = None,
    decisions: pd.DataFrame | None = None,
    partitions: int = 1,
    parameters: ModelParameters | None = None,
) -> IncrementalResult:
    """:func:`matching.match_incremental` run as plan → ``partitions`` scorings → combine, in one process.

    The orchestration runs the same three steps as separate (mapped) tasks; this is the reference that
    tests compare across partition counts.
    """
    settings = settings or load_settings()
    combined, is_new = prepare_incremental(new_frame, existing_frame)
    std = standardise_pass(combined, settings)  # once: plan, partitions and combine all read these columns
    plan = plan_partitions(std, is_new, settings, partitions)
    flags = pd.Series(is_new, index=std["record_id"].to_numpy())
    parts = []
    for shard, members in plan.groupby("shard"):
        records = std[std["record_id"].isin(members["record_id"])]
        parts.append(
            score_partition(
                records,
                flags.reindex(records["record_id"]).to_numpy(),
                settings,
                int(str(shard)),
                partitions,
                parameters,
            )
        )
    return combine_partitions(std, is_new, parts, settings, decisions)
