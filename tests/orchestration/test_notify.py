"""The engineers' notices as text: which one a failure gets, what it says, and that nothing raw leaks."""

from __future__ import annotations

from pathlib import Path

import pytest
from sinks import WebhookSink

from alerting.delivery import DeliveryConfig
from orchestration.notify import failure_notice, held_batch, held_notice, send_notice
from warehouse import BatchHeld

WHERE: dict[str, object] = {"dag_id": "complaint_source_police", "task_id": "validate", "map_index": -1, "run_id": "manual__1",
         "try_number": 1, "log_url": "http://airflow/dags/complaint_source_police/runs/manual__1/tasks/validate"}  # fmt: skip


@pytest.mark.unit
def test_a_hold_is_found_behind_the_task_failure_it_caused() -> None:
    held = BatchHeld("batch police:w is HELD", "police:w", (("volume", "3 rows, expected 200 ± 50"),))
    try:
        try:
            raise held
        except BatchHeld as exc:
            raise RuntimeError(str(exc)) from exc  # as validate_batch raises AirflowFailException
    except RuntimeError as failure:
        assert held_batch(failure) is held
    assert held_batch(ValueError("other")) is None and held_batch(None) is None


@pytest.mark.unit
def test_the_held_notice_gives_the_commands_and_the_console_page() -> None:
    title, text = held_notice(
        "police:2026-11-20", (("schema_drift", "column 简要警情 missing"),), "http://c", WHERE
    )
    assert "police:2026-11-20" in title and "schema_drift" in title
    assert "hub warehouse batch release police:2026-11-20 --by NAME --reason TEXT" in text
    assert "hub warehouse batch reject police:2026-11-20 --by NAME --reason TEXT" in text
    assert "http://c/batches/police%3A2026-11-20" in text and str(WHERE["log_url"]) in text


@pytest.mark.unit
def test_the_failure_notice_masks_identities_in_the_error() -> None:
    title, text = failure_notice(ValueError("bad row for 13812345678"), {**WHERE, "map_index": 3})
    assert "complaint_source_police.validate[3]" in title
    assert "13812345678" not in text and "138****5678" in text and "ValueError" in text


@pytest.mark.integration
def test_a_notice_reaches_every_engineering_address(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = DeliveryConfig.from_dict(
        {
            "channels": {"feishu": {"type": "webhook", "style": "feishu"}},
            "engineering": {"feishu": ["${ENG}/eng", "${UNSET_HOOK}/eng"]},  # the second one is off
        }
    )
    with WebhookSink(tmp_path / "hook") as hook:
        monkeypatch.setenv("ENG", hook.url)
        results = send_notice(config, "【任务失败】t", "【任务失败】t\n运行：r", "key-1")
        (post,) = hook.received()
    assert results == {"feishu ${ENG}/eng": "delivered"}
    assert post["body"] == {"msg_type": "text", "content": {"text": "【任务失败】t\n运行：r"}}
    assert post["idempotency_key"] == "key-1"
