"""The production executor: the native stack with the CeleryExecutor on the local Redis runs source DAGs
to the end, every task executed by the Celery worker (its results are in Celery's result backend), a
manual run without a logical date included."""

from __future__ import annotations

import os
import socket
import time
from collections.abc import Callable, Iterator

import pytest
import sqlalchemy as sa
from native_stack import Stack, running_stack
from stack import free_port

pytestmark = [pytest.mark.integration, pytest.mark.slow]

DAGS = ("complaint_source_hotline", "complaint_source_petition")
TIMEOUT = 300.0


def _redis_reachable() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=2):
            return True
    except OSError:
        return False


@pytest.fixture(scope="module")
def celery_stack(tmp_path_factory: pytest.TempPathFactory, postgres_admin_url: str) -> Iterator[Stack]:
    if not _redis_reachable():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("CI=true but Redis is not reachable at 127.0.0.1:6379: .ci/run starts it")
        pytest.skip("Redis is not reachable at 127.0.0.1:6379")
    # A Redis database of its own, and a free port for the worker's log server: a stack a user runs on
    # this machine keeps its queue and its port.
    with running_stack(
        tmp_path_factory.mktemp("celery"),
        postgres_admin_url,
        executor="celery",
        redis_url="redis://127.0.0.1:6379/11",
        records=300,
        days=2,
        task_retries=0,
        triggerer=False,
        extra_env={"AIRFLOW__LOGGING__WORKER_LOG_SERVER_PORT": str(free_port())},
    ) as running:
        yield running


def test_the_celery_provider_is_installed() -> None:
    import airflow.providers.celery  # noqa: F401  (`make install` installs the celery extra)


def _until(stack: Stack, what: str, done: Callable[[], bool]) -> None:
    began = time.monotonic()
    while not done():
        assert time.monotonic() - began < TIMEOUT, f"{what}: not after {TIMEOUT:.0f}s\n{stack.diagnostics()}"
        time.sleep(2)


def test_source_dags_run_on_the_celery_worker(celery_stack: Stack) -> None:
    stack = celery_stack
    names = ", ".join(f"'{d}'" for d in DAGS)
    _until(
        stack,
        "the DAGs serialized",
        lambda: stack.scalar(f"SELECT count(*) FROM dag WHERE dag_id IN ({names})") == len(DAGS),
    )
    for dag in DAGS:
        stack.airflow("dags", "unpause", dag)
    # As an operator would, with the Trigger button: no logical date, so no data interval; each run covers
    # its schedule's last complete interval (for the daily petitions: yesterday, which the simulators hold).
    for dag in DAGS:
        stack.airflow("dags", "trigger", dag)

    def settled() -> bool:
        """Every run finished (the two triggered and the two unpausing scheduled) and every task the
        workers ran has its result in Celery's backend (written just after the task reports)."""
        states = {r["state"] for r in stack.runs(*DAGS)}
        assert "failed" not in states, stack.diagnostics()
        if len(stack.runs(*DAGS)) < 2 * len(DAGS) or states != {"success"}:
            return False
        tasks = stack.scalar(
            f"SELECT count(*) FROM task_instance WHERE dag_id IN ({names}) AND state = 'success'"
        )
        return (
            bool(tasks)
            and stack.scalar("SELECT count(*) FROM celery_taskmeta WHERE status = 'SUCCESS'") == tasks
        )

    _until(stack, "the runs on the Celery worker", settled)
    # Yesterday's petitions went the whole way: landed, checked and staged.
    day = stack.scalar("SELECT count(*) FROM complaint_record WHERE source = 'petition'", stack.warehouse)
    with stack.warehouse.connect() as conn:
        batches = conn.execute(
            sa.text(
                "SELECT batch_id, status, fetched, landed, quarantined FROM batch "
                "WHERE source = 'petition' ORDER BY batch_id"
            )
        ).all()
    assert day > 0, (batches, stack.runs(DAGS[1]))
