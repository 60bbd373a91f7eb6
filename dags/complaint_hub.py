"""The whole flow in one DAG: extract each source → land → standardise and validate → match → pool."""

from __future__ import annotations

import os
from datetime import datetime, timedelta

from airflow.sdk import CronDataIntervalTimetable, dag, task

from connectors.registry import CONNECTORS
from orchestration.assets import POOL

# Retries absorb transient source faults in production; the embedded runs (`make demo`, tests) set
# HUB_TASK_RETRIES=0 so that a failure surfaces at once instead of waiting out the retry delay.
RETRIES = int(os.environ.get("HUB_TASK_RETRIES", "2"))
HASH_KEY_CONN = "hub_hash_key"  # optional: its password is the key of the warehouse's keyed hashes


def _use_hash_key() -> None:
    """Hand the warehouse the hash key of the Airflow connection ``hub_hash_key`` when one is defined
    (else the warehouse reads ``HUB_HASH_KEY`` or its local key file)."""
    from airflow.sdk import Connection
    from airflow.sdk.exceptions import AirflowNotFoundException

    try:
        password = Connection.get(HASH_KEY_CONN).password
    except AirflowNotFoundException:
        return
    if password:
        os.environ.setdefault("HUB_HASH_KEY", password)


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
        """Fetch the source's window (plus overlap), or a file drop's new files, and land every row verbatim."""
        from connectors import FileDropConnector, Window, connector_from_airflow
        from warehouse import land_batch, land_files, make_engine, new_files, open_batch

        assert data_interval_start is not None and data_interval_end is not None
        window = Window(data_interval_start, data_interval_end)
        connector, engine = connector_from_airflow(source), make_engine()
        batch_id = open_batch(engine, source, window.key, window.start, window.end, run_id)
        if isinstance(connector, FileDropConnector):  # no time cursor: the warehouse's registry says what is new
            files = new_files(engine, source, connector.list_files())
            stats = land_files(engine, batch_id, source, files, connector.keyed(connector.read_files(files)))
        else:
            stats = land_batch(engine, batch_id, source, connector.keyed(connector.fetch_raw(window)))
        print(f"{source} window {window.start.isoformat()} – {window.end.isoformat()}: {stats}")
        return batch_id

    @task
    def archive_files(batch_id: str) -> int:
        """Move a file drop's exports whose rows are committed (registered) to its archive folder."""
        from connectors import FileDropConnector, connector_class, connector_from_airflow
        from warehouse import loaded_files, make_engine, mark_archived

        source = batch_id.split(":", 1)[0]
        if not issubclass(connector_class(source), FileDropConnector):
            return 0
        connector, engine = connector_from_airflow(source), make_engine()
        assert isinstance(connector, FileDropConnector)
        moved = connector.archive(loaded_files(engine, source, connector.list_files()))
        mark_archived(engine, source, moved)
        return len(moved)

    @task
    def validate(batch_id: str, data_interval_end: datetime | None = None) -> dict[str, int]:
        """Check the landed rows (row expectations, then batch gates); stage and quarantine, or hold the batch."""
        from airflow.sdk.exceptions import AirflowFailException

        from connectors import connector_class
        from expectations.batch import check_batch
        from warehouse import BatchHeld, apply_gates, batch_profile, make_engine, read_landed

        assert data_interval_end is not None
        _use_hash_key()  # staging stores keyed hashes of phones and id numbers
        engine = make_engine()
        profile = batch_profile(engine, batch_id)
        checked = check_batch(connector_class(profile["source"]), read_landed(engine, batch_id),
                              reference_time=data_interval_end, profile=profile)
        try:
            return apply_gates(engine, batch_id, checked)
        except BatchHeld as held:  # a person must release or reject it; a retry would only hold it again
            raise AirflowFailException(str(held)) from held

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
            refresh_pool,
            review_decisions,
            unmatched_records,
        )

        _use_hash_key()
        engine, settings = make_engine(), load_settings()
        new = pd.DataFrame(unmatched_records(engine, list(batch_ids)))
        if new.empty:  # nothing to place; pooled records re-staged with a new status still refresh their cases
            return refresh_pool(engine, list(batch_ids))
        keys = blocking_keys(new, settings)
        existing = pd.DataFrame(pool_candidates(engine, keys.to_dict("records")), columns=list(CANDIDATE_COLUMNS))
        decisions = pd.DataFrame(review_decisions(engine), columns=["record_id_l", "record_id_r", "decision"])
        result = match_incremental(new, existing, settings, decisions=decisions)
        return publish_matches(engine, result.assignments.to_dict("records"), result.merges.to_dict("records"),
                               result.pairs.to_dict("records"), keys.to_dict("records"), batch_ids=list(batch_ids))

    batch_ids = extract.expand(source=[c.source for c in CONNECTORS])
    prepare_warehouse() >> batch_ids
    archive_files.expand(batch_id=batch_ids)
    validated = validate.expand(batch_id=batch_ids)
    validated >> match_and_publish(batch_ids)


complaint_hub()
