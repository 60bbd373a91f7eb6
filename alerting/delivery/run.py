"""One delivery run, after the alerting run committed: queue the new events, send what is due, log it.

Each channel sends in its own thread over one connection, so a channel that hangs or fails never holds up
another; within a channel, an address that failed all its attempts is not tried again in this run (its
remaining deliveries wait for the next run, still ``failed``). Outcomes are committed per channel, so
a later crash loses no record of what was sent (at worst a message is sent again: at least once).
"""

from __future__ import annotations

import logging
import os
import time
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from alerting.delivery.channels import open_sender, send_with_retry
from alerting.delivery.config import DeliveryConfig
from alerting.delivery.messages import alert_message
from alerting.delivery.outbox import ABANDONED, Outcome, counts, due, enqueue, record

log = logging.getLogger(__name__)
_DELIVERY_LOCK = 7_202_610  # pg_try_advisory_lock id: one delivery run at a time


def deliver_alerts(
    engine: sa.Engine,
    config: DeliveryConfig | None = None,
    env: Mapping[str, str] | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> dict[str, Any]:
    """Queue the alert events not delivered yet and send every pending or failed delivery.

    Args:
        engine: the warehouse.
        config: channels and addresses (default: ``DeliveryConfig.load()``).
        env: where ``${VAR}`` references are read (default ``os.environ``).
        sleep: the backoff's wait (tests pass a recorder).

    Returns:
        ``{"queued": n, "delivered": {channel: n}, "failed": {channel: n}, "abandoned": n, "seconds": s}``
        for this run; ``skipped`` when another delivery run holds the lock.
    """
    config = config or DeliveryConfig.load()
    env = dict(os.environ) if env is None else env
    began = time.monotonic()
    with _exclusive(engine) as mine:
        if not mine:
            return {"skipped": "another delivery run is in progress"}
        with engine.begin() as conn:
            queued = enqueue(conn, config, env)
        with engine.connect() as conn:
            todo = due(conn)
        by_channel: dict[str, list[dict[str, Any]]] = {}
        for row in todo:
            by_channel.setdefault(row["channel"], []).append(row)
        delivered: Counter[str] = Counter()
        failed: Counter[str] = Counter()
        with ThreadPoolExecutor(max_workers=max(1, len(by_channel))) as pool:
            futures = {
                name: pool.submit(_send_channel, engine, config, name, rows, env, sleep)
                for name, rows in by_channel.items()
            }
            for name, future in futures.items():
                outcomes = future.result()
                delivered[name] = sum(o.error is None for o in outcomes)
                failed[name] = len(outcomes) - delivered[name]
        with engine.connect() as conn:
            abandoned = sum(by_status.get(ABANDONED, 0) for by_status in counts(conn).values())
    summary = {
        "queued": queued,
        "delivered": {k: v for k, v in delivered.items() if v},
        "failed": {k: v for k, v in failed.items() if v},
        "abandoned": int(abandoned),
        "seconds": round(time.monotonic() - began, 2),
    }
    if summary["failed"]:
        log.warning("alert deliveries failed (retried on the next run): %s", summary["failed"])
    return summary


def _send_channel(
    engine: sa.Engine,
    config: DeliveryConfig,
    name: str,
    rows: list[dict[str, Any]],
    env: Mapping[str, str],
    sleep: Callable[[float], None],
) -> list[Outcome]:
    """Send one channel's due deliveries over one connection; commit their outcomes."""
    channel, console = config.channels.get(name), config.console(env)
    outcomes: list[Outcome] = []
    if channel is None or not channel.is_on(env):
        reason = f"channel {name} is not configured (or names an unset variable)"
        outcomes = [Outcome(r["delivery_id"], 0, reason, datetime.now(UTC)) for r in rows]
    else:
        sender = open_sender(channel, config.retry.timeout_seconds, env)
        down: dict[str, str] = {}
        try:
            for row in rows:
                address = row["address"]
                if address in down:
                    outcomes.append(
                        Outcome(row["delivery_id"], 0, f"not tried: {down[address]}", datetime.now(UTC))
                    )
                    continue
                message = alert_message(row, console)
                tries, error = send_with_retry(
                    sender, address, message, row["delivery_key"], config.retry, sleep
                )
                outcomes.append(Outcome(row["delivery_id"], tries, error, datetime.now(UTC)))
                if error is not None:
                    down[address] = f"the address failed earlier in this run ({error})"[:500]
        finally:
            sender.close()
    with engine.begin() as conn:
        record(conn, outcomes, config.retry.give_up_after)
    return outcomes


@contextmanager
def _exclusive(engine: sa.Engine) -> Iterator[bool]:
    """On PostgreSQL a session advisory lock that a second run does not wait for; elsewhere always granted
    (the alerting DAG runs one at a time; SQLite serialises the writes)."""
    if engine.dialect.name != "postgresql":
        yield True
        return
    with engine.connect() as conn:
        mine = bool(
            conn.execute(sa.text("SELECT pg_try_advisory_lock(:k)"), {"k": _DELIVERY_LOCK}).scalar_one()
        )
        conn.commit()
        try:
            yield mine
        finally:
            if mine:
                conn.execute(sa.text("SELECT pg_advisory_unlock(:k)"), {"k": _DELIVERY_LOCK})
                conn.commit()
