"""Staging handling events: a staged record's events replace whatever an earlier version of it brought.

A source sends a record's whole event list with every version (a status update on a later fetch
carries the old events and the new ones). The latest staged version owns the record's events, so
staging deletes the records' events and inserts the new lists, set-based (one ``DELETE`` per chunk of
keys, ``= ANY`` on PostgreSQL; one multi-row ``INSERT``, or a ``COPY`` on PostgreSQL when large), in the
caller's transaction with the records themselves. Staging the same version again gives the same rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from functools import lru_cache
from typing import Any

import sqlalchemy as sa

from warehouse.derive.columns import mask_identities
from warehouse.load.bulk import bulk_insert
from warehouse.load.bulk_mode import deferred_constraints
from warehouse.schema import RecordEvent, table_of
from warehouse.schema.dialect import chunks

EVENT_COLUMNS: tuple[str, ...] = tuple(c.name for c in table_of(RecordEvent).columns)
# Handlers and units repeat across events: each distinct one is masked once.
_masked_name = lru_cache(maxsize=1 << 16)(mask_identities)


def _masked_detail(detail: Mapping[str, Any] | None) -> dict[str, Any] | None:
    if not detail:
        return None
    return {k: mask_identities(v) if isinstance(v, str) else v for k, v in detail.items()}


def event_rows(records: Iterable[Mapping[str, Any]], batch_id: str) -> list[dict[str, Any]]:
    """``record_event`` rows for the records' ``events`` (``HandlingEvent.as_row`` dicts, in time order).

    ``at`` may be a datetime or ISO text (a held batch's records wait as JSON); the text the read contract
    shows (actor, unit, reason, the detail's text values) has phones and id numbers masked, as a typed-in
    number is masked everywhere else; ``seq`` numbers each record's events from 1 in the order given.
    """
    rows: list[dict[str, Any]] = []
    for record in records:
        events: Sequence[Mapping[str, Any]] = record.get("events") or ()
        for seq, event in enumerate(events, start=1):
            at = event["at"]
            rows.append(
                {
                    **{c: event.get(c) for c in ("level", "days", "satisfaction", "score")},
                    "actor": _masked_name(event["actor"]) if event.get("actor") else None,
                    "unit": _masked_name(event["unit"]) if event.get("unit") else None,
                    "record_id": record["record_id"],
                    "seq": seq,
                    "source": record["source"],
                    "event_type": event["type"],
                    "at": datetime.fromisoformat(at) if isinstance(at, str) else at,
                    "reason": mask_identities(event.get("reason")),
                    "detail": _masked_detail(event.get("detail")),
                    "batch_id": batch_id,
                }
            )
    return rows


def stage_events(conn: sa.Connection, records: Sequence[Mapping[str, Any]], batch_id: str) -> int:
    """Replace the staged records' events with the ones they carry now; returns how many were written.

    Args:
        conn: the staging transaction (the records themselves are staged in it too).
        records: the canonical records just staged (``record_id``, ``source``, ``events``).
        batch_id: the batch that staged them.
    """
    if not records:
        return 0
    table = table_of(RecordEvent)
    ids = [r["record_id"] for r in records]
    if conn.dialect.name == "postgresql":
        conn.execute(sa.text("DELETE FROM record_event WHERE record_id = ANY(:ids)"), {"ids": ids})
    else:
        for part in chunks(ids):
            conn.execute(sa.delete(table).where(table.c.record_id.in_(part)))
    rows = event_rows(records, batch_id)
    if rows:
        with deferred_constraints(conn, [table], len(rows)):
            bulk_insert(conn, table, rows)
    return len(rows)
