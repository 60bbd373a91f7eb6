"""Held batches: publish a checked batch or hold it at a failed gate, and release or reject it after review.

A held batch publishes nothing: its rows wait in ``held_record`` (canonical record or failure reasons,
the payload stays in ``landing_record``). ``release`` stages them as validated; ``reject`` quarantines
every row with ``batch rejected: …``. Either way the batch's accounting closes
(fetched = landed + unchanged + quarantined) and ``batch_decision`` records who decided, why and when.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any, Protocol

import sqlalchemy as sa

from warehouse.load.batches import RELEASED, stage_in
from warehouse.quality.validation import record_checks
from warehouse.schema import (
    Batch,
    BatchDecision,
    HeldRecord,
    LandingRecord,
    StagedRecord,
    UtcDateTime,
    table_of,
)
from warehouse.schema.dialect import chunks

REJECTED = "rejected"
_TIME_COLUMNS = frozenset(c.name for c in table_of(StagedRecord).columns if isinstance(c.type, UtcDateTime))


class BatchHeld(RuntimeError):
    """A batch-level gate failed: the batch is held and its task must fail with this message.

    ``batch_id`` and ``gates`` (each failed gate's name and reason) let a notifier tell the engineers
    which batch waits for them without parsing the message.
    """

    def __init__(self, message: str, batch_id: str = "", gates: tuple[tuple[str, str], ...] = ()) -> None:
        super().__init__(message)
        self.batch_id, self.gates = batch_id, gates


class CheckedBatchLike(Protocol):
    """What :func:`apply_gates` reads from a checked batch (``expectations.batch.CheckedBatch``)."""

    @property
    def records(self) -> Sequence[dict[str, Any]]: ...
    @property
    def quarantined(self) -> Sequence[dict[str, Any]]: ...
    @property
    def dq_results(self) -> Sequence[dict[str, Any]]: ...
    @property
    def gates(self) -> Sequence[dict[str, Any]]: ...
    @property
    def run(self) -> dict[str, Any]: ...


def held_message(batch_id: str, gates: Sequence[dict[str, Any]]) -> str:
    """The task failure text: which gate held the batch, why, and the two commands that settle it."""
    why = "; ".join(f"{g['gate']} gate: {g['reason']}" for g in gates)
    return (
        f"batch {batch_id} is HELD ({why}). Nothing of it was published to staging or the pool. "
        f"Review it (`python -m warehouse report`, `python -m warehouse batch show {batch_id}`), then either "
        f"`python -m warehouse batch release {batch_id} --by NAME --reason TEXT` to publish it (the next "
        f"DAG run matches it) or `python -m warehouse batch reject {batch_id} --by NAME --reason TEXT` "
        f"to keep it out (its rows are counted as quarantined)."
    )


def apply_gates(engine: sa.Engine, batch_id: str, checked: CheckedBatchLike) -> dict[str, int]:
    """Publish a checked batch, or hold it when a batch-level gate failed; store the checks either way.

    A batch already decided keeps its decision on a re-run: a released one is published even if a
    gate fails again, a rejected one stays out.

    Args:
        engine: the warehouse.
        batch_id: the batch.
        checked: the batch as ``expectations.batch.check_batch`` split and gated it.

    Returns:
        The batch's final counts.

    Raises:
        BatchHeld: when a gate failed (after the hold is committed).
        AccountingError: if the split does not add up to the rows landed.
    """
    failed = [gate for gate in checked.gates if not gate["passed"]]
    with engine.begin() as conn:
        record_checks(conn, batch_id, checked.run, checked.dq_results, checked.gates)
        decision = _decision(conn, batch_id)
        held = table_of(HeldRecord)
        if decision is not None:
            conn.execute(sa.delete(held).where(held.c.batch_id == batch_id))
            if decision["decision"] == REJECTED:
                rows = [
                    *(
                        {
                            "source_record_id": r["source_record_id"],
                            "landing_id": r["landing_id"],
                            "reasons": [],
                        }
                        for r in checked.records
                    ),
                    *checked.quarantined,
                ]
                return stage_in(conn, batch_id, [], _rejected(conn, rows, decision["reason"]), [], REJECTED)
            return stage_in(conn, batch_id, checked.records, checked.quarantined, [], RELEASED)
        if not failed:
            conn.execute(sa.delete(held).where(held.c.batch_id == batch_id))
            return stage_in(conn, batch_id, checked.records, checked.quarantined, [])
        _hold(conn, batch_id, checked, failed)
    raise BatchHeld(held_message(batch_id, failed), batch_id, tuple((g["gate"], g["reason"]) for g in failed))


def _hold(
    conn: sa.Connection, batch_id: str, checked: CheckedBatchLike, failed: list[dict[str, Any]]
) -> None:
    held = table_of(HeldRecord)
    conn.execute(sa.delete(held).where(held.c.batch_id == batch_id))
    rows = [
        {
            "batch_id": batch_id,
            "source_record_id": r["source_record_id"],
            "landing_id": r["landing_id"],
            "record": _json_safe(r),
            "reasons": None,
        }
        for r in checked.records
    ]
    rows += [
        {
            "batch_id": batch_id,
            "source_record_id": q["source_record_id"],
            "landing_id": q["landing_id"],
            "record": None,
            "reasons": list(q["reasons"]),
        }
        for q in checked.quarantined
    ]
    if rows:
        conn.execute(sa.insert(held), rows)
    conn.execute(
        sa.update(Batch)
        .where(Batch.batch_id == batch_id)
        .values(
            status="held",
            landed=0,
            quarantined=0,
            held_gate=",".join(g["gate"] for g in failed),
            held_reason="; ".join(g["reason"] for g in failed),
        )
    )


def release_batch(engine: sa.Engine, batch_id: str, decided_by: str, reason: str) -> dict[str, int]:
    """Publish a held batch to staging as validated and record who released it and why.

    Rows that failed their row-level checks are quarantined as they would have been; the rest are
    staged, where the next DAG run's matching picks them up.

    Args:
        engine: the warehouse.
        batch_id: a batch with status ``held``.
        decided_by: who decided (a name or account).
        reason: why (free text, shown to auditors).

    Returns:
        The batch's final counts.

    Raises:
        LookupError: if the batch is unknown or not held.
        ValueError: if ``decided_by`` or ``reason`` is empty.
    """
    with engine.begin() as conn:
        batch, rows = _held_rows(conn, batch_id, decided_by, reason)
        records = [
            _revived(r["record"]) | {"landing_id": r["landing_id"]} for r in rows if r["record"] is not None
        ]
        failing = [r for r in rows if r["record"] is None]
        payloads = _payloads(conn, [r["landing_id"] for r in failing])
        quarantined = [
            {
                "source_record_id": r["source_record_id"],
                "landing_id": r["landing_id"],
                "payload": payloads[r["landing_id"]],
                "reasons": r["reasons"],
            }
            for r in failing
        ]
        counts = stage_in(conn, batch_id, records, quarantined, [], RELEASED)
        _decide(conn, batch, RELEASED, decided_by, reason)
    return counts


def reject_batch(engine: sa.Engine, batch_id: str, decided_by: str, reason: str) -> dict[str, int]:
    """Keep a held batch out for good: every row is quarantined with ``batch rejected: <reason>``.

    Args:
        engine: the warehouse.
        batch_id: a batch with status ``held``.
        decided_by: who decided.
        reason: why; it becomes part of every row's quarantine reason.

    Returns:
        The batch's final counts (everything it landed is quarantined).

    Raises:
        LookupError: if the batch is unknown or not held.
        ValueError: if ``decided_by`` or ``reason`` is empty.
    """
    with engine.begin() as conn:
        batch, rows = _held_rows(conn, batch_id, decided_by, reason)
        counts = stage_in(conn, batch_id, [], _rejected(conn, rows, reason), [], REJECTED)
        _decide(conn, batch, REJECTED, decided_by, reason)
    return counts


def batch_decisions(engine: sa.Engine, batch_id: str) -> list[dict[str, Any]]:
    """Every decision taken on a batch, oldest first."""
    d = table_of(BatchDecision)
    with engine.connect() as conn:
        query = sa.select(d).where(d.c.batch_id == batch_id).order_by(d.c.decision_id)
        return [dict(row) for row in conn.execute(query).mappings()]


def _decision(conn: sa.Connection, batch_id: str) -> dict[str, Any] | None:
    d = table_of(BatchDecision)
    query = sa.select(d).where(d.c.batch_id == batch_id).order_by(d.c.decision_id.desc()).limit(1)
    row = conn.execute(query).mappings().first()
    return dict(row) if row else None


def _held_rows(
    conn: sa.Connection, batch_id: str, decided_by: str, reason: str
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    if not decided_by.strip() or not reason.strip():
        raise ValueError("a decision needs who took it (--by) and why (--reason)")
    batch = conn.execute(sa.select(table_of(Batch)).where(Batch.batch_id == batch_id)).mappings().first()
    if batch is None:
        raise LookupError(f"no batch {batch_id!r}")
    if batch["status"] != "held":
        raise LookupError(f"batch {batch_id} is {batch['status']}, not held: nothing to release or reject")
    held = table_of(HeldRecord)
    query = sa.select(held).where(held.c.batch_id == batch_id).order_by(held.c.source_record_id)
    return dict(batch), [dict(row) for row in conn.execute(query).mappings()]


def _decide(conn: sa.Connection, batch: dict[str, Any], decision: str, decided_by: str, reason: str) -> None:
    conn.execute(
        sa.insert(table_of(BatchDecision)).values(
            batch_id=batch["batch_id"],
            decision=decision,
            gate=batch["held_gate"],
            decided_by=decided_by.strip(),
            reason=reason.strip(),
        )
    )
    held = table_of(HeldRecord)
    conn.execute(sa.delete(held).where(held.c.batch_id == batch["batch_id"]))


def _rejected(conn: sa.Connection, rows: Sequence[dict[str, Any]], reason: str) -> list[dict[str, Any]]:
    payloads = _payloads(conn, [r["landing_id"] for r in rows])
    return [
        {
            "source_record_id": r["source_record_id"],
            "landing_id": r["landing_id"],
            "payload": payloads[r["landing_id"]],
            "reasons": [*(r.get("reasons") or []), f"batch rejected: {reason.strip()}"],
        }
        for r in rows
    ]


def _payloads(conn: sa.Connection, landing_ids: Sequence[int]) -> dict[int, dict[str, Any]]:
    t = table_of(LandingRecord)
    found: dict[int, dict[str, Any]] = {}
    for part in chunks(list(landing_ids)):
        query = sa.select(t.c.landing_id, t.c.payload).where(t.c.landing_id.in_(part))
        found.update((landing_id, payload) for landing_id, payload in conn.execute(query))
    return found


def _json_safe(record: dict[str, Any]) -> dict[str, Any]:
    # Held rows wait as JSON: times as ISO text, turned back into aware datetimes on release (an event's
    # time is read back by ``warehouse.load.events``).
    return {
        k: _json_events(v) if k == "events" else v.isoformat() if isinstance(v, datetime | date) else v
        for k, v in record.items()
        if k != "landing_id"
    }


def _json_events(events: Sequence[dict[str, Any]] | None) -> list[dict[str, Any]]:
    return [
        {**e, "at": e["at"].isoformat() if isinstance(e.get("at"), datetime) else e.get("at")}
        for e in events or ()
    ]


def _revived(record: dict[str, Any]) -> dict[str, Any]:
    return {
        k: datetime.fromisoformat(v) if k in _TIME_COLUMNS and isinstance(v, str) else v
        for k, v in record.items()
    }
