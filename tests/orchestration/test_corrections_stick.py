"""Reviewers' corrections stick: later pool runs (one task or partitioned), a backfill of the same day and a
rehash leave split cases apart and merged cases together; verdicts teach the passes' model."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa
from pool_data import rows, stage
from pool_runs import pool_run
from review_data import LATER, OTHERS, WAGES, case_of, membership, pool

from orchestration.pool import match_and_publish, plan_pass, publish_pass, score_shard
from warehouse import make_engine
from warehouse.review import decide, labelled_pairs, merge_cases, pass_decisions, split_case

pytestmark = pytest.mark.integration


@pytest.mark.parametrize("partitioned", [False, True], ids=["one_task", "partitioned"])
def test_corrections_survive_matching_backfill_and_rehash(
    migrated_url: str, partitioned: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    from warehouse.__main__ import main
    from warehouse.access.hashing import hash_key

    monkeypatch.setenv("HUB_DATABASE_URL", migrated_url)
    engine = make_engine(migrated_url)
    pool(engine)
    wages = case_of(engine, "petition:p1")
    assert case_of(engine, "hotline:h1") == wages
    split = split_case(engine, wages, ["hotline:h1"], "clerk-1", "the hotline call is a second dispute")
    merged = merge_cases(
        engine, case_of(engine, "app:a1"), case_of(engine, "police:x1"), "clerk-2", "one flat"
    )
    corrected = membership(engine)

    # A later report matches both sides of the split: it joins one, and the split stays.
    counts = pool_run(stage(engine, [LATER], key="day-4"), partitioned)
    assert counts["records"] == 1 and counts["merges"] == 0
    after = membership(engine)
    assert {r: c for r, c in after.items() if r != "app:a9"} == corrected
    assert after["app:a9"] in (wages, split["other_case_id"])
    # A case-level cannot-link now keeps the new report's case apart from the other side, with no pair
    # between its own records and the other side.
    other = split["other_case_id"] if after["app:a9"] == wages else wages
    anchor = next(r for r, c in after.items() if c == other)
    lifted = pass_decisions(engine, {"app:a9": after["app:a9"], anchor: other})
    assert {
        "record_id_l": min("app:a9", anchor),
        "record_id_r": max("app:a9", anchor),
        "decision": "different",
    } in lifted

    # A backfill of the same day re-stages the records (the hotline's status moved); the run keeps them.
    updated = [{**r, "status": "已办结"} if r["record_id"] == "hotline:h1" else r for r in [*WAGES, *OTHERS]]
    pool_run(stage(engine, updated), partitioned)
    assert membership(engine) == after
    (status,) = rows(engine, "SELECT current_status FROM v_case WHERE case_id = :c", c=after["hotline:h1"])
    assert status["current_status"] == "resolved"

    # A rehash moves every keyed hash and keeps the cases; later runs under the new key still obey.
    monkeypatch.setenv("HUB_NEW_HASH_KEY", "a-new-key-for-the-corrections-test-0123456")
    try:
        assert main(["--url", migrated_url, "rehash", "--new-key-env", "HUB_NEW_HASH_KEY"]) == 0
    finally:
        hash_key.cache_clear()
    monkeypatch.setenv("HUB_HASH_KEY", "a-new-key-for-the-corrections-test-0123456")
    try:
        assert membership(engine) == after
        again = {**LATER, "record_id": "hotline:h9", "source": "hotline", "source_record_id": "h9"}
        pool_run(stage(engine, [again], key="day-5"), partitioned)
        final = membership(engine)
        assert {r: c for r, c in final.items() if r != "hotline:h9"} == after
        assert final["petition:p1"] != final["hotline:h1"]
        assert final["app:a1"] == final["police:x1"] == merged["case_id"]
    finally:
        hash_key.cache_clear()
    engine.dispose()


def test_verdicts_teach_the_partitions_one_model(migrated_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Labelled pairs carry their comparison levels; the plan fits the model once and stores it for the
    partitions (supervised m where enough labels, the packaged m elsewhere)."""
    from matching import load_settings
    from matching.scoring import ModelParameters
    from matching.supervision import parameters_from_dict, parameters_to_dict, supervised_parameters
    from warehouse.pool.match_runs import match_run

    monkeypatch.setenv("HUB_DATABASE_URL", migrated_url)
    engine: sa.Engine = make_engine(migrated_url)
    pool(engine)
    review = rows(engine, "SELECT record_id_l, record_id_r FROM match_pair WHERE decision = 'review'")
    for pair in review:
        decide(engine, pair["record_id_l"], pair["record_id_r"], "different", "clerk", "no", apply=False)
    decide(engine, review[0]["record_id_l"], review[0]["record_id_r"], "same", "clerk", "yes", apply=False)
    labels = labelled_pairs(engine)
    assert len(labels) == len(review) and all(label["levels"] for label in labels)
    settings = load_settings()
    packaged = ModelParameters.from_settings(settings)
    learnt, stats = supervised_parameters(settings, labels, min_same=1)
    assert stats["labels_same"] == 1 and stats["labels_different"] == len(review) - 1
    assert any(not (learnt.m[n] == packaged.m[n]).all() for n in stats["learnt"])
    run_id = "asset_triggered__labels"
    plan_pass(run_id, stage(engine, [LATER], key="day-4"), 2)
    stored = match_run(engine, run_id)
    assert stored is not None and stored["parameters"] is not None
    kept = parameters_from_dict(stored["parameters"])  # one same label: too few, the packaged m is kept
    assert parameters_to_dict(kept) == parameters_to_dict(packaged)


OLDER = {**OTHERS[0], "record_id": "app:old", "source_record_id": "old", "name": "王芳", "phone": "13700000000",
         "address": "安宁区C路3号", "district": "安宁区", "category": "其他", "content": "楼上噪音", "reported_at": None}  # fmt: skip


@pytest.mark.parametrize("partitioned", [False, True], ids=["one_task", "partitioned"])
def test_a_correction_during_a_pass_makes_it_match_again(
    migrated_url: str, partitioned: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A pass that read the pool before a reviewer's merge would put a new report into the absorbed case;
    the publish sees the pool's version moved and the pass is matched again on the pool as it is."""
    from pool_data import at

    import orchestration.pool

    monkeypatch.setenv("HUB_DATABASE_URL", migrated_url)
    engine = make_engine(migrated_url)
    pool(engine, [*WAGES, *OTHERS, {**OLDER, "reported_at": at(1)}])
    wages, older = case_of(engine, "petition:p1"), case_of(engine, "app:old")

    def merge() -> None:  # the older case survives: the wage dispute's id is absorbed
        assert merge_cases(engine, wages, older, "clerk-1", "test")["case_id"] == older

    batches = stage(engine, [LATER], key="day-4")
    if partitioned:
        run_id = "asset_triggered__race"
        shards = plan_pass(run_id, batches, 2)
        merge()
        for shard in shards:
            score_shard(run_id, shard)
        publish_pass(run_id)
    else:
        read = orchestration.pool._parameters
        calls: list[int] = []

        def merge_meanwhile(*args: Any) -> Any:
            calls.append(1)
            if len(calls) == 1:
                merge()
            return read(*args)

        monkeypatch.setattr(orchestration.pool, "_parameters", merge_meanwhile)
        match_and_publish(batches)
        assert len(calls) == 2  # read twice
    assert case_of(engine, "app:a9") == older == case_of(engine, "petition:p1")
    assert rows(engine, "SELECT m.record_id FROM case_member m JOIN complaint_case c ON c.case_id = m.case_id "
                        "WHERE c.status = 'merged'") == []  # fmt: skip
