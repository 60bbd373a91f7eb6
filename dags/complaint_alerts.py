"""Reference alerting on the pool: time-limit clocks and 三色三单 warnings, then the bulletins and delivery.

Runs whenever the pool is updated (the Asset ``complaint_pool``) and reads only the pool's read-contract
views. The reference time is the end of the latest extraction window the pool holds (or the ``as_of``
param, or a manual run's logical date): never the wall clock, so a rerun gives the same lists. Delivery to the districts runs after the lists are
committed, as its own task (a failed channel never undoes an alert), and also after a failed evaluation, to
retry what earlier runs could not deliver.
"""

from __future__ import annotations

import logging
import os
from datetime import datetime, timedelta
from typing import Any

from airflow.sdk import Param, dag, task

from orchestration.assets import POOL
from orchestration.notify import notify_args

RETRIES = int(os.environ.get("HUB_TASK_RETRIES", "2"))
log = logging.getLogger(__name__)


@dag(
    dag_id="complaint_alerts",
    schedule=[POOL],
    start_date=datetime(2026, 1, 1),
    catchup=False,
    max_active_runs=1,  # the alert lists move forwards one evaluation at a time
    default_args={
        "retries": RETRIES,
        "retry_delay": timedelta(minutes=2),
        "retry_exponential_backoff": True,
        **notify_args(),
    },
    params={
        "as_of": Param(
            None,
            type=["null", "string"],
            description="reference time, ISO 8601 with offset (default: the pool's data)",
        )
    },
    tags=["complaints", "alerting"],
    doc_md=__doc__,
)
def complaint_alerts() -> None:
    @task
    def evaluate(
        params: dict[str, Any] | None = None,
        triggering_asset_events: Any = None,
        logical_date: datetime | None = None,
        run_id: str | None = None,
    ) -> str:
        """Compute the clocks, evaluate the rules and update the alert lists in one transaction."""
        from alerting import as_of_for_run, run_alerts
        from warehouse import make_engine, migrate

        migrate()  # a no-op when the warehouse is current
        engine = make_engine()
        as_of = as_of_for_run(
            engine, (params or {}).get("as_of"), bool(triggering_asset_events), logical_date
        )
        log.info("alerts at %s: %s", as_of.isoformat(), run_alerts(engine, as_of, run_id))
        return as_of.isoformat()

    @task
    def bulletins(as_of: str) -> dict[str, str]:
        """Write the report day's bulletins (daily per district, weekly, monthly, quarterly) under HUB_DATA_DIR/bulletins."""
        from alerting.bulletin import report_day, write_bulletins
        from warehouse import make_engine
        from warehouse.engine import data_dir

        paths = write_bulletins(
            make_engine(), report_day(datetime.fromisoformat(as_of)), data_dir() / "bulletins"
        )
        return {kind: str(path) for kind, path in paths.items()}

    @task(trigger_rule="all_done")
    def deliver() -> dict[str, Any]:
        """Send each new alert event to its district's (and street's) addresses; retry earlier failures."""
        from orchestration.delivery import deliver_pending

        return deliver_pending()

    evaluated = evaluate()
    # Airflow types a task call with the function's own parameters, but at parse time the argument is the
    # XComArg resolved at run time; its mypy plugin that fixes this is not shipped (apache/airflow#39514).
    bulletins(evaluated)  # type: ignore[arg-type]
    evaluated >> deliver()


complaint_alerts()
