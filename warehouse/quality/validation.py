"""What data quality needs from the warehouse: a batch's volume history, and the audit trail of its checks."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from warehouse.load.batches import STAGED_STATUSES
from warehouse.schema import Batch, BatchDecision, BatchGate, DqResult, HeldRecord, ValidationRun, table_of
from warehouse.schema.dialect import upsert

SHANGHAI = ZoneInfo("Asia/Shanghai")


def batch_profile(engine: sa.Engine, batch_id: str, weeks: int = 4) -> dict[str, Any]:
    """A batch's size next to the same weekday's recent batches, for the volume gate.

    The baseline is the same source's batches over the same window exactly 1..``weeks`` weeks
    earlier (same weekday, same time of day, same length), published ones only.

    Args:
        engine: the warehouse.
        batch_id: the batch being checked.
        weeks: how far back to look.

    Returns:
        ``{"source", "fetched", "window_start" (Beijing time), "history": [fetched, …] newest first}``.
    """
    b = table_of(Batch)
    with engine.connect() as conn:
        batch = conn.execute(sa.select(b).where(b.c.batch_id == batch_id)).mappings().one()
        starts = [batch["window_start"] - timedelta(weeks=k) for k in range(1, weeks + 1)]
        earlier = conn.execute(
            sa.select(b.c.window_start, b.c.window_end, b.c.fetched)
            .where(
                b.c.source == batch["source"], b.c.window_start.in_(starts), b.c.status.in_(STAGED_STATUSES)
            )  # held or rejected batches are the anomalies
            .order_by(b.c.window_start.desc())
        ).all()
    length = batch["window_end"] - batch["window_start"]
    return {
        "source": batch["source"],
        "fetched": batch["fetched"],
        "window_start": batch["window_start"].astimezone(SHANGHAI),
        "history": [fetched for start, end, fetched in earlier if end - start == length],
    }


def run_id_for(batch_id: str, suite: str, suite_hash: str) -> str:
    """The id of a validation run: the same batch checked by the same suite version is the same run."""
    return hashlib.sha256(f"{batch_id}\x1f{suite}\x1f{suite_hash}".encode()).hexdigest()


def record_checks(
    conn: sa.Connection,
    batch_id: str,
    run: dict[str, Any],
    dq_results: Sequence[dict[str, Any]],
    gates: Sequence[dict[str, Any]],
) -> str | None:
    """Store a batch's validation run, its expectation results and its gate verdicts (re-runs overwrite).

    Args:
        conn: a connection inside the caller's transaction.
        batch_id: the batch.
        run: the run summary (``ValidationRun`` columns without ids); empty when nothing ran.
        dq_results: one dict per expectation outcome (``DqResult`` columns without ids).
        gates: one dict per gate (``BatchGate`` columns without the batch id).

    Returns:
        The run id, or ``None`` without a run.
    """
    run_id = run_id_for(batch_id, run["suite"], run["suite_hash"]) if run else None
    if run:
        upsert(conn, table_of(ValidationRun), [{**run, "run_id": run_id, "batch_id": batch_id}], ["run_id"])
    upsert(
        conn,
        table_of(DqResult),
        [{**row, "batch_id": batch_id, "run_id": run_id} for row in dq_results],
        ["batch_id", "suite", "expectation", "column_name"],
    )
    upsert(
        conn, table_of(BatchGate), [{**gate, "batch_id": batch_id} for gate in gates], ["batch_id", "gate"]
    )
    return run_id


def validation_runs(engine: sa.Engine, since: datetime, until: datetime) -> list[dict[str, Any]]:
    """Validation runs of batches whose window starts in ``[since, until)``, oldest first, with GX's result.

    Args:
        engine: the warehouse.
        since: first window start included (aware).
        until: first window start excluded (aware).

    Returns:
        One dict per run: ``ValidationRun`` columns plus the batch's ``source``, ``window_start`` and ``status``.
    """
    r, b = table_of(ValidationRun), table_of(Batch)
    query = (
        sa.select(r, b.c.source, b.c.window_start, b.c.status)
        .join(b, b.c.batch_id == r.c.batch_id)
        .where(b.c.window_start >= since, b.c.window_start < until)
        .order_by(b.c.window_start, b.c.source, r.c.finished_at)
    )
    with engine.connect() as conn:
        return [dict(row) for row in conn.execute(query).mappings()]


def batch_overview(engine: sa.Engine, batch_id: str) -> dict[str, Any]:
    """Everything recorded about one batch's checks: the batch row, its gates, runs, decisions, held rows.

    Raises:
        KeyError: if there is no such batch.
    """
    b, g, r, d, h = (
        table_of(Batch),
        table_of(BatchGate),
        table_of(ValidationRun),
        table_of(BatchDecision),
        table_of(HeldRecord),
    )
    with engine.connect() as conn:
        batch = conn.execute(sa.select(b).where(b.c.batch_id == batch_id)).mappings().first()
        if batch is None:
            raise KeyError(f"no batch {batch_id!r}")
        gates = conn.execute(sa.select(g).where(g.c.batch_id == batch_id).order_by(g.c.gate)).mappings().all()
        runs = (
            conn.execute(
                sa.select(*[c for c in r.c if c.name != "result"])
                .where(r.c.batch_id == batch_id)
                .order_by(r.c.finished_at)
            )
            .mappings()
            .all()
        )
        decisions = conn.execute(
            sa.select(d).where(d.c.batch_id == batch_id).order_by(d.c.decision_id)
        ).mappings()
        held = conn.execute(
            sa.select(sa.func.count()).select_from(h).where(h.c.batch_id == batch_id)
        ).scalar_one()
        return {
            "batch": dict(batch),
            "gates": [dict(x) for x in gates],
            "runs": [dict(x) for x in runs],
            "decisions": [dict(x) for x in decisions],
            "held_rows": int(held),
        }


def held_batches(engine: sa.Engine) -> list[dict[str, Any]]:
    """Batches waiting for a release or rejection, oldest window first."""
    b = table_of(Batch)
    query = (
        sa.select(
            b.c.batch_id,
            b.c.source,
            b.c.window_start,
            b.c.window_end,
            b.c.fetched,
            b.c.held_gate,
            b.c.held_reason,
        )
        .where(b.c.status == "held")
        .order_by(b.c.window_start, b.c.source)
    )
    with engine.connect() as conn:
        return [dict(row) for row in conn.execute(query).mappings()]
