"""The model fitted on a pool's own records, for the passes that place new batches into it.

``dedupe`` estimates every m and u on its input before it clusters. ``match_incremental`` scores a batch
with parameters it is given, for every batch alike; a pool that only ever gave it the packaged model
would score a city's data with the simulator's m and u. On drawn worlds unlike the packaged one, a pool
placing each day with the packaged model ended 0.015 to 0.03 F1 below one placing with the parameters
``dedupe`` fitted on the pool's first records. So the pool fits the model on its own records
(:func:`fit_parameters`, the training ``dedupe`` runs) and refits as it grows; the orchestration decides
when (``orchestration.pool``), the warehouse keeps each fit (``match_model``).
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

import pandas as pd

from matching.linker import Timer, prepare_frame, score_pairs
from matching.normalize import standardise
from matching.scoring import ModelParameters
from matching.settings import MatchSettings, settings_to_dict


def settings_digest(settings: MatchSettings) -> str:
    """A short fingerprint of the model a fit belongs to: its comparisons, levels, blocking and training
    options (not ``workers``, which changes no estimate). A fit under other settings is not reused."""
    described = settings_to_dict(settings)
    described.pop("workers", None)
    text = json.dumps(described, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def fit_parameters(
    frame: pd.DataFrame, settings: MatchSettings, population: int | None = None
) -> tuple[ModelParameters, dict[str, Any]]:
    """Estimate the model on canonical records, as ``dedupe`` does before clustering them.

    Args:
        frame: canonical records (``record_id`` plus the fields the settings name): the pool's, or its
            most recent part.
        settings: the model to start from.
        population: how many records ``frame`` stands for, when it is a recent part of a larger pool.
            The person prior is per pair of records; a window of one dispute-length holds about as many
            same-person pairs per record as the whole pool, among far fewer pairs, so the prior is scaled
            by the share of pairs it saw, ``(n - 1) / (population - 1)``.

    Returns:
        ``(parameters, stats)``: ``stats`` is training's (``unreliable`` lists what it kept from the
        settings, ``skipped`` says why it estimated nothing), plus ``records`` and ``population``.
    """
    std = standardise(prepare_frame(frame), settings)
    scores, parameters = score_pairs(std, None, settings, None, Timer())
    stats: dict[str, Any] = {**scores.training, "records": len(std), "population": population or len(std)}
    if population is not None and population > len(std) > 1 and "skipped" not in stats:
        scaled = parameters.prior_person * (len(std) - 1) / (population - 1)
        parameters = parameters.replace(prior_person=scaled)
        stats["prior_person"] = scaled
    return parameters, stats
