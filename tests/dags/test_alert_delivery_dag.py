"""The alerting DAG under `airflow dags test`: alerts are committed whatever the webhook does, a dead
sink's deliveries are logged as failed, and the next run delivers them."""

from __future__ import annotations

import secrets
from pathlib import Path

import pytest
from embedded import ALERTS_DAG_ID, Embedded, airflow_env, delivery_counts, run_dag
from pool_data import pool_wage_claims, rows
from sinks import WebhookSink

from warehouse import make_engine

pytestmark = [pytest.mark.integration, pytest.mark.slow]

LOGICAL_DATE = "2026-11-21T00:00:00+08:00"  # the end of pool_data's day


def _pool(url: str) -> None:
    engine = make_engine(url)
    pool_wage_claims(engine, "反映在工地务工被拖欠工资", district="七里河区")
    engine.dispose()


def test_a_dead_sink_leaves_the_alerts_committed_and_the_next_run_delivers(
    migrated_url: str, tmp_path: Path
) -> None:
    import subprocess
    import sys

    _pool(migrated_url)
    emb = Embedded(var=tmp_path / "var", database_url=migrated_url)
    env = airflow_env(emb, "http://127.0.0.1:9", secrets.token_urlsafe(8))
    for name in ("HUB_SMTP_HOST", "HUB_ENGINEERING_WEBHOOK"):
        env.pop(name, None)
    airflow = str(Path(sys.executable).with_name("airflow"))
    subprocess.run([airflow, "db", "migrate"], check=True, env=env, stdout=subprocess.DEVNULL)

    with WebhookSink(tmp_path / "webhook") as hook:
        gone = hook.url
    # The sink is pulled away: evaluate commits the alert; deliver logs the failure and the run succeeds.
    run_dag({**env, "HUB_ALERT_WEBHOOK": gone}, LOGICAL_DATE, ALERTS_DAG_ID)
    engine = make_engine(migrated_url)
    (alert,) = rows(engine, "SELECT * FROM v_alert WHERE status = 'open'")
    assert alert["district"] == "七里河区"
    (failed,) = rows(engine, "SELECT * FROM v_audit_alert_delivery")
    assert (failed["status"], failed["recipient"], failed["attempts"]) == ("failed", "district:七里河区", 3)
    assert "ConnectionError" in failed["last_error"]

    with WebhookSink(tmp_path / "webhook-back") as hook:  # back, on another port: the next run delivers
        run_dag({**env, "HUB_ALERT_WEBHOOK": hook.url}, LOGICAL_DATE, ALERTS_DAG_ID)
        (post,) = hook.received()
    assert post["path"] == "/620103" and "提示单" in post["body"]["markdown"]["title"]
    assert delivery_counts(migrated_url) == {"webhook": 1, "email": 0, "failed": 0}
    (delivered,) = rows(engine, "SELECT * FROM v_audit_alert_delivery")
    assert (delivered["status"], delivered["attempts"], delivered["last_error"]) == ("delivered", 4, None)
    engine.dispose()
