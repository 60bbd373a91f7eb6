"""Alert delivery against a real local webhook sink and a real SMTP server (aiosmtpd), on both engines:
delivered once, retried with backoff, a dead channel never blocking the other, nothing sent twice."""

from __future__ import annotations

import json
from datetime import timedelta
from email.message import Message
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import sqlalchemy as sa
from pool_data import DAY, pool_wage_claims, rows
from sinks import MailSink, WebhookSink

from alerting import run_alerts
from alerting.delivery import DeliveryConfig, deliver_alerts
from alerting.delivery.outbox import delivery_key
from alerting.lifecycle import apply_firings
from warehouse import make_engine
from warehouse.access.roles import contract_views

pytestmark = pytest.mark.integration

CONSOLE = "http://console.test"


def _config(**retry: Any) -> DeliveryConfig:
    return DeliveryConfig.from_dict(
        {
            "console_url": CONSOLE,
            "retry": {
                "attempts": 3,
                "backoff_seconds": 0.5,
                "max_backoff_seconds": 0.75,
                "timeout_seconds": 2,
                **retry,
            },
            "channels": {
                "webhook": {"type": "webhook", "style": "dingtalk"},
                "email": {
                    "type": "email",
                    "host": "127.0.0.1",
                    "port": "${SMTP_PORT}",
                    "sender": "预警 <hub@test>",
                },
            },
            "recipients": {
                "default": {"webhook": ["${HOOK}/default"]},
                "districts": {
                    "城关区": {
                        "webhook": ["${HOOK}/620102?access_token=${TOKEN}"],
                        "email": ["chengguan@test"],
                        "streets": {"雁南街道": {"email": ["yannan@test"]}},
                    }
                },
            },
        }
    )


def _firing(
    key: str, district: str | None = "城关区", street: str | None = None, colour: str = "yellow"
) -> dict[str, Any]:
    return {
        "alert_key": f"repeat_complainant:{key}",
        "rule_id": "repeat_complainant",
        "subject_kind": "case",
        "subject_id": key,
        "colour": colour,
        "list_name": {"yellow": "提示单", "orange": "预警单", "red": "督办单"}[colour],
        "district": district,
        "street": street,
        "category": "劳资欠薪",
        "topic": "宏泰华府 联系 13912345678",  # a phone typed into free text: never delivered raw
        "n_cases": 2,
        "n_complainants": 1,
        "n_reports": 3,
        "evidence": {
            "rule": "同一人反复投诉",
            "window_days": 7,
            "case_ids": [f"{key}-1", f"{key}-2"],
            "n_cases": 2,
            "n_complainants": 1,
            "n_reports": 3,
            "n_channels": 2,
            "channels": ["hotline", "petition"],
            "petition": True,
            "hot": True,
            "overdue_case_ids": [f"{key}-2"],
        },
    }


def _fire(engine: sa.Engine, firings: list[dict[str, Any]], day: int = 0) -> None:
    with engine.begin() as conn:
        apply_firings(conn, pd.DataFrame(firings), DAY.end + timedelta(days=day), "2026-11", "test")


def _log(engine: sa.Engine) -> list[dict[str, Any]]:
    return rows(engine, "SELECT * FROM v_audit_alert_delivery ORDER BY delivery_id")


@pytest.fixture
def sinks(tmp_path: Path) -> Any:
    with WebhookSink(tmp_path / "webhook") as hook, MailSink(tmp_path / "mail") as mail:
        yield hook, mail


def _env(hook: WebhookSink, mail: MailSink) -> dict[str, str]:
    return {"HOOK": hook.url, "SMTP_PORT": str(mail.port), "TOKEN": "s3cr3t-bot-token"}


def test_each_event_reaches_its_district_and_street_once(migrated_url: str, sinks: Any) -> None:
    hook, mail = sinks
    engine, env = make_engine(migrated_url), _env(*sinks)
    _fire(engine, [_firing("a", street="雁南街道"), _firing("b", district="红古区", colour="red")])
    waits: list[float] = []

    first = deliver_alerts(engine, _config(), env, waits.append)
    assert first["queued"] == 4 and first["delivered"] == {"webhook": 2, "email": 2} and not first["failed"]
    assert waits == []  # nothing failed: no backoff
    posts = hook.received()
    assert sorted(p["path"] for p in posts) == ["/620102?access_token=s3cr3t-bot-token", "/default"]
    dingtalk = next(p for p in posts if p["path"] == "/default")["body"]
    assert dingtalk["msgtype"] == "markdown"
    text = dingtalk["markdown"]["text"]
    assert "督办单" in dingtalk["markdown"]["title"] and "2026-11 第1期" in text and "同一人反复投诉" in text
    assert f"[b-1]({CONSOLE}/cases/b-1)" in text and "超期案件**：b-2" in text and "信访**：是" in text
    assert "13912345678" not in json.dumps(posts, ensure_ascii=False) and "139****5678" in text
    mails: list[Message] = mail.messages()
    assert sorted(m["To"] for m in mails) == ["chengguan@test", "yannan@test"]
    assert all("13912345678" not in m.as_string() for m in mails)

    log = _log(engine)
    assert {(r["recipient"], r["channel"], r["status"], r["attempts"]) for r in log} == {
        ("district:城关区", "webhook", "delivered", 1),
        ("district:城关区", "email", "delivered", 1),
        ("street:城关区/雁南街道", "email", "delivered", 1),
        ("default", "webhook", "delivered", 1),
    }
    # The idempotency key goes with the message, and the log keeps the address as written (no token).
    mine = next(r for r in log if r["channel"] == "webhook" and r["recipient"] != "default")
    assert mine["address"] == "${HOOK}/620102?access_token=${TOKEN}"
    assert mine["delivery_key"] == delivery_key(mine["event_id"], "webhook", mine["address"])
    assert mine["delivery_key"] in {p["idempotency_key"] for p in posts}
    assert {f"<{r['delivery_key']}@complaint-hub.delivery>" for r in log if r["channel"] == "email"} == {
        m["Message-ID"] for m in mails
    }

    again = deliver_alerts(engine, _config(), env, waits.append)  # the next run: nothing new, nothing again
    assert again["queued"] == 0 and again["delivered"] == {}
    assert len(hook.received()) == 2 and len(mail.messages()) == 2
    engine.dispose()


def test_a_dead_webhook_never_blocks_email_and_the_next_run_delivers(
    migrated_url: str, tmp_path: Path, sinks: Any
) -> None:
    hook, mail = sinks
    engine, env = make_engine(migrated_url), _env(*sinks)
    _fire(engine, [_firing("a"), _firing("b")])
    hook.stop()  # the sink pulled away after the alerts were committed
    waits: list[float] = []

    first = deliver_alerts(engine, _config(), env, waits.append)
    assert first["delivered"] == {"email": 2} and first["failed"] == {"webhook": 2}
    assert waits == [0.5, 0.75]  # exponential, capped; the second delivery to the dead address is not tried
    log = {(r["alert_key"], r["channel"]): r for r in _log(engine)}
    a, b = log[("repeat_complainant:a", "webhook")], log[("repeat_complainant:b", "webhook")]
    assert (a["status"], a["attempts"], b["status"], b["attempts"]) == ("failed", 3, "failed", 0)
    assert "ConnectionError" in a["last_error"] and "not tried" in b["last_error"]
    assert "s3cr3t-bot-token" not in a["last_error"] and "${TOKEN}" in a["last_error"]
    assert len(rows(engine, "SELECT * FROM v_alert WHERE status = 'open'")) == 2  # the alerts stand

    with WebhookSink(tmp_path / "webhook-back") as back:  # the sink is back (on another port)
        second = deliver_alerts(engine, _config(), {**env, "HOOK": back.url}, waits.append)
        assert second["delivered"] == {"webhook": 2} and len(back.received()) == 2
    log = {(r["alert_key"], r["channel"]): r for r in _log(engine)}
    assert {(r["status"], r["last_error"]) for r in log.values()} == {("delivered", None)}
    assert log[("repeat_complainant:a", "webhook")]["attempts"] == 4
    assert len(mail.messages()) == 2  # e-mail was not sent again
    engine.dispose()


def test_a_refusal_is_retried_with_backoff_and_a_delivery_gives_up_in_the_end(
    migrated_url: str, sinks: Any
) -> None:
    hook, _ = sinks
    engine, env = make_engine(migrated_url), _env(*sinks)
    _fire(engine, [_firing("a", district="红古区")])
    hook.refusals += [(200, {"errcode": 130101, "errmsg": "send too fast"}), (503, {"errmsg": "busy"})]
    waits: list[float] = []
    assert deliver_alerts(engine, _config(), env, waits.append)["delivered"] == {"webhook": 1}
    assert waits == [0.5, 0.75]
    ((delivered),) = _log(engine)
    assert (delivered["status"], delivered["attempts"]) == ("delivered", 3)

    _fire(engine, [_firing("b", district="红古区")], day=1)  # a closes, b is issued
    hook.refusals += [(200, {"errcode": 310000, "errmsg": "keywords not in content"})] * 4
    config = _config(attempts=2, give_up_after=4)
    deliver_alerts(engine, config, env, waits.append)
    deliver_alerts(engine, config, env, waits.append)
    # b's issue was refused twice per run and given up; a's closing waited behind it (same address), untried.
    gave_up, waiting = (r for r in _log(engine) if r["status"] != "delivered")
    assert (gave_up["event"], gave_up["status"], gave_up["attempts"]) == ("issued", "abandoned", 4)
    assert "310000 keywords not in content" in gave_up["last_error"]
    assert (waiting["event"], waiting["status"], waiting["attempts"]) == ("closed", "failed", 0)
    assert deliver_alerts(engine, config, env, waits.append)["delivered"] == {
        "webhook": 1
    }  # not the abandoned
    engine.dispose()


def test_addresses_naming_unset_variables_are_off(migrated_url: str, sinks: Any) -> None:
    engine = make_engine(migrated_url)
    _fire(engine, [_firing("a")])
    # No SMTP port and no token: the e-mail channel and the token-bearing webhook are off; nothing queued.
    assert deliver_alerts(engine, _config(), {"HOOK": sinks[0].url}, lambda _: None)["queued"] == 0
    assert _log(engine) == []
    engine.dispose()


def test_a_real_alerting_run_is_delivered_and_a_rerun_sends_nothing(migrated_url: str, sinks: Any) -> None:
    hook, mail = sinks
    engine, env = make_engine(migrated_url), _env(*sinks)
    pool_wage_claims(
        engine, "来电人反映其在宏泰华府二期项目务工,被拖欠工资", district="城关区", street="雁南街道"
    )
    run_alerts(engine, DAY.end, "run-1")
    assert deliver_alerts(engine, _config(), env, lambda _: None)["delivered"] == {"webhook": 1, "email": 2}
    (post,) = hook.received()
    assert (
        "群体性纠纷苗头" in post["body"]["markdown"]["text"]
        and f"{CONSOLE}/cases/c0" in post["body"]["markdown"]["text"]
    )
    run_alerts(engine, DAY.end, "run-1-again")  # the same reference time: no new event
    assert deliver_alerts(engine, _config(), env, lambda _: None)["queued"] == 0
    assert len(hook.received()) == 1 and len(mail.messages()) == 2
    engine.dispose()


def test_the_log_is_an_audit_view(migrated_url: str) -> None:
    engine = make_engine(migrated_url)
    with engine.connect() as conn:
        readers, auditors = contract_views(conn)
    assert "v_audit_alert_delivery" in auditors and "v_audit_alert_delivery" not in readers
    engine.dispose()


def test_hundreds_of_events_are_delivered_in_seconds(migrated_url: str, sinks: Any) -> None:
    import time

    hook, mail = sinks
    engine, env = make_engine(migrated_url), _env(*sinks)
    districts = ["城关区", "七里河区", "西固区", "安宁区"]
    _fire(engine, [_firing(f"s{i}", district=districts[i % 4]) for i in range(400)])
    began = time.monotonic()
    result = deliver_alerts(engine, _config(), env, lambda _: None)
    elapsed = time.monotonic() - began
    # 城关区's 100 alerts go to its webhook and its mailbox; the others' 300 to the default webhook.
    assert result["delivered"] == {"webhook": 400, "email": 100} and len(hook.received()) == 400
    assert elapsed < 30, elapsed
    print(f"RESULT delivered 500 messages (400 webhook, 100 e-mail) in {elapsed:.1f} s")
    engine.dispose()


def test_the_operator_command_delivers_with_a_configuration_file(
    migrated_url: str,
    tmp_path: Path,
    sinks: Any,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from alerting.__main__ import main

    hook, _ = sinks
    engine = make_engine(migrated_url)
    _fire(engine, [_firing("a", district="安宁区")])
    config = tmp_path / "delivery.yaml"
    config.write_text(
        "channels: {wecom: {type: webhook, style: wecom}}\nrecipients: {default: {wecom: ['${HOOK}/wecom']}}\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("HOOK", hook.url)
    assert main(["--url", migrated_url, "deliver", "--config", str(config)]) == 0
    assert json.loads(capsys.readouterr().out)["delivered"] == {"wecom": 1}
    (post,) = hook.received()
    assert (
        post["path"] == "/wecom"
        and post["body"]["msgtype"] == "markdown"
        and "content" in post["body"]["markdown"]
    )
    assert main(["--url", migrated_url, "deliver", "--config", str(tmp_path / "missing.yaml")]) == 2
    engine.dispose()
