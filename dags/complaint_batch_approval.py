"""A held batch settled in Airflow: describe it → a person releases or rejects it, with a reason → record.

Triggered once per held batch by the source DAG that held it (``conf: {"batch_id": …}``, run id
``held__<batch id>``). The decision waits in Browse → Required Actions (or the REST API's
``hitlDetails``) without a timeout; it is recorded in ``batch_decision`` in the responding user's name,
as ``python -m warehouse batch release|reject`` records it. A release publishes the source's staged
Asset, so the pool matches the batch at once. Task bodies live in :mod:`orchestration.approval`.
"""

from __future__ import annotations

from typing import Any

from airflow.sdk import AssetAlias, Param, dag, task

from orchestration.approval import APPROVAL_DAG
from orchestration.approval_operator import BatchDecisionOperator
from orchestration.schedules import dag_policy

POLICY = dag_policy("approval")
RELEASED = AssetAlias("complaint_released")  # resolves to the released batch's complaint_staged_<source>


@dag(
    dag_id=APPROVAL_DAG,
    schedule=None,
    start_date=POLICY.start,
    catchup=False,
    max_active_runs=POLICY.max_active_runs,
    default_args=POLICY.default_args(),
    params={"batch_id": Param(type="string", description="the held batch (python -m warehouse batch held)")},
    tags=["complaints", "quality", "approval"],
    doc_md=__doc__,
)
def complaint_batch_approval() -> None:
    @task
    def describe(params: dict[str, Any] | None = None) -> str:
        """Why the batch is held and what it holds: the body of the request."""
        from orchestration.approval import describe_held

        assert params is not None
        return describe_held(str(params["batch_id"]))

    decide = BatchDecisionOperator(
        task_id="decide",
        subject="Held batch {{ dag_run.conf['batch_id'] }}: release or reject?",
        body="{{ ti.xcom_pull(task_ids='describe') }}",
    )

    @task(outlets=[RELEASED])
    def record(response: dict[str, Any], params: dict[str, Any] | None = None) -> dict[str, Any]:
        """Record the decision in batch_decision; a release tells the pool (the source's staged Asset)."""
        from airflow.sdk import get_current_context

        from orchestration.approval import record_decision
        from orchestration.assets import source_asset

        assert params is not None
        recorded = record_decision(str(params["batch_id"]), response)
        if recorded.get("decision") == "release":
            source = recorded["batch_id"].split(":", 1)[0]
            event = {"batch_id": recorded["batch_id"], **recorded["counts"]}
            get_current_context()["outlet_events"][RELEASED].add(source_asset(source), extra=event)
        return recorded

    describe() >> decide
    record(decide.output)  # type: ignore[arg-type]  # an XComArg stands for the dict at run time


complaint_batch_approval()
