"""A pool run that fails for good loses nothing: the next run, whatever batch triggered it, takes in
every staged batch no publish has taken in yet (placing its records, refreshing its re-staged records'
cases), and marks it pooled."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa
from pool_data import at, record, rows, stage
from pool_runs import pool_run

import warehouse.pool.pooling
from orchestration.pool import match_and_publish
from warehouse import make_engine, unpooled_batches

pytestmark = pytest.mark.integration

PETITION = record(
    "petition:p1",
    reported_at=at(9),
    name="张伟",
    phone="13800000001",
    district="城关区",
    address="城关区A路1号",
    category="劳资欠薪",
    content="反映在宏泰华府项目务工被拖欠工资",
    status="已受理",
    received_at=at(9),
    dispatched_at=at(12),
)
HOTLINE = record(
    "hotline:h1",
    reported_at=at(10),
    name="张伟",
    phone="13800000001",
    district="城关区",
    address="城关区A路1号",
    category="劳资欠薪",
    content="来电反映在宏泰华府项目务工被拖欠工资三万元",
    status="办理中",
    received_at=at(10),
    dispatched_at=at(11),
)
APP = record(
    "app:a1",
    reported_at=at(8, day=2),
    name="李娜",
    phone="13900000009",
    district="安宁区",
    address="安宁区C路3号",
    category="物业纠纷",
    content="小区物业不修电梯",
    status="open",
    received_at=at(8, day=2),
)


def _status(engine: sa.Engine, record_id: str) -> Any:
    (row,) = rows(
        engine,
        "SELECT c.current_status, c.updated_batch_id FROM complaint_case c "
        "JOIN case_member m ON m.case_id = c.case_id WHERE m.record_id = :r",
        r=record_id,
    )
    return row["current_status"], row["updated_batch_id"]


@pytest.mark.parametrize("partitioned", [False, True], ids=["one_task", "partitioned"])
def test_a_batch_whose_pool_run_failed_is_caught_up_by_the_next_run(
    migrated_url: str, partitioned: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HUB_DATABASE_URL", migrated_url)
    engine = make_engine(migrated_url)
    first = stage(engine, [PETITION, HOTLINE])
    assert unpooled_batches(engine) == sorted(first)
    pool_run(first, partitioned)
    assert unpooled_batches(engine) == []
    assert _status(engine, "hotline:h1")[0] == "in_progress"

    # The hotline closes the order; the pool run this triggers fails for good (after its retries).
    (update,) = stage(engine, [{**HOTLINE, "status": "已办结", "resolved_at": at(15, day=1)}], key="day-2")
    assert unpooled_batches(engine) == [update]

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("the warehouse went away mid-publish")

    with monkeypatch.context() as patch:
        patch.setattr(warehouse.pool.pooling, "publish", broken)
        with pytest.raises(RuntimeError):
            pool_run([update], partitioned)
    assert unpooled_batches(engine) == [update] and _status(engine, "hotline:h1")[0] == "in_progress"

    # The next run is triggered by another batch only; it still takes the update in.
    (later,) = stage(engine, [APP], key="day-3")
    counts = pool_run([later], partitioned)
    assert counts["new_cases"] == 1 and counts["status_changes"] == 1
    assert _status(engine, "hotline:h1") == ("resolved", update)
    assert unpooled_batches(engine) == []
    pooled = rows(engine, "SELECT batch_id, pooled_at FROM v_audit_batch ORDER BY batch_id")
    assert {r["batch_id"] for r in pooled} == {*first, update, later} and all(r["pooled_at"] for r in pooled)

    # Run again: nothing left behind, nothing changes.
    assert pool_run([later], partitioned)["status_changes"] == 0
    assert rows(engine, "SELECT batch_id, pooled_at FROM v_audit_batch ORDER BY batch_id") == pooled
    engine.dispose()


def test_staging_a_batch_again_clears_its_mark(migrated_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HUB_DATABASE_URL", migrated_url)
    engine = make_engine(migrated_url)
    (batch,) = stage(engine, [PETITION])
    match_and_publish([batch])
    assert unpooled_batches(engine) == []
    stage(engine, [{**PETITION, "status": "已办结"}])  # the same window again: a re-run of the source DAG
    assert unpooled_batches(engine) == [batch]
    match_and_publish([batch])
    assert unpooled_batches(engine) == [] and _status(engine, "petition:p1")[0] == "resolved"
    engine.dispose()
