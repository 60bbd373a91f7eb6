"""The pool scores its passes with the matcher fitted on its own records: none while it is too small,
a fit once it is large enough, the same fit until it has grown by a quarter, a new one then, and one per
settings."""

from __future__ import annotations

import dataclasses
import json
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from pool_data import records_by_day, rows, stage

import orchestration.pool
from connectors.base import SHANGHAI, Window
from matching import load_settings
from matching.fitting import settings_digest
from matching.supervision import parameters_to_dict
from orchestration.pool import _parameters, match_and_publish
from simulators.world import generate_world
from warehouse import make_engine

pytestmark = [pytest.mark.integration, pytest.mark.slow]

START = date(2026, 11, 18)


def _days(count: int) -> list[list[dict[str, Any]]]:
    """``count`` days of simulated reports as canonical records, one list per day."""
    return records_by_day(
        generate_world(seed=21, n_records=450 * count, start=START, days=count).rows, START, count
    )


def test_the_pool_fits_the_matcher_on_its_own_records_and_again_as_it_grows(
    migrated_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A pool this small fits from 300 records (the packaged settings ask 2,000).
    settings = dataclasses.replace(load_settings(), workers=1)
    settings = dataclasses.replace(settings, training=dataclasses.replace(settings.training, min_records=300))
    monkeypatch.setattr(orchestration.pool, "_task_settings", lambda: settings)
    monkeypatch.setenv("HUB_DATABASE_URL", migrated_url)
    engine = make_engine(migrated_url)
    fits = "SELECT settings_digest, records, pool_records FROM match_model ORDER BY fit_id"
    days = _days(3)
    pooled: list[int] = []
    for index, records in enumerate([days[0], days[1], days[2][:40]]):
        start = datetime(START.year, START.month, START.day, tzinfo=SHANGHAI) + timedelta(days=index)
        match_and_publish(stage(engine, records, Window(start, start + timedelta(days=1))))
        pooled.append(rows(engine, "SELECT count(*) AS n FROM case_member")[0]["n"])
    digest = settings_digest(settings)
    # Day 1's pass met an empty pool (the packaged model); day 2's a pool of day 1's records, and fitted
    # on them; day 3's a pool grown by more than a quarter since, and fitted again on all of it.
    assert pooled[0] >= 300 and pooled[1] >= 1.25 * pooled[0]
    assert [tuple(r.values()) for r in rows(engine, fits)] == [
        (digest, pooled[0], pooled[0]),
        (digest, pooled[1], pooled[1]),
    ]
    # Until the pool grows by a quarter, a pass scores with the latest fit, fitting nothing.
    assert pooled[2] < 1.25 * pooled[1]
    stored = rows(engine, "SELECT parameters FROM match_model ORDER BY fit_id DESC")[0]["parameters"]
    used = parameters_to_dict(_parameters(engine, settings))
    assert len(rows(engine, fits)) == 2
    assert used == (json.loads(stored) if isinstance(stored, str) else stored)
    assert used["prior_person"] != settings.prior_person and used["u"] != {
        c.name: list(c.u) for c in settings.comparisons
    }
    # Other settings (a release with other comparisons) do not reuse it: they fit under their own digest.
    other = dataclasses.replace(settings, merge_threshold=0.85)
    _parameters(engine, other)
    assert [r["settings_digest"] for r in rows(engine, fits)] == [digest, digest, settings_digest(other)]
    engine.dispose()
