"""One DAG per registered source, on its own schedule: extract the data interval → validate and stage.

Generated from ``connectors.registry.CONNECTORS`` (adding a source needs no DAG edit), each on its
connector's ``schedule`` over ``orchestration/schedules.yaml``'s defaults. Each DAG publishes the
Asset ``complaint_staged_<source>`` when a batch is staged; ``complaint_pool`` is scheduled on them.
A batch held at a gate publishes nothing: the run triggers ``complaint_batch_approval`` for it (a
person releases or rejects it there) and ends, so the source's next run never waits for the decision.
"""

from __future__ import annotations

from typing import Any

from airflow.providers.standard.operators.trigger_dagrun import TriggerDagRunOperator
from airflow.sdk import CronDataIntervalTimetable, dag, task

from connectors import FileDropConnector
from connectors.base import BaseConnector
from connectors.registry import CONNECTORS
from orchestration.approval import APPROVAL_DAG
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

        @task
        def validate(batch_id: str) -> dict[str, Any]:
            """Check, stage and quarantine the batch, or hold it (``"held": True``) for a person to decide."""
            from airflow.sdk import get_current_context

            from orchestration.ingest import run_interval, validate_batch

            verdict = validate_batch(batch_id, run_interval(get_current_context())[1], hold_fails=False)
            return {"batch_id": batch_id, **verdict}

        @task(outlets=[staged])
        def publish_staged(verdict: dict[str, Any]) -> dict[str, Any]:
            """The staged batch is the Asset event the pool follows; a held batch is skipped (no event)."""
            from airflow.sdk import get_current_context
            from airflow.sdk.exceptions import AirflowSkipException

            if verdict.get("held"):
                raise AirflowSkipException(
                    f"batch {verdict['batch_id']} is held: complaint_batch_approval decides"
                )
            get_current_context()["outlet_events"][staged].extra = verdict
            return verdict

        @task.short_circuit
        def held(verdict: dict[str, Any]) -> dict[str, str] | None:
            """The approval run's conf when the batch is held; nothing (the trigger is skipped) otherwise."""
            from orchestration.approval import approval_request

            return approval_request(verdict)

        batch_id = extract()
        verdict = validate(batch_id)  # type: ignore[arg-type]  # an XComArg stands for the str at run time
        publish_staged(verdict)  # type: ignore[arg-type]
        request = held(verdict)  # type: ignore[arg-type]
        request >> TriggerDagRunOperator(
            task_id="request_approval",
            trigger_dag_id=APPROVAL_DAG,
            trigger_run_id="{{ ti.xcom_pull(task_ids='held')['run_id'] }}",
            conf=request,  # type: ignore[arg-type]
            logical_date=None,
            skip_when_already_exists=True,
        )
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
