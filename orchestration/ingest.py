"""Task bodies of ingestion, shared by every DAG: migrate, extract and land a window, archive drops, validate."""

from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any

HASH_KEY_CONN = "hub_hash_key"  # optional: its password is the key of the warehouse's keyed hashes
_MIGRATION_LOCK = 7_202_611  # pg_advisory_lock id: DAGs started together must not migrate concurrently
log = logging.getLogger(__name__)


def use_hash_key() -> None:
    """Hand the warehouse the hash key of the Airflow connection ``hub_hash_key`` when one is defined
    (else the warehouse reads ``HUB_HASH_KEY`` or its local key file)."""
    if os.environ.get("HUB_HASH_KEY"):  # the environment wins, as before: nothing to look up
        return
    from airflow.sdk import Connection
    from airflow.sdk.exceptions import AirflowNotFoundException

    try:
        password = Connection.get(HASH_KEY_CONN).password
    except AirflowNotFoundException:
        return
    if password:
        os.environ.setdefault("HUB_HASH_KEY", password)


def prepare_warehouse() -> None:
    """Bring the warehouse schema to the latest migration (a no-op when current).

    On PostgreSQL an advisory lock serialises concurrent callers (several DAGs starting at once).
    """
    import sqlalchemy as sa

    from warehouse import make_engine, migrate

    engine = make_engine()
    try:
        if engine.dialect.name != "postgresql":
            migrate()
            return
        with engine.connect() as conn:
            conn.execute(sa.text("SELECT pg_advisory_lock(:k)"), {"k": _MIGRATION_LOCK})
            try:
                migrate()
            finally:
                conn.execute(sa.text("SELECT pg_advisory_unlock(:k)"), {"k": _MIGRATION_LOCK})
    finally:
        engine.dispose()


@contextmanager
def source_lock(engine: Any, source: str) -> Iterator[None]:
    """Serialise landing and staging of one source on PostgreSQL (a session advisory lock).

    Runs of one source DAG never overlap on the scheduler (``max_active_runs``), but a backfill runs
    several intervals at once and neighbouring windows overlap (the late-update overlap): two batches
    would land the same record version concurrently.
    """
    import sqlalchemy as sa

    if engine.dialect.name != "postgresql":
        yield
        return
    key = int.from_bytes(
        hashlib.blake2b(f"hub-source:{source}".encode(), digest_size=8).digest(), "big", signed=True
    )
    with engine.connect() as conn:
        conn.execute(sa.text("SELECT pg_advisory_lock(:k)"), {"k": key})
        conn.commit()
        try:
            yield
        finally:
            conn.execute(sa.text("SELECT pg_advisory_unlock(:k)"), {"k": key})
            conn.commit()


def run_interval(context: Any) -> tuple[datetime, datetime]:
    """The window a source run covers: its data interval, or, for a run triggered without a logical date
    (Airflow 3's default for a manual trigger, which then has no data interval), the schedule's last
    complete interval before the run was triggered, as Airflow 2 gave manual runs. A manual run whose conf
    says ``{"window_days": N}`` covers the N days that end there instead (catching up after an outage, or
    the demo's two simulated weeks in one run)."""
    start, end = context.get("data_interval_start"), context.get("data_interval_end")
    if start is not None and end is not None:
        return _widened(context, start, end)
    from zoneinfo import ZoneInfo

    from croniter import croniter

    # The task sees the DAG's timetable as a definition (cron and zone), without the scheduler's logic.
    timetable = context["dag"].timetable
    # Cron has minutes; the trigger time has seconds too (and croniter.match allows a minute of slack).
    after = (
        context["dag_run"]
        .run_after.astimezone(ZoneInfo(str(timetable.timezone)))
        .replace(second=0, microsecond=0)
    )
    end = (
        after
        if croniter.match(timetable.expression, after)
        else croniter(timetable.expression, after).get_prev(datetime)
    )
    return _widened(context, croniter(timetable.expression, end).get_prev(datetime), end)


def _widened(context: Any, start: datetime, end: datetime) -> tuple[datetime, datetime]:
    """``[start, end)``, or the ``window_days`` before ``end`` that the run's conf asks for."""
    conf = getattr(context.get("dag_run"), "conf", None) or {}
    days = conf.get("window_days")
    if days is None:
        return start, end
    if not isinstance(days, int) or isinstance(days, bool) or days < 1:
        raise ValueError(f"window_days in the run's conf must be a whole number of days >= 1, got {days!r}")
    return end - timedelta(days=days), end


def extract_window(source: str, start: datetime, end: datetime, run_id: str | None) -> str:
    """Fetch ``source``'s window (plus overlap), or a file drop's new files, and land every row verbatim.

    Args:
        source: the registered source.
        start: the data interval's start.
        end: the data interval's end.
        run_id: the Airflow run, recorded on the batch.

    Returns:
        The batch id (deterministic per source and window, so a re-run reuses it).
    """
    from connectors import FileDropConnector, Window, connector_from_airflow
    from warehouse import land_batch, land_files, make_engine, new_files, open_batch

    window = Window(start, end)
    connector, engine = connector_from_airflow(source), make_engine()
    with source_lock(engine, source):
        batch_id = open_batch(engine, source, window.key, window.start, window.end, run_id)
        if isinstance(
            connector, FileDropConnector
        ):  # no time cursor: the warehouse's registry says what is new
            files = new_files(engine, source, connector.list_files())
            stats = land_files(engine, batch_id, source, files, connector.keyed(connector.read_files(files)))
        else:
            stats = land_batch(engine, batch_id, source, connector.keyed(connector.fetch_raw(window)))
    log.info("%s window %s – %s: %s", source, window.start.isoformat(), window.end.isoformat(), stats)
    engine.dispose()
    return batch_id


def archive_drop(batch_id: str) -> int:
    """Move a file drop's exports whose rows are committed (registered) to its archive folder, and those
    set aside as unreadable (their reason committed as a quarantined row) to its ``rejected/`` folder.

    Returns:
        How many files moved, to either folder (0 for a source that is not a file drop).
    """
    from connectors import FileDropConnector, connector_class, connector_from_airflow
    from warehouse import loaded_files, make_engine, mark_archived, set_aside_files

    source = batch_id.split(":", 1)[0]
    if not issubclass(connector_class(source), FileDropConnector):
        return 0
    connector, engine = connector_from_airflow(source), make_engine()
    assert isinstance(connector, FileDropConnector)
    listed = connector.list_files()
    moved = connector.archive(loaded_files(engine, source, listed))
    moved += connector.set_aside(set_aside_files(engine, source, listed))  # unreadable: to rejected/
    mark_archived(engine, source, moved)
    engine.dispose()
    return len(moved)


def validate_batch(batch_id: str, reference_time: datetime, hold_fails: bool = True) -> dict[str, Any]:
    """Check the landed rows (row expectations, then batch gates); stage and quarantine, or hold the batch.

    Args:
        batch_id: the landed batch.
        reference_time: the data interval's end (the expectations' "not in the future" reference).
        hold_fails: a held batch fails the task (the embedded DAG); ``False`` returns
            ``{"held": True, "message": …}`` instead, for the source DAGs, which then ask for a
            decision in Airflow (``complaint_batch_approval``) rather than turn red.

    Returns:
        The batch's counts, or the hold.

    Raises:
        AirflowFailException: the batch is held (with ``hold_fails``); a person must release or
            reject it, a retry would only hold it again.
    """
    from airflow.sdk.exceptions import AirflowFailException

    from connectors import connector_class
    from expectations.batch import check_batch
    from warehouse import BatchHeld, apply_gates, batch_profile, make_engine, read_landed

    use_hash_key()  # staging stores keyed hashes of phones and id numbers
    engine = make_engine()
    profile = batch_profile(engine, batch_id)
    checked = check_batch(
        connector_class(profile["source"]),
        read_landed(engine, batch_id),
        reference_time=reference_time,
        profile=profile,
    )
    try:
        with source_lock(engine, profile["source"]):
            return dict(apply_gates(engine, batch_id, checked))
    except BatchHeld as held:
        if not hold_fails:
            from airflow.sdk import get_current_context

            from orchestration.notify import announce_held

            log.warning("%s", held)
            try:
                context: Any = get_current_context()
            except RuntimeError:  # called outside a task (a test, a script): no task to name
                context = {}
            announce_held(held, context)
            return {"held": True, "message": str(held)}
        raise AirflowFailException(str(held)) from held
    finally:
        engine.dispose()
