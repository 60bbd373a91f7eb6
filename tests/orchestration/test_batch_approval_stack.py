"""A held batch released through Airflow's REST API on the native stack, by a named user, while the same
source's next batch runs.

The netizen drop gets an export whose messages renamed ``content``: its run holds the batch (schema
drift) and triggers ``complaint_batch_approval``, which waits in ``awaiting_input``. A good export's run
stages meanwhile. Then the user ``li_engineer`` (Airflow role ``user``) releases the held batch with a
reason through ``PATCH …/hitlDetails``; ``v_audit_batch`` shows it released and
``v_audit_batch_decision`` names the user.
"""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
from native_stack import Stack, running_stack

pytestmark = [pytest.mark.integration, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
SOURCE_DAG, APPROVAL = "complaint_source_netizen", "complaint_batch_approval"
USER = "li_engineer"
EXPORT = ROOT / "tests" / "fixtures" / "netizen" / "ly_20261120_0600.json"
TIMEOUT = 300.0


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory, postgres_admin_url: str) -> Iterator[Stack]:
    with running_stack(
        tmp_path_factory.mktemp("stack"),
        postgres_admin_url,
        records=200,
        task_retries=0,
        extra_env={"AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS": f"admin:admin,{USER}:user"},
    ) as running:
        yield running


def _wait(stack: Stack, what: str, done: Callable[[], Any], timeout: float = TIMEOUT) -> Any:
    began = time.monotonic()
    while not (found := done()):
        if time.monotonic() - began > timeout:
            pytest.fail(f"{what}: not done after {timeout:.0f}s\n{stack.diagnostics()}")
        time.sleep(2)
    return found


def _run(stack: Stack, dag_id: str, run_id: str) -> dict[str, Any] | None:
    return next((r for r in stack.runs(dag_id) if r["run_id"] == run_id), None)


def _finished(stack: Stack, dag_id: str, run_id: str) -> dict[str, Any] | None:
    run = _run(stack, dag_id, run_id)
    return run if run and run["state"] in ("success", "failed") else None


def _trigger(stack: Stack, headers: dict[str, str], run_id: str, start: str, end: str) -> str:
    """A run of the source DAG for the window [start, end), through the REST API."""
    base = stack.state["env"]["AIRFLOW__API__BASE_URL"]
    body = {
        "dag_run_id": run_id,
        "logical_date": start,
        "data_interval_start": start,
        "data_interval_end": end,
    }
    response = httpx.post(f"{base}/api/v2/dags/{SOURCE_DAG}/dagRuns", headers=headers, json=body, timeout=60)
    assert response.status_code == 200, response.text
    return run_id


def _export(drop: Path, name: str, rename_content: bool) -> None:
    document = json.loads(EXPORT.read_text(encoding="utf-8"))
    for i, message in enumerate(document["messages"]):
        message["tid"] = f"{name}-{i}"
        if rename_content:
            message["content_text"] = message.pop("content")
    (drop / f"{name}.json").write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")


def _token(stack: Stack) -> str:
    passwords = json.loads((stack.config.var / "airflow" / "passwords.json").read_text(encoding="utf-8"))
    base = stack.state["env"]["AIRFLOW__API__BASE_URL"]
    response = httpx.post(
        f"{base}/auth/token", json={"username": USER, "password": passwords[USER]}, timeout=60
    )
    response.raise_for_status()
    return str(response.json()["access_token"])


def test_a_named_user_releases_a_held_batch_while_the_next_batch_runs(stack: Stack) -> None:
    _wait(
        stack,
        "the DAG processor to serialize the DAGs",
        lambda: stack.scalar(f"SELECT count(*) FROM dag WHERE dag_id IN ('{SOURCE_DAG}', '{APPROVAL}')") == 2,
    )
    drop = stack.config.var / "sources" / "netizen"
    for old in drop.glob("*.json"):  # the simulated exports: not this test's subject
        shutil.move(old, stack.config.var / old.name)
    headers = {"Authorization": f"Bearer {_token(stack)}"}
    base = stack.state["env"]["AIRFLOW__API__BASE_URL"]
    for dag_id in (SOURCE_DAG, APPROVAL):
        unpaused = httpx.patch(
            f"{base}/api/v2/dags/{dag_id}", headers=headers, json={"is_paused": False}, timeout=60
        )
        assert unpaused.status_code == 200, unpaused.text
    _wait(
        stack,
        "the unpaused DAG's scheduled run",
        lambda: any(_finished(stack, SOURCE_DAG, r["run_id"]) for r in stack.runs(SOURCE_DAG)),
    )

    _export(drop, "drifted", rename_content=True)
    held_run = _trigger(stack, headers, "drifted_export", "2026-11-20T01:30:00Z", "2026-11-20T02:30:00Z")
    assert (
        _wait(stack, "the drifted export's run", lambda: _finished(stack, SOURCE_DAG, held_run))["state"]
        == "success"
    )
    batch_id = stack.scalar(
        f"SELECT batch_id FROM batch WHERE status = 'held' AND run_id = '{held_run}'", stack.warehouse
    )
    assert batch_id, stack.diagnostics()
    approval_run = f"held__{batch_id}"
    _wait(
        stack,
        "the approval to wait for a person",
        lambda: (
            stack.scalar(
                f"SELECT state FROM task_instance WHERE dag_id = '{APPROVAL}' AND run_id = '{approval_run}' AND task_id = 'decide'"
            )
            == "awaiting_input"
        ),
    )

    # The source's next batch runs while the decision waits.
    _export(drop, "good", rename_content=False)
    next_run = _trigger(stack, headers, "next_export", "2026-11-20T02:30:00Z", "2026-11-20T03:30:00Z")
    assert (
        _wait(stack, "the next export's run", lambda: _finished(stack, SOURCE_DAG, next_run))["state"]
        == "success"
    )
    assert stack.scalar(f"SELECT status FROM batch WHERE run_id = '{next_run}'", stack.warehouse) == "staged"
    assert _run(stack, APPROVAL, approval_run)["state"] == "running"  # type: ignore[index]

    path = f"{base}/api/v2/dags/{APPROVAL}/dagRuns/{approval_run}/taskInstances/decide/-1/hitlDetails"
    waiting = httpx.get(f"{base}/api/v2/dags/~/dagRuns/~/hitlDetails", headers=headers, timeout=60).json()
    (request,) = [d for d in waiting["hitl_details"] if d["task_instance"]["dag_run_id"] == approval_run]
    assert batch_id in request["subject"] and "schema_drift" in request["body"]  # what the person reads
    answer = {"chosen_options": ["Release"], "params_input": {"reason": "renamed field mapped; rows checked"}}
    response = httpx.patch(path, headers=headers, json=answer, timeout=60)
    assert response.status_code == 200, response.text
    assert response.json()["responded_by"]["name"] == USER

    assert (
        _wait(stack, "the approval run", lambda: _finished(stack, APPROVAL, approval_run))["state"]
        == "success"
    )
    with stack.warehouse.connect() as conn:
        status = conn.execute(
            sa.text("SELECT status FROM v_audit_batch WHERE batch_id = :b"), {"b": batch_id}
        )
        decision = conn.execute(
            sa.text("SELECT decision, decided_by, reason FROM v_audit_batch_decision WHERE batch_id = :b"),
            {"b": batch_id},
        )
        assert status.scalar_one() == "released"
        assert [tuple(d) for d in decision] == [("released", USER, "renamed field mapped; rows checked")]
    # The release told the pool: the source's staged Asset has an event naming the batch.
    with stack.metadata.connect() as conn:
        extras = conn.execute(
            sa.text(
                "SELECT e.extra FROM asset_event e JOIN asset a ON a.id = e.asset_id "
                "WHERE a.name = 'complaint_staged_netizen'"
            )
        ).scalars()
        assert batch_id in [(x or {}).get("batch_id") for x in extras]
    # A second answer is refused: the decision is taken.
    assert httpx.patch(path, headers=headers, json=answer, timeout=60).status_code == 409
