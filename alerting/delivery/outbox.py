"""The delivery log as an outbox: queue each alert event once per address, pick what is due, record attempts.

Queueing and picking are set-based statements (an anti-join on the events not queued yet, an index on
status); attempts are written back with one ``executemany``. The row of an (event, channel, address) is
created once, under its idempotency key, so a rerun of the alerting DAG queues nothing twice.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa

from alerting.delivery.config import DeliveryConfig
from warehouse.schema import table_of
from warehouse.schema.alerts import Alert, AlertDelivery, AlertEvent
from warehouse.schema.dialect import upsert

DELIVERY, EVENT, ALERT = table_of(AlertDelivery), table_of(AlertEvent), table_of(Alert)
PENDING, DELIVERED, FAILED, ABANDONED = "pending", "delivered", "failed", "abandoned"
DUE_COLUMNS = (
    DELIVERY.c.delivery_id,
    DELIVERY.c.delivery_key,
    DELIVERY.c.channel,
    DELIVERY.c.address,
    DELIVERY.c.attempts,
    EVENT.c.event_id,
    EVENT.c.event,
    EVENT.c.colour,
    EVENT.c.list_name,
    EVENT.c.issue_period,
    EVENT.c.issue_no,
    EVENT.c.evidence,
    EVENT.c.as_of,
    ALERT.c.alert_key,
    ALERT.c.rule_id,
    ALERT.c.district,
    ALERT.c.street,
    ALERT.c.category,
    ALERT.c.topic,
    ALERT.c.n_cases,
    ALERT.c.n_complainants,
    ALERT.c.n_reports,
)


def delivery_key(event_id: int, channel: str, address: str) -> str:
    """The idempotency key of one event to one address of one channel (the address as written)."""
    return hashlib.sha256(f"{event_id}\x1f{channel}\x1f{address}".encode()).hexdigest()


def enqueue(
    conn: sa.Connection,
    config: DeliveryConfig,
    env: Mapping[str, str] | None = None,
    now: datetime | None = None,
) -> int:
    """Queue every event of a delivered kind within the horizon that has no delivery yet.

    Args:
        conn: an open connection (the caller's transaction).
        config: what to deliver where.
        env: the environment ``${VAR}`` references are checked against (default ``os.environ``).
        now: the queueing time recorded (default: the wall clock; this is a log of real sends).

    Returns:
        How many deliveries were queued.
    """
    newest = conn.execute(sa.select(sa.func.max(EVENT.c.as_of))).scalar_one_or_none()
    if newest is None or not config.events:
        return 0
    queued = sa.select(DELIVERY.c.event_id).where(DELIVERY.c.event_id == EVENT.c.event_id)
    events = conn.execute(
        sa.select(EVENT.c.event_id, ALERT.c.district, ALERT.c.street)
        .join(ALERT, ALERT.c.alert_id == EVENT.c.alert_id)
        .where(
            EVENT.c.event.in_(config.events),
            EVENT.c.as_of >= newest - timedelta(hours=config.horizon_hours),
            ~sa.exists(queued),
        )
        .order_by(EVENT.c.event_id)
    ).all()
    now = now or datetime.now(UTC)
    routes: dict[tuple[str | None, str | None], list[Any]] = {}
    rows = []
    for event_id, district, street in events:
        place = (district, street)
        if place not in routes:
            routes[place] = config.targets(district, street, env)
        rows += [
            {
                "delivery_key": delivery_key(event_id, t.channel, t.address),
                "event_id": event_id,
                "channel": t.channel,
                "address": t.address,
                "recipient": t.recipient,
                "status": PENDING,
                "attempts": 0,
                "created_at": now,
            }
            for t in routes[place]
        ]
    upsert(conn, DELIVERY, rows, ["delivery_key"], update_columns=[])  # ON CONFLICT DO NOTHING
    return len(rows)


def due(conn: sa.Connection) -> list[dict[str, Any]]:
    """Every delivery still to make (pending or failed), with its event and alert, oldest first."""
    query = (
        sa.select(*DUE_COLUMNS)
        .join(EVENT, EVENT.c.event_id == DELIVERY.c.event_id)
        .join(ALERT, ALERT.c.alert_id == EVENT.c.alert_id)
        .where(DELIVERY.c.status.in_((PENDING, FAILED)))
        .order_by(DELIVERY.c.delivery_id)
    )
    return [dict(row) for row in conn.execute(query).mappings()]


@dataclass(frozen=True)
class Outcome:
    """What this run's attempts at one delivery came to."""

    delivery_id: int
    attempts: int  # made in this run (0: not tried, its address had already failed in this run)
    error: str | None
    at: datetime


def record(conn: sa.Connection, outcomes: Sequence[Outcome], give_up_after: int) -> None:
    """Write the outcomes back in one ``executemany``: delivered, failed, or abandoned after
    ``give_up_after`` attempts over all runs."""
    if not outcomes:
        return
    attempts = DELIVERY.c.attempts + sa.bindparam("b_tries", type_=sa.Integer())
    conn.execute(
        DELIVERY.update()
        .where(DELIVERY.c.delivery_id == sa.bindparam("b_id"))
        .values(
            attempts=attempts,
            status=sa.case(
                (sa.bindparam("b_ok", type_=sa.Boolean()), DELIVERED),
                (attempts >= give_up_after, ABANDONED),
                else_=FAILED,
            ),
            last_error=sa.bindparam("b_error", type_=sa.Text()),
            last_attempt_at=sa.case(
                (sa.bindparam("b_tries") > 0, sa.bindparam("b_at", type_=DELIVERY.c.last_attempt_at.type)),
                else_=DELIVERY.c.last_attempt_at,
            ),
            delivered_at=sa.case(
                (sa.bindparam("b_ok"), sa.bindparam("b_at")),
                else_=DELIVERY.c.delivered_at,
            ),
        ),
        [
            {
                "b_id": o.delivery_id,
                "b_tries": o.attempts,
                "b_ok": o.error is None,
                "b_error": o.error,
                "b_at": o.at,
            }
            for o in outcomes
        ],
    )


def counts(conn: sa.Connection) -> dict[str, dict[str, int]]:
    """Deliveries by channel type and status, over the whole log."""
    rows = conn.execute(
        sa.select(DELIVERY.c.channel, DELIVERY.c.status, sa.func.count()).group_by(
            DELIVERY.c.channel, DELIVERY.c.status
        )
    ).all()
    out: dict[str, dict[str, int]] = {}
    for channel, status, n in rows:
        out.setdefault(channel, {})[status] = int(n)
    return out
