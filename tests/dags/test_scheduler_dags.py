"""The scheduler's DAGs: one per source on its own schedule, the pool on their Assets, the report on the pool's."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from connectors import FileDropConnector
from connectors.registry import CONNECTORS
from orchestration.schedules import source_policy

ROOT = Path(__file__).resolve().parents[2]
SOURCES = [c.source for c in CONNECTORS]

pytestmark = pytest.mark.unit


@pytest.mark.parametrize("source", SOURCES)
def test_one_dag_per_source_on_its_own_schedule(dagbag, source: str) -> None:  # type: ignore[no-untyped-def]
    dag = dagbag.dags[f"complaint_source_{source}"]
    policy = source_policy(source)
    assert type(dag.timetable).__name__ == "CronDataIntervalTimetable"
    assert (
        dag.timetable.expression == policy.cron
        and str(getattr(dag.timetable.timezone, "name", dag.timetable.timezone)) == "Asia/Shanghai"
    )
    assert dag.catchup is policy.catchup and dag.max_active_runs == policy.max_active_runs
    graph = {task_id: sorted(task.downstream_task_ids) for task_id, task in dag.task_dict.items()}
    drop = issubclass(next(c for c in CONNECTORS if c.source == source), FileDropConnector)
    settle = {
        "validate": ["held", "publish_staged"],
        "publish_staged": [],
        "held": ["request_approval"],
        "request_approval": [],
    }
    assert graph == (
        {"extract": ["archive_files", "validate"], "archive_files": [], **settle}
        if drop
        else {"extract": ["validate"], **settle}
    )
    assert [a.name for a in dag.get_task("publish_staged").outlets] == [f"complaint_staged_{source}"]
    assert dag.get_task("validate").outlets == []  # a held batch publishes no event
    trigger = dag.get_task("request_approval")
    assert trigger.trigger_dag_id == "complaint_batch_approval" and trigger.skip_when_already_exists
    for task in dag.tasks:
        assert task.retry_exponential_backoff and task.max_retry_delay is not None
        assert task.execution_timeout == timedelta(minutes=policy.execution_timeout_minutes)


def test_schedules_differ_by_source() -> None:
    assert source_policy("hotline").cron == source_policy("app").cron == "*/15 * * * *"
    assert source_policy("police").cron == "0 * * * *"
    assert source_policy("petition").cron == "0 0 * * *"


def test_pool_dag_runs_on_any_sources_asset_in_mapped_partitions(dagbag) -> None:  # type: ignore[no-untyped-def]
    dag = dagbag.dags["complaint_pool"]
    assert type(dag.timetable).__name__ == "AssetTriggeredTimetable"
    condition = dag.timetable.asset_condition
    assert type(condition).__name__ == "AssetAny"
    assert sorted(a.name for a in condition.objects) == sorted(f"complaint_staged_{s}" for s in SOURCES)
    graph = {task_id: sorted(task.downstream_task_ids) for task_id, task in dag.task_dict.items()}
    assert graph == {"plan": ["score"], "score": ["publish"], "publish": []}
    assert type(dag.get_task("score")).__name__.endswith("MappedOperator")
    publish = dag.get_task("publish")
    assert [a.name for a in publish.outlets] == ["complaint_pool"] and publish.trigger_rule == "none_failed"
    assert dag.max_active_runs == 1 and dag.params["partitions"] >= 1


def test_quality_report_follows_the_pool(dagbag) -> None:  # type: ignore[no-untyped-def]
    dag = dagbag.dags["complaint_quality_report"]
    assert type(dag.timetable).__name__ == "AssetTriggeredTimetable"
    assert [a.name for a in dag.timetable.asset_condition.objects] == ["complaint_pool"]


def test_a_held_batch_waits_for_a_person_in_its_own_approval_run(dagbag) -> None:  # type: ignore[no-untyped-def]
    dag = dagbag.dags["complaint_batch_approval"]
    assert (
        type(dag.timetable).__name__ == "NullTimetable" and dag.max_active_runs > 1
    )  # many held batches may wait at once
    graph = {task_id: sorted(task.downstream_task_ids) for task_id, task in dag.task_dict.items()}
    assert graph == {"describe": ["decide"], "decide": ["record"], "record": []}
    decide = dag.get_task("decide")
    assert type(decide).__name__ == "BatchDecisionOperator" and decide.options == ["Release", "Reject"]
    # No timeout and no default: a held batch is never settled by the clock.
    assert decide.execution_timeout is None and decide.response_timeout is None and decide.defaults is None
    assert list(decide.serialized_params) == ["reason"]
    assert [a.name for a in dag.get_task("record").outlets] == ["complaint_released"]
