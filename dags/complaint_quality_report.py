"""The auditors' daily quality report, following the pool: each update rewrites the pages of the days it touched."""

from __future__ import annotations

from typing import Any

from airflow.sdk import Param, dag, task

from orchestration.assets import POOL
from orchestration.schedules import dag_policy

POLICY = dag_policy("report")


@dag(
    dag_id="complaint_quality_report",
    schedule=[POOL],
    start_date=POLICY.start,
    catchup=False,
    max_active_runs=1,
    default_args=POLICY.default_args(),
    params={
        "day": Param(
            None,
            type=["null", "string"],
            format="date",
            description="report this Beijing day (manual runs); default: the days the pool update touched",
        )
    },
    tags=["complaints", "quality"],
    doc_md=__doc__,
)
def complaint_quality_report() -> None:
    @task
    def report(
        params: dict[str, Any] | None = None, triggering_asset_events: Any = None, dag_run: Any = None
    ) -> list[str]:
        """Write ``audit-<day>.html`` for each day (HUB_DATA_DIR/reports)."""
        from datetime import date

        from orchestration.report import pool_batch_ids, report_days, write_quality_reports

        if params and params.get("day"):
            return write_quality_reports([date.fromisoformat(params["day"])])
        batch_ids = pool_batch_ids(triggering_asset_events)
        return write_quality_reports(report_days(batch_ids, getattr(dag_run, "run_after", None)))

    report()


complaint_quality_report()
