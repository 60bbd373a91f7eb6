"""The model fitted on a pool's records: what dedupe estimates, its prior scaled to the pool it stands
for, and a fingerprint of the settings it belongs to."""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any

import numpy as np
import pandas as pd
import pytest
from pool_data import simulated_records

from matching import dedupe
from matching.fitting import fit_parameters, settings_digest
from simulators import generate_world

pytestmark = pytest.mark.unit


@pytest.fixture(scope="module")
def records() -> Any:
    world = generate_world(seed=8, n_records=2600, start=date(2026, 1, 1), days=30)
    return pd.DataFrame(simulated_records(world.rows))


def test_the_fit_is_what_dedupe_estimates_on_the_same_records(records: Any, settings: Any) -> None:
    fitted, stats = fit_parameters(records, settings)
    estimated = dedupe(records, settings).parameters
    assert stats["records"] == stats["population"] == len(records) and "skipped" not in stats
    assert fitted.prior_person == estimated.prior_person != settings.prior_person
    for name in fitted.m:
        np.testing.assert_array_equal(fitted.m[name], estimated.m[name])
        np.testing.assert_array_equal(fitted.u[name], estimated.u[name])


def test_a_recent_part_of_a_larger_pool_scales_the_prior_by_the_pairs_it_saw(
    records: Any, settings: Any
) -> None:
    alone, _ = fit_parameters(records, settings)
    part, stats = fit_parameters(records, settings, population=4 * len(records))
    n = len(records)
    assert stats["population"] == 4 * n
    assert part.prior_person == pytest.approx(alone.prior_person * (n - 1) / (4 * n - 1))
    assert all(np.array_equal(part.m[k], alone.m[k]) for k in part.m)  # only the prior depends on size


def test_too_few_records_keep_the_settings_model_and_say_why(records: Any, settings: Any) -> None:
    fitted, stats = fit_parameters(records.head(500), settings, population=10_000)
    assert "skipped" in stats and fitted.prior_person == settings.prior_person


def test_the_settings_digest_ignores_workers_and_follows_the_model(settings: Any) -> None:
    assert settings_digest(dataclasses.replace(settings, workers=4)) == settings_digest(settings)
    assert settings_digest(dataclasses.replace(settings, merge_threshold=0.85)) != settings_digest(settings)
