"""Held batches settled in Airflow: the approval request, the decision operator and its recording.

A source DAG that holds a batch triggers one run of ``complaint_batch_approval`` for it (run id
``held__<batch id>``); that run waits in a human-in-the-loop task (Browse → Required Actions, or the
REST API) for *Release* or *Reject* and a reason, then records the decision exactly as
``python -m warehouse batch release|reject`` does, in the name of the user who responded. Light to import
(the console links to the approval run); the operator is in :mod:`orchestration.approval_operator`.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from typing import Any

APPROVAL_DAG = "complaint_batch_approval"
RELEASE, REJECT = "Release", "Reject"
REASON = "reason"
log = logging.getLogger(__name__)


def approval_run_id(batch_id: str) -> str:
    """The approval run of one held batch: one per batch, so a re-run of the source run asks only once."""
    return "held__" + re.sub(r"[^A-Za-z0-9_.~:+-]", "_", batch_id)


def approval_request(verdict: Mapping[str, Any]) -> dict[str, str] | None:
    """The approval run's ``conf`` (and ``run_id``) when ``validate`` held the batch, else ``None``."""
    if not verdict.get("held"):
        return None
    return {"batch_id": str(verdict["batch_id"]), "run_id": approval_run_id(str(verdict["batch_id"]))}


def describe_held(batch_id: str) -> str:
    """The request's body (Markdown): why the batch is held, what it holds, the other ways to settle it."""
    from warehouse import make_engine
    from warehouse.quality.validation import batch_overview

    engine = make_engine()
    try:
        shown = batch_overview(engine, batch_id)
    finally:
        engine.dispose()
    batch, failed = shown["batch"], [g for g in shown["gates"] if not g["passed"]]
    gates = "\n".join(f"- **{g['gate']}**: {g['reason']}" for g in failed) or "- (no failed gate recorded)"
    return (
        f"Batch `{batch_id}` of **{batch['source']}** (window {batch['window_start']} – "
        f"{batch['window_end']}) is **{batch['status']}**: {batch['fetched']} rows fetched, "
        f"{shown['held_rows']} waiting.\n\n{gates}\n\n"
        f"**{RELEASE}** publishes it to staging as validated (the next pool run matches it); "
        f"**{REJECT}** keeps it out (every row quarantined as `batch rejected: <reason>`). "
        "The reason is required and shown to auditors.\n\n"
        f"Also from the command line: `python -m warehouse batch show {batch_id}`."
    )


def record_decision(batch_id: str, response: Mapping[str, Any]) -> dict[str, Any]:
    """Release or reject the batch as the responding user decided, recorded in ``batch_decision``.

    A batch settled meanwhile by another path (the CLI) keeps that decision: nothing is recorded twice.

    Args:
        batch_id: the held batch.
        response: the decision task's result (``chosen_options``, ``params_input``, ``responded_by_user``).

    Returns:
        ``{"batch_id", "decision", "decided_by", "counts"}``, or ``{"batch_id", "already": status}``.
    """
    from warehouse import make_engine, reject_batch, release_batch

    chosen = response["chosen_options"][0]
    user = response.get("responded_by_user") or {}
    decided_by = str(user.get("name") or user.get("id") or "").strip()
    reason = str((response.get("params_input") or {}).get(REASON) or "")
    decide = release_batch if chosen == RELEASE else reject_batch
    engine = make_engine()
    try:
        counts = decide(engine, batch_id, decided_by, reason)
    except LookupError as exc:
        log.warning("%s: nothing recorded", exc.args[0])
        return {"batch_id": batch_id, "already": _status(engine, batch_id)}
    finally:
        engine.dispose()
    log.info("batch %s %s by %s: %s", batch_id, chosen.lower(), decided_by, counts)
    return {"batch_id": batch_id, "decision": chosen.lower(), "decided_by": decided_by, "counts": counts}


def _status(engine: Any, batch_id: str) -> str | None:
    import sqlalchemy as sa

    with engine.connect() as conn:
        found = conn.execute(sa.text("SELECT status FROM batch WHERE batch_id = :b"), {"b": batch_id})
        status = found.scalar()
        return None if status is None else str(status)
