"""Matching: standardise, block, compare, score and cluster complaint records into cases (Splink's stage order)."""

from __future__ import annotations

from matching.blocking import BlockingRule, BlockingStats, block_on, blocking_keys, candidate_pairs
from matching.clustering import case_id_for
from matching.comparisons import (
    DateDiffAtThresholds,
    ExactMatch,
    JaroWinklerAtThresholds,
    LevenshteinAtThresholds,
    RatioAtThresholds,
    TokenSetAtThresholds,
)
from matching.domain_comparisons import AddressAtThresholds, FactsMatch, IdNumberMatch, PinyinNameMatch
from matching.evaluation import pairwise_scores
from matching.incremental import match_incremental
from matching.linker import DedupeResult, IncrementalResult, dedupe
from matching.normalize import standardise
from matching.scoring import ModelParameters
from matching.settings import MatchSettings, dump_settings, load_settings

__all__ = [
    "AddressAtThresholds",
    "BlockingRule",
    "BlockingStats",
    "DateDiffAtThresholds",
    "DedupeResult",
    "ExactMatch",
    "FactsMatch",
    "IdNumberMatch",
    "IncrementalResult",
    "JaroWinklerAtThresholds",
    "LevenshteinAtThresholds",
    "MatchSettings",
    "ModelParameters",
    "PinyinNameMatch",
    "RatioAtThresholds",
    "TokenSetAtThresholds",
    "block_on",
    "blocking_keys",
    "candidate_pairs",
    "case_id_for",
    "dedupe",
    "dump_settings",
    "load_settings",
    "match_incremental",
    "pairwise_scores",
    "standardise",
]
