"""Held batches for the console: what waits, why (the gates), a masked sample of the rows, the decisions."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from console.masking import mask_payload

SAMPLE = 10


def held_list(engine: sa.Engine) -> list[dict[str, Any]]:
    """Batches waiting for a decision, then the latest decided ones (``v_audit_batch``), newest first."""
    with engine.connect() as conn:
        rows = conn.execute(
            sa.text(
                "SELECT b.batch_id, b.source, b.window_start, b.window_end, b.status, b.fetched, b.held_gate, "
                "b.held_reason, d.decided_by, d.decided_at FROM v_audit_batch b "
                "LEFT JOIN v_audit_batch_decision d ON d.batch_id = b.batch_id "
                "WHERE b.status = 'held' OR d.batch_id IS NOT NULL "
                "ORDER BY CASE WHEN b.status = 'held' THEN 0 ELSE 1 END, b.window_start DESC LIMIT 200"
            )
        )
        return [dict(r) for r in rows.mappings()]


def batch_page(engine: sa.Engine, batch_id: str, airflow_url: str | None = None) -> dict[str, Any]:
    """One batch: its accounting, every gate's verdict, its decisions and a masked sample of its held rows.

    Raises:
        KeyError: no such batch.
    """
    from orchestration.approval import APPROVAL_DAG, approval_run_id

    with engine.connect() as conn:
        batch = conn.execute(sa.text("SELECT * FROM v_audit_batch WHERE batch_id = :b"), {"b": batch_id})
        found = batch.mappings().first()
        if found is None:
            raise KeyError(f"no batch {batch_id!r}")
        gates = conn.execute(
            sa.text(
                "SELECT gate, passed, reason, detail FROM v_audit_batch_gate WHERE batch_id = :b ORDER BY gate"
            ),
            {"b": batch_id},
        )
        decisions = conn.execute(
            sa.text(
                "SELECT decision, gate, decided_by, reason, decided_at FROM v_audit_batch_decision "
                "WHERE batch_id = :b ORDER BY decided_at"
            ),
            {"b": batch_id},
        )
        sample = conn.execute(
            sa.text(
                "SELECT h.source_record_id, h.reasons, l.payload FROM held_record h "
                "JOIN landing_record l ON l.landing_id = h.landing_id WHERE h.batch_id = :b "
                "ORDER BY h.source_record_id LIMIT :n"
            ),
            {"b": batch_id, "n": SAMPLE},
        )
        result = {
            "batch": dict(found),
            "gates": [dict(g) for g in gates.mappings()],
            "decisions": [dict(d) for d in decisions.mappings()],
            "sample": [
                {**dict(s), "payload": mask_payload(s["payload"], found["source"])} for s in sample.mappings()
            ],
        }
    if airflow_url and found["status"] == "held":
        run = approval_run_id(batch_id)
        result["approve_at"] = (
            f"{airflow_url.rstrip('/')}/dags/{APPROVAL_DAG}/runs/{run}/tasks/decide/required_actions"
        )
    return result
