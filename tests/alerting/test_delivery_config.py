"""Delivery settings, messages and the group bots' request shapes, without a network or a database."""

from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from sinks import WebhookSink

from alerting.delivery import DeliveryConfig, Message, Retry, alert_message
from alerting.delivery.channels import WebhookSender, redact, webhook_body
from alerting.delivery.config import CONFIG, Unset, expand

pytestmark = pytest.mark.unit


def test_the_shipped_configuration_loads_and_routes_by_district_and_street() -> None:
    config = DeliveryConfig.load(CONFIG)
    env = {"HUB_ALERT_WEBHOOK": "http://bot", "HUB_SMTP_HOST": "mail"}
    routed = {(t.channel, t.address, t.recipient) for t in config.targets("城关区", "雁南街道", env)}
    assert routed == {
        ("webhook", "${HUB_ALERT_WEBHOOK}/620102", "district:城关区"),
        ("email", "chengguan@lanzhou.example", "district:城关区"),
        ("email", "yannan.chengguan@lanzhou.example", "street:城关区/雁南街道"),
    }
    # A district without its own addresses, or none at all, goes to the default.
    assert {t.recipient for t in config.targets(None, None, env)} == {"default"}
    # Nothing set: the webhook addresses and the mail server are off, so nothing is routed.
    assert config.targets("城关区", None, {}) == []
    assert config.console({"HUB_CONSOLE_URL": "https://console.example/"}) == "https://console.example"


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        pytest.param({"channels": {"x": {"type": "sms"}}}, "type must be one of", id="unknown channel type"),
        pytest.param(
            {"channels": {"x": {"type": "webhook", "style": "slack"}}}, "style must be one of", id="style"
        ),
        pytest.param({"channels": {"x": {"type": "email", "host": "h"}}}, "needs ['sender']", id="no sender"),
        pytest.param(
            {"recipients": {"default": {"sms": ["1"]}}}, "unknown channel 'sms'", id="unknown channel"
        ),
        pytest.param({"events": ["reopened"]}, "events must be among", id="unknown event"),
        pytest.param(
            {"retry": {"attempts": 5, "give_up_after": 2}}, "give_up_after >= attempts", id="give up"
        ),
        pytest.param({"recipent": {}}, "unknown keys ['recipent']", id="typo"),
    ],
)
def test_a_wrong_configuration_fails_on_load(raw: dict[str, Any], message: str) -> None:
    with pytest.raises((ValueError, TypeError), match=message.replace("[", r"\[").replace("]", r"\]")):
        DeliveryConfig.from_dict(raw)


def test_variables_expand_with_defaults_and_unset_ones_are_named() -> None:
    assert expand("${A}/x?t=${B:-none}", {"A": "http://h"}) == "http://h/x?t=none"
    with pytest.raises(Unset, match=r"\$\{TOKEN\} is not set"):
        expand("https://bot?access_token=${TOKEN}", {})


def test_backoff_doubles_up_to_its_cap() -> None:
    retry = Retry(attempts=5, backoff_seconds=0.5, max_backoff_seconds=3)
    assert [retry.delay(n) for n in range(1, 5)] == [0.5, 1.0, 2.0, 3.0]


def test_errors_name_the_variable_never_the_token() -> None:
    text = "HTTPConnectionPool: Max retries exceeded with url: /robot/send?access_token=abcd1234efgh (13912345678)"
    shown = redact(text, ["https://bot/robot/send?access_token=${TOKEN}"], {"TOKEN": "abcd1234efgh"})
    assert "abcd1234efgh" not in shown and "${TOKEN}" in shown and "139****5678" in shown


def _event(**changes: Any) -> dict[str, Any]:
    row = {
        "event": "escalated",
        "colour": "orange",
        "list_name": "预警单",
        "issue_period": "2026-11",
        "issue_no": 7,
        "as_of": datetime(2026, 11, 20, 16, tzinfo=UTC),
        "alert_key": "multi_channel:case-1",
        "rule_id": "multi_channel",
        "district": "七里河区",
        "street": None,
        "category": "物业纠纷",
        "topic": "业主 620102198703151236 反映",
        "n_cases": 1,
        "n_complainants": 1,
        "n_reports": 4,
        "evidence": '{"rule": "同一纠纷多渠道反映", "window_days": 7, "case_ids": ["case/1"], "n_channels": 4,'
        ' "channels": ["app", "hotline", "petition", "police"], "petition": true, "overdue_case_ids": []}',
    }
    return {**row, **changes}


def test_a_message_carries_colour_list_number_rule_evidence_and_masked_text() -> None:
    message = alert_message(_event(), "https://console")
    assert message.title == "【橙色·预警单】2026-11 第7期 同一纠纷多渠道反映 · 七里河区（升级）"
    assert "截至 2026-11-21 00:00（北京时间）" in message.text  # as of, in Beijing time
    assert "[case/1](https://console/cases/case%2F1)" in message.markdown  # a case id is escaped in its link
    assert (
        "4 个渠道（app、hotline、petition、police）" in message.markdown and "信访**：是" in message.markdown
    )
    assert "620102198703151236" not in message.markdown + message.text
    assert "620102********1236" in message.text


@pytest.mark.parametrize(
    ("style", "shape"),
    [
        pytest.param("dingtalk", {"msgtype", "markdown"}, id="dingtalk markdown"),
        pytest.param("wecom", {"msgtype", "markdown"}, id="wecom markdown"),
        pytest.param("feishu", {"msg_type", "content"}, id="feishu text"),
    ],
)
def test_each_bot_gets_its_own_body(style: str, shape: set[str]) -> None:
    body = webhook_body(style, Message("t", "**m**", "m"))
    assert set(body) == shape
    if style == "wecom":
        assert body["markdown"] == {"content": "**m**"}
    if style == "feishu":
        assert body["content"] == {"text": "m"}


@pytest.mark.integration
def test_signed_requests_verify_as_dingtalk_and_feishu_check_them(tmp_path: Path) -> None:
    """加签: the receiver recomputes the signature from the shared secret and the request's timestamp."""
    config = DeliveryConfig.from_dict(
        {
            "channels": {
                "ding": {"type": "webhook", "style": "dingtalk", "secret": "${SECRET}"},
                "fei": {"type": "webhook", "style": "feishu", "secret": "${SECRET}"},
            }
        }
    )
    env, secret = {"SECRET": "SECabc123"}, "SECabc123"
    with WebhookSink(tmp_path / "hook") as hook:
        for name in ("ding", "fei"):
            WebhookSender(config.channels[name], 2, env).send(
                f"{hook.url}/robot?access_token=t", Message("t", "m", "m"), "k"
            )
        ding, fei = hook.received()
    query = parse_qs(urlsplit(ding["path"]).query)
    stamp = query["timestamp"][0]
    expected = hmac.new(secret.encode(), f"{stamp}\n{secret}".encode(), hashlib.sha256).digest()
    assert query["sign"][0] == base64.b64encode(expected).decode() and query["access_token"] == ["t"]
    stamp = fei["body"]["timestamp"]
    expected = hmac.new(f"{stamp}\n{secret}".encode(), b"", hashlib.sha256).digest()
    assert fei["body"]["sign"] == base64.b64encode(expected).decode() and fei["idempotency_key"] == "k"
