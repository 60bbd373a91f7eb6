"""Matching: standardise, block, compare, score and cluster complaint records into cases (Splink's stage order)."""

from __future__ import annotations

from matching.blocking import BlockingStats
from matching.candidates import blocking_keys, candidate_pairs, probe_keys
from matching.clustering import case_id_for
from matching.comparison_library import (
    AddressAtThresholds,
    DateDiffAtThresholds,
    ExactMatch,
    FactsMatch,
    IdNumberMatch,
    JaroWinklerAtThresholds,
    LevenshteinAtThresholds,
    PinyinNameMatch,
    RatioAtThresholds,
    TokenSetAtThresholds,
)
from matching.evaluation import pairwise_scores
from matching.incremental import match_incremental
from matching.linker import DedupeResult, IncrementalResult, dedupe
from matching.normalize import standardise
from matching.scoring import ModelParameters
from matching.settings import MatchSettings, dump_settings, load_settings
from matching.specs import BlockingRule, FieldSpec, block_on

__all__ = [
    "AddressAtThresholds",
    "BlockingRule",
    "BlockingStats",
    "DateDiffAtThresholds",
    "DedupeResult",
    "ExactMatch",
    "FactsMatch",
    "FieldSpec",
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
    "probe_keys",
    "candidate_pairs",
    "case_id_for",
    "dedupe",
    "dump_settings",
    "load_settings",
    "match_incremental",
    "pairwise_scores",
    "standardise",
]
