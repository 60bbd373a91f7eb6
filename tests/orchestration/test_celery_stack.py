"""The production executor: the native stack with the CeleryExecutor on the local Redis runs a source DAG
to the end, every task executed by the Celery worker (its results are in Celery's result backend)."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from native_stack import Stack, running_stack
from stack import free_port

pytestmark = [pytest.mark.integration, pytest.mark.slow]

DAG = "complaint_source_hotline"
TIMEOUT = 300.0


def test_the_celery_provider_is_installed() -> None:
    import airflow.providers.celery  # noqa: F401  (`make install` installs the celery extra)


@pytest.fixture(scope="module")
def celery_stack(tmp_path_factory: pytest.TempPathFactory, postgres_admin_url: str) -> Iterator[Stack]:
    # A Redis database of its own, and a free port for the worker's log server: a stack a user runs on
    # this machine keeps its queue and its port.
    with running_stack(tmp_path_factory.mktemp("celery"), postgres_admin_url, executor="celery",
                       redis_url="redis://127.0.0.1:6379/11", records=300, start="2026-11-18", days=1,
                       task_retries=0, triggerer=False,
                       extra_env={"AIRFLOW__LOGGING__WORKER_LOG_SERVER_PORT": str(free_port())}) as running:
        yield running


def test_a_source_dag_runs_on_the_celery_worker(celery_stack: Stack) -> None:
    stack = celery_stack
    began = time.monotonic()
    while stack.scalar(f"SELECT count(*) FROM dag WHERE dag_id = '{DAG}'") != 1:
        assert time.monotonic() - began < TIMEOUT, f"{DAG} never serialized\n{stack.diagnostics()}"
        time.sleep(2)
    stack.airflow("dags", "unpause", DAG)
    stack.airflow("dags", "trigger", DAG)

    def states() -> list[str]:  # the triggered run, and the scheduled one unpausing may have created
        return [r["state"] for r in stack.runs(DAG)]

    while not states() or set(states()) - {"success", "failed"}:
        assert time.monotonic() - began < TIMEOUT, f"{DAG} runs not finished\n{stack.diagnostics()}"
        time.sleep(2)
    assert set(states()) == {"success"}, stack.diagnostics()
    tasks = stack.scalar(f"SELECT count(*) FROM task_instance WHERE dag_id = '{DAG}' AND state = 'success'")
    # Each task the scheduler queued went through Redis to the worker, which stored its result.
    executed = stack.scalar("SELECT count(*) FROM celery_taskmeta WHERE status = 'SUCCESS'")
    assert tasks >= 2 * len(states()) and executed == tasks, (tasks, executed, states())
    assert stack.scalar("SELECT count(*) FROM batch WHERE source = 'hotline' AND status = 'staged'",
                        stack.warehouse) >= 1
    worker_log = (stack.config.var / "logs" / "celery-worker.log").read_text(errors="replace")
    assert "ready" in worker_log  # celery's banner: the worker connected to the broker
