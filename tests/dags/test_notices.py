"""The engineers' notices: configured once, on every task of every DAG, and sent by the real callbacks of
`airflow dags test` runs — a failing task and a batch held at a gate each reach the webhook sink."""

from __future__ import annotations

import json
import secrets
from pathlib import Path
from typing import Any

import pytest
from embedded import Embedded, airflow_env, run_dag
from sinks import WebhookSink

from orchestration.notify import EngineerNotifier

ROOT = Path(__file__).resolve().parents[2]
LOGICAL_DATE = "2026-11-21T00:00:00+08:00"


@pytest.mark.unit
def test_every_task_of_every_dag_notifies_the_engineers_on_failure(dagbag) -> None:  # type: ignore[no-untyped-def]
    assert dagbag.dags
    for dag in dagbag.dags.values():
        for task in dag.tasks:
            callbacks = task.on_failure_callback or []
            assert any(isinstance(c, EngineerNotifier) for c in callbacks), (dag.dag_id, task.task_id)


def _env(emb: Embedded, hook: WebhookSink) -> dict[str, str]:
    env = airflow_env(emb, "http://127.0.0.1:9", secrets.token_urlsafe(8))
    env.update(
        {"HUB_ENGINEERING_WEBHOOK": f"{hook.url}/engineering", "HUB_CONSOLE_URL": "http://console.test"}
    )
    env.pop("HUB_SMTP_HOST", None)
    return env


def _migrate(env: dict[str, str]) -> None:
    """Airflow's metadata and the warehouse (a source DAG expects both ready, as on the stack)."""
    import subprocess
    import sys

    from warehouse import migrate

    airflow = str(Path(sys.executable).with_name("airflow"))
    subprocess.run([airflow, "db", "migrate"], check=True, env=env, cwd=ROOT, stdout=subprocess.DEVNULL)
    migrate(env["HUB_DATABASE_URL"])


def _notices(hook: WebhookSink) -> list[dict[str, Any]]:
    return [r for r in hook.received() if r["path"] == "/engineering"]


@pytest.mark.integration
@pytest.mark.slow
def test_a_failing_task_sends_a_failure_notice(tmp_path: Path) -> None:
    # A warehouse URL that cannot be opened: the alerting DAG's evaluate task fails.
    emb = Embedded(var=tmp_path / "var", database_url=f"sqlite:///{tmp_path / 'missing' / 'hub.db'}")
    with WebhookSink(tmp_path / "webhook") as hook:
        with pytest.raises(RuntimeError, match="failed"):
            run_dag(_env(emb, hook), LOGICAL_DATE)  # migrates Airflow's metadata, then the hub DAG fails
        notices = _notices(hook)
    assert notices, "no notice reached the sink"
    text = notices[0]["body"]["markdown"]["text"]
    assert "任务失败" in text and "complaint_hub.prepare_warehouse" in text and "OperationalError" in text
    assert "/dags/complaint_hub/runs/" in text  # the task log's link


@pytest.mark.integration
@pytest.mark.slow
def test_a_held_batch_sends_the_commands_and_the_console_link(tmp_path: Path) -> None:
    from drop_corpus import COLUMNS, csv_bytes, police_rows

    emb = Embedded(var=tmp_path / "var", database_url=f"sqlite:///{tmp_path / 'hub.db'}")
    drop = emb.sources / "police"
    drop.mkdir(parents=True)
    # A renamed column: the schema-drift gate holds the batch.
    header = [("案情摘要" if c == "简要警情" else c) for c in COLUMNS]
    (drop / "jq_20261120.csv").write_bytes(csv_bytes(police_rows(30), header=header))
    with WebhookSink(tmp_path / "webhook") as hook:
        env = _env(emb, hook)
        _migrate(env)
        # The source run does not fail: it asks complaint_batch_approval, and tells the engineers.
        run_dag(env, LOGICAL_DATE, "complaint_source_police")
        notices = _notices(hook)
    held = [n["body"]["markdown"]["text"] for n in notices if "数据暂扣" in n["body"]["markdown"]["text"]]
    assert held, json.dumps(notices, ensure_ascii=False)[:2000]
    (text,) = held
    assert "hub warehouse batch release police:" in text and "hub warehouse batch reject police:" in text
    assert "http://console.test/batches/police%3A" in text and "schema_drift" in text
    assert "Required Actions" in text and "held__police" in text
