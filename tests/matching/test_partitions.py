"""Partitioned matching: plan → score per partition → combine gives exactly ``match_incremental``'s result,
for any number of partitions (pairs, levels, weights, assignments, merges)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd
import pytest
from pool_data import simulated_records

import matching.normalize
import matching.partitions
from matching import blocking_keys, dedupe, match_incremental
from matching.incremental import prepare_incremental
from matching.partitions import (
    match_partitioned,
    plan_partitions,
    score_partition,
    shard_of,
    standardise_pass,
    standardised_columns,
)
from simulators.world import generate_world

from .conftest import COLUMNS, frame, wage_case

pytestmark = pytest.mark.unit


@pytest.fixture(scope="module")
def batch_and_pool(settings: Any) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A simulated pool (deduplicated) and the next batch, with the pool records sharing a key with it."""
    world = generate_world(seed=5, n_records=2400, start=date(2026, 1, 1), days=20)
    records = pd.DataFrame(simulated_records(world.rows))[list(COLUMNS)].sort_values(
        ["reported_at", "record_id"], kind="stable"
    )
    pool, batch = records.iloc[:1800], records.iloc[1800:]
    clusters = dedupe(pool, settings).clusters.rename(columns={"cluster_id": "case_id"})
    existing = pool.merge(clusters, on="record_id")
    existing["case_first_reported_at"] = existing.groupby("case_id")["reported_at"].transform("min")
    keys = blocking_keys(batch, settings)[["rule", "key"]].drop_duplicates()
    sharing = blocking_keys(existing, settings).merge(keys, on=["rule", "key"])["record_id"]
    return batch, existing[existing["record_id"].isin(sharing)]


def _same(left: Any, right: Any) -> None:
    pd.testing.assert_frame_equal(left.assignments, right.assignments)
    pd.testing.assert_frame_equal(left.merges, right.merges)
    as_text = {"record_id_l": str, "record_id_r": str, "rules": str, "decision": str}
    pd.testing.assert_frame_equal(left.pairs.astype(as_text), right.pairs.astype(as_text))


@pytest.mark.slow
@pytest.mark.parametrize(
    "partitions",
    [
        pytest.param(1, id="1 partition"),
        pytest.param(8, id="8 partitions"),
        pytest.param(3, id="3 partitions"),
    ],
)
def test_any_partition_count_gives_match_incrementals_result(
    batch_and_pool: Any, settings: Any, partitions: int
) -> None:
    batch, existing = batch_and_pool
    reference = match_incremental(batch, existing, settings)
    assert len(reference.pairs) > 500 and reference.assignments["is_new_case"].any()
    assert not reference.assignments["is_new_case"].all()  # some join pooled cases
    _same(reference, match_partitioned(batch, existing, settings, partitions=partitions))


def test_one_and_eight_partitions_agree_with_merges_and_reviewer_verdicts(settings: Any) -> None:
    case = wage_case()
    pool = frame(case[:2]).assign(
        case_id=["case-a", "case-b"], case_first_reported_at=["2026-11-20", "2026-11-19"]
    )
    decisions = pd.DataFrame(
        [{"record_id_l": "app:XL1", "record_id_r": "hotline:GD1", "decision": "different"}]
    )
    one = match_partitioned(frame(case[2:]), pool, settings, decisions=decisions, partitions=1)
    eight = match_partitioned(frame(case[2:]), pool, settings, decisions=decisions, partitions=8)
    _same(one, eight)
    _same(one, match_incremental(frame(case[2:]), pool, settings, decisions=decisions))


def test_every_live_block_belongs_to_one_partition_with_all_its_members(settings: Any) -> None:
    case = wage_case()
    combined, is_new = prepare_incremental(
        frame(case[2:]), frame(case[:2]).assign(case_id="c", case_first_reported_at=None)
    )
    plan = plan_partitions(combined, is_new, settings, 8)
    keys = blocking_keys(combined, settings)
    for (rule, key), block in keys.groupby(["rule", "key"]):
        if len(block) < 2:
            continue
        shard = shard_of(str(rule), str(key), 8)
        assert set(block["record_id"]) <= set(plan.loc[plan["shard"] == shard, "record_id"])


def test_shards_are_stable_and_in_range() -> None:
    assert shard_of("phone_norm", "13893112345", 8) == shard_of("phone_norm", "13893112345", 8)
    assert {shard_of("r", str(i), 8) for i in range(200)} == set(range(8))
    with pytest.raises(ValueError, match="at least 1"):
        plan_partitions(frame([]), pd.Series([], dtype=bool).to_numpy(), None, 0)  # type: ignore[arg-type]


@pytest.mark.slow
def test_records_are_standardised_once_for_the_whole_pass(
    batch_and_pool: Any, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    batch, existing = batch_and_pool
    standardised: list[int] = []
    real = matching.normalize.standardise

    def counting(frame: pd.DataFrame, *args: Any, **kwargs: Any) -> pd.DataFrame:
        standardised.append(len(frame))
        return real(frame, *args, **kwargs)

    monkeypatch.setattr(matching.normalize, "standardise", counting)  # blocking_keys' lookup
    monkeypatch.setattr(matching.partitions, "standardise", counting)
    combined, _ = prepare_incremental(batch, existing)
    result = match_partitioned(batch, existing, settings, partitions=8)
    assert standardised == [len(combined)]  # the plan's; no partition or combine standardises again
    monkeypatch.undo()
    _same(match_incremental(batch, existing, settings), result)


def test_a_partition_standardises_only_what_its_records_lack(settings: Any) -> None:
    case = wage_case()
    combined, is_new = prepare_incremental(
        frame(case[2:]), frame(case[:2]).assign(case_id="c", case_first_reported_at=None)
    )
    std = standardise_pass(combined, settings)
    assert set(standardised_columns(settings)) <= set(std.columns) and len(std) == len(combined)
    plan = plan_partitions(std, is_new, settings, 3)
    pd.testing.assert_frame_equal(plan, plan_partitions(combined, is_new, settings, 3))
    flags = pd.Series(is_new, index=combined["record_id"].to_numpy())
    partial = std.drop(columns=["name_fuzzy", "reported_days"])  # two fields left to the partition
    scored = 0
    for shard, members in plan.groupby("shard"):
        rows = combined["record_id"].isin(members["record_id"]).to_numpy()
        new = flags.reindex(combined.loc[rows, "record_id"]).to_numpy()
        parts = [
            score_partition(source[rows], new, settings, int(str(shard)), 3)
            for source in (combined, std, partial)
        ]
        pd.testing.assert_frame_equal(parts[0], parts[1])
        pd.testing.assert_frame_equal(parts[0], parts[2])
        scored += len(parts[0])
    assert scored > 0
