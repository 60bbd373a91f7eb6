"""The whole flow in one DAG: extract each source → land → standardise and validate → match → pool."""

from __future__ import annotations

import os
from datetime import datetime, timedelta

from airflow.sdk import Asset, CronDataIntervalTimetable, dag, task

from connectors.registry import CONNECTORS

# Retries absorb transient source faults in production; the embedded runs (`make demo`, tests) set
# HUB_TASK_RETRIES=0 so that a failure surfaces at once instead of waiting out the retry delay.
RETRIES = int(os.environ.get("HUB_TASK_RETRIES", "2"))
POOL = Asset("complaint_pool", uri="hub://warehouse/complaint_case")


@dag(
    dag_id="complaint_hub",
    schedule=CronDataIntervalTimetable("0 0 * * *", timezone="Asia/Shanghai"),
    start_date=datetime(2026, 1, 1),
    catchup=False,
    max_active_runs=1,
    default_args={"retries": RETRIES, "retry_delay": timedelta(minutes=2), "retry_exponential_backoff": True},
    tags=["complaints"],
    doc_md=__doc__,
)
def complaint_hub() -> None:
    @task
    def prepare_warehouse() -> None:
        """Bring the warehouse schema to the latest migration (a no-op when it is current)."""
        from warehouse import migrate

        migrate()

    @task
    def extract(source: str, data_interval_start: datetime | None = None,
                data_interval_end: datetime | None = None, run_id: str | None = None) -> str:
        """Fetch the source's window (plus overlap) and land every row verbatim; return the batch id."""
        from connectors import Window, connector_from_airflow, payload_hash
        from warehouse import land_batch, make_engine, open_batch

        assert data_interval_start is not None and data_interval_end is not None
        window = Window(data_interval_start, data_interval_end)
        connector, engine = connector_from_airflow(source), make_engine()
        batch_id = open_batch(engine, source, window.key, window.start, window.end, run_id)
        rows = ((connector.record_key(raw), payload_hash(raw), raw) for raw in connector.fetch_raw(window))
        print(f"{source} window {window.start.isoformat()} – {window.end.isoformat()}: "
              f"{land_batch(engine, batch_id, source, rows)}")
        return batch_id

    @task
    def validate(batch_id: str, data_interval_end: datetime | None = None) -> dict[str, int]:
        """Standardise the landed rows, check them with the source's suite, stage or quarantine each."""
        from connectors import connector_class
        from expectations.batch import check_batch
        from warehouse import make_engine, read_landed, stage_batch

        assert data_interval_end is not None
        engine = make_engine()
        checked = check_batch(connector_class(batch_id.split(":")[0]), read_landed(engine, batch_id),
                              reference_time=data_interval_end)
        return stage_batch(engine, batch_id, checked.records, checked.quarantined, checked.dq_results)

    @task(outlets=[POOL])
    def match_and_publish(batch_ids: list[str]) -> dict[str, int]:
        """Match the new records against each other and the pool, and publish cases in one transaction."""
        import pandas as pd

        from matching import blocking_keys, load_settings, match_incremental
        from warehouse import (
            CANDIDATE_COLUMNS,
            make_engine,
            pool_candidates,
            publish_matches,
            review_decisions,
            unmatched_records,
        )

        engine, settings = make_engine(), load_settings()
        new = pd.DataFrame(unmatched_records(engine, list(batch_ids)))
        if new.empty:  # a re-run, or a window with nothing new: the pool stays as it is
            return {"records": 0, "new_cases": 0, "merges": 0}
        keys = blocking_keys(new, settings)
        existing = pd.DataFrame(pool_candidates(engine, keys.to_dict("records")), columns=list(CANDIDATE_COLUMNS))
        decisions = pd.DataFrame(review_decisions(engine), columns=["record_id_l", "record_id_r", "decision"])
        result = match_incremental(new, existing, settings, decisions=decisions)
        return publish_matches(engine, result.assignments.to_dict("records"), result.merges.to_dict("records"),
                               result.pairs.to_dict("records"), keys.to_dict("records"))

    batch_ids = extract.expand(source=[c.source for c in CONNECTORS])
    prepare_warehouse() >> batch_ids
    validated = validate.expand(batch_id=batch_ids)
    validated >> match_and_publish(batch_ids)


complaint_hub()
