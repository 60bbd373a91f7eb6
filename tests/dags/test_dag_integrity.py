"""The DAG folder imports cleanly and the hub DAG has the expected shape (Airflow best-practices.rst)."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.unit


def test_no_import_errors(dagbag) -> None:  # type: ignore[no-untyped-def]
    assert dagbag.import_errors == {}


def test_hub_dag_task_graph(dagbag) -> None:  # type: ignore[no-untyped-def]
    dag = dagbag.dags["complaint_hub"]
    graph = {task_id: sorted(task.downstream_task_ids) for task_id, task in dag.task_dict.items()}
    assert graph == {
        "prepare_warehouse": ["extract"],
        "extract": ["archive_files", "match_and_publish", "validate"],
        "archive_files": [],
        "validate": ["match_and_publish"],
        "match_and_publish": [],
    }


def test_schedule_uses_data_intervals_and_no_catchup(dagbag) -> None:  # type: ignore[no-untyped-def]
    dag = dagbag.dags["complaint_hub"]
    assert type(dag.timetable).__name__ == "CronDataIntervalTimetable"
    assert dag.catchup is False
    assert dag.max_active_runs == 1


def test_pool_is_published_as_an_asset(dagbag) -> None:  # type: ignore[no-untyped-def]
    task = dagbag.dags["complaint_hub"].get_task("match_and_publish")
    assert [a.name for a in task.outlets] == ["complaint_pool"]


def test_alerting_dag_follows_the_pool_asset(dagbag) -> None:  # type: ignore[no-untyped-def]
    dag = dagbag.dags["complaint_alerts"]
    graph = {task_id: sorted(task.downstream_task_ids) for task_id, task in dag.task_dict.items()}
    assert graph == {"evaluate": ["bulletins", "deliver"], "bulletins": [], "deliver": []}
    assert dag.get_task("deliver").trigger_rule == "all_done"  # retries earlier failures after a failed run
    assert type(dag.timetable).__name__ == "AssetTriggeredTimetable"
    assert [a.name for a in dag.timetable.asset_condition.objects] == ["complaint_pool"]
    assert dag.catchup is False and dag.max_active_runs == 1


def test_dag_files_import_nothing_heavy_at_top_level() -> None:
    heavy = ("pandas", "rapidfuzz", "great_expectations", "sqlalchemy", "numpy")
    for path in (ROOT / "dags").glob("*.py"):
        top = [
            line
            for line in path.read_text(encoding="utf-8").splitlines()
            if line.startswith(("import ", "from "))
        ]
        assert not [line for line in top if any(h in line for h in heavy)], path
