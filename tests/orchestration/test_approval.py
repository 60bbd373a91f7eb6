"""Held batches settled in Airflow: what the approval DAG's tasks record, and the reason they require."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
import sqlalchemy as sa
from held_batches import held_batch

from orchestration.approval import (
    REJECT,
    RELEASE,
    approval_request,
    approval_run_id,
    describe_held,
    record_decision,
)
from orchestration.approval_operator import BatchDecisionOperator
from warehouse import make_engine

pytestmark = pytest.mark.integration


def _response(option: str, reason: str, user: str = "li.engineer") -> dict[str, Any]:
    return {
        "chosen_options": [option],
        "params_input": {"reason": reason},
        "responded_by_user": {"id": user, "name": user},
        "responded_at": datetime(2026, 11, 21, 9, 0, tzinfo=UTC),
    }


def _audit(engine: sa.Engine, batch_id: str) -> tuple[Any, ...]:
    with engine.connect() as conn:
        status = conn.execute(
            sa.text("SELECT status FROM v_audit_batch WHERE batch_id = :b"), {"b": batch_id}
        )
        decisions = conn.execute(
            sa.text("SELECT decision, decided_by, reason FROM v_audit_batch_decision WHERE batch_id = :b"),
            {"b": batch_id},
        )
        return status.scalar_one(), [tuple(d) for d in decisions]


@pytest.mark.parametrize(
    ("option", "status"),
    [pytest.param(RELEASE, "released", id="release"), pytest.param(REJECT, "rejected", id="reject")],
)
def test_the_responding_user_is_recorded_as_the_cli_records_it(
    migrated_url: str, monkeypatch: pytest.MonkeyPatch, option: str, status: str
) -> None:
    monkeypatch.setenv("HUB_DATABASE_URL", migrated_url)
    engine = make_engine(migrated_url)
    batch_id = held_batch(engine)
    body = describe_held(batch_id)
    assert "schema_drift" in body and "content" in body and f"batch show {batch_id}" in body

    recorded = record_decision(batch_id, _response(option, "  source fixed the export  "))
    assert recorded["decision"] == option.lower() and recorded["decided_by"] == "li.engineer"
    assert _audit(engine, batch_id) == (status, [(status, "li.engineer", "source fixed the export")])
    # Settled meanwhile (or a second answer): nothing is recorded twice.
    assert record_decision(batch_id, _response(RELEASE, "again")) == {"batch_id": batch_id, "already": status}
    assert len(_audit(engine, batch_id)[1]) == 1
    engine.dispose()


def test_only_a_held_batch_asks_and_its_run_id_is_one_per_batch() -> None:
    batch_id = "police:20261120T000000Z-20261121T000000Z"
    assert approval_request({"batch_id": batch_id, "fetched": 3, "landed": 3}) is None
    assert approval_request({"batch_id": batch_id, "held": True, "message": "…"}) == {
        "batch_id": batch_id,
        "run_id": "held__police:20261120T000000Z-20261121T000000Z",
    }
    assert approval_run_id("a b/c") == "held__a_b_c"


@pytest.mark.parametrize("reason", [pytest.param("", id="empty"), pytest.param("   ", id="blank")])
def test_a_response_without_a_reason_is_refused(reason: str) -> None:
    operator = BatchDecisionOperator(task_id="decide", subject="held batch")
    assert operator.options == [RELEASE, REJECT] and operator.execution_timeout is None
    assert operator.response_timeout is None and (operator.retries or 0) >= 1  # a retry asks again
    with pytest.raises(ValueError, match="needs a reason"):
        operator.execute_complete({}, _response(RELEASE, reason))
    assert operator.execute_complete({}, _response(RELEASE, "ok"))["chosen_options"] == [RELEASE]
