"""One DAG per registered source, on its own schedule: extract the data interval → validate and stage.

Generated from ``connectors.registry.CONNECTORS`` (adding a source needs no DAG edit), each on its
connector's ``schedule`` over ``orchestration/schedules.yaml``'s defaults. Each DAG publishes the
Asset ``complaint_staged_<source>`` when a batch is staged; ``complaint_pool`` is scheduled on them.
"""

from __future__ import annotations

from typing import Any

from airflow.sdk import CronDataIntervalTimetable, dag, task

from connectors import FileDropConnector
from connectors.base import BaseConnector
from connectors.registry import CONNECTORS
from orchestration.assets import source_asset
from orchestration.schedules import TIMEZONE, source_policy


def build_source_dag(cls: type[BaseConnector]) -> Any:
    """The DAG ``complaint_source_<source>`` of one connector class."""
    source, policy, staged = cls.source, source_policy(cls.source), source_asset(cls.source)

    @dag(
        dag_id=f"complaint_source_{source}",
        schedule=CronDataIntervalTimetable(policy.cron, timezone=TIMEZONE),
        start_date=policy.start,
        catchup=policy.catchup,
        max_active_runs=policy.max_active_runs,
        default_args=policy.default_args(),
        tags=["complaints", "source", source],
        doc_md=__doc__,
    )
    def source_dag() -> None:
        @task
        def extract(run_id: str | None = None) -> str:
            """Fetch the data interval (plus overlap), or a file drop's new files; land every row verbatim."""
            from airflow.sdk import get_current_context

            from orchestration.ingest import extract_window, run_interval

            start, end = run_interval(get_current_context())
            return extract_window(source, start, end, run_id)

        @task(outlets=[staged])
        def validate(batch_id: str) -> dict[str, int]:
            """Check, stage and quarantine the batch (or hold it); the staged batch is the Asset event."""
            from airflow.sdk import get_current_context

            from orchestration.ingest import run_interval, validate_batch

            context = get_current_context()
            counts = validate_batch(batch_id, run_interval(context)[1])
            context["outlet_events"][staged].extra = {"batch_id": batch_id, **counts}
            return counts

        batch_id = extract()
        validate(batch_id)  # type: ignore[arg-type]  # an XComArg stands for the str at run time
        if issubclass(cls, FileDropConnector):

            @task
            def archive_files(batch_id: str) -> int:
                """Move the exports whose rows are committed to the drop's archive folder."""
                from orchestration.ingest import archive_drop

                return archive_drop(batch_id)

            archive_files(batch_id)  # type: ignore[arg-type]

    return source_dag()


for _cls in CONNECTORS:
    globals()[f"complaint_source_{_cls.source}"] = build_source_dag(_cls)
