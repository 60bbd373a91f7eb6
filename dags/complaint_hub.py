"""The whole flow in one DAG: extract each source → land → standardise and validate → match → pool.

The embedded path (``make demo``, the end-to-end tests, ``airflow dags test``). On the scheduler the
same steps run as one DAG per source (``complaint_sources.py``) chained by Assets to ``complaint_pool``;
this DAG stays paused there. Task bodies live in :mod:`orchestration`.
"""

from __future__ import annotations

import os
from datetime import datetime, timedelta

from airflow.sdk import CronDataIntervalTimetable, dag, task

from connectors.registry import CONNECTORS
from orchestration.assets import POOL
from orchestration.notify import notify_args

# Retries absorb transient source faults in production; the embedded runs (`make demo`, tests) set
# HUB_TASK_RETRIES=0 so that a failure surfaces at once instead of waiting out the retry delay.
RETRIES = int(os.environ.get("HUB_TASK_RETRIES", "2"))


@dag(
    dag_id="complaint_hub",
    schedule=CronDataIntervalTimetable("0 0 * * *", timezone="Asia/Shanghai"),
    start_date=datetime(2026, 1, 1),
    catchup=False,
    max_active_runs=1,
    default_args={
        "retries": RETRIES,
        "retry_delay": timedelta(minutes=2),
        "retry_exponential_backoff": True,
        **notify_args(),
    },
    tags=["complaints", "embedded"],
    doc_md=__doc__,
)
def complaint_hub() -> None:
    @task
    def prepare_warehouse() -> None:
        """Bring the warehouse schema to the latest migration (a no-op when it is current)."""
        from orchestration.ingest import prepare_warehouse

        prepare_warehouse()

    @task
    def extract(source: str, run_id: str | None = None) -> str:
        """Fetch the source's window (plus overlap), or a file drop's new files, and land every row verbatim."""
        from airflow.sdk import get_current_context

        from orchestration.ingest import extract_window, run_interval

        start, end = run_interval(get_current_context())
        return extract_window(source, start, end, run_id)

    @task
    def archive_files(batch_id: str) -> int:
        """Move a file drop's exports whose rows are committed (registered) to its archive folder."""
        from orchestration.ingest import archive_drop

        return archive_drop(batch_id)

    @task
    def validate(batch_id: str) -> dict[str, int]:
        """Check the landed rows (row expectations, then batch gates); stage and quarantine, or hold the batch."""
        from airflow.sdk import get_current_context

        from orchestration.ingest import run_interval, validate_batch

        return validate_batch(batch_id, run_interval(get_current_context())[1])

    @task(outlets=[POOL])
    def match_and_publish(batch_ids: list[str]) -> dict[str, int]:
        """Match the new records against each other and the pool, and publish cases in one transaction."""
        from orchestration.pool import match_and_publish

        return match_and_publish(list(batch_ids))

    batch_ids = extract.expand(source=[c.source for c in CONNECTORS])
    prepare_warehouse() >> batch_ids
    archive_files.expand(batch_id=batch_ids)
    validated = validate.expand(batch_id=batch_ids)
    # Airflow types a task call with the function's own parameters, but at parse time the argument is the
    # XComArg resolved at run time; its mypy plugin that fixes this is not shipped (apache/airflow#39514).
    validated >> match_and_publish(batch_ids)  # type: ignore[arg-type]


complaint_hub()
