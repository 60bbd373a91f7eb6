"""The two ways of sending: a group bot's JSON webhook (DingTalk, WeCom, Feishu) and e-mail over SMTP.

A sender holds one connection for a whole run (an HTTP session that keeps its connections alive, one SMTP
session) and sends one message per call, raising :class:`SendFailed` with a reason fit for the audit log:
the receiver's own error, never a bot token (the expanded values of ``${VAR}`` are put back as names).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import smtplib
import time
from collections.abc import Callable, Mapping
from email.message import EmailMessage
from email.utils import formataddr, parseaddr
from typing import Any, Protocol
from urllib.parse import quote_plus

import requests

from alerting.delivery.config import VARIABLE, Channel, Retry, expand
from alerting.delivery.messages import Message
from warehouse.derive.columns import mask_identities

ERROR_CHARS = 500


class SendFailed(Exception):
    """One attempt failed; the message is safe to store (redacted and masked)."""


class Sender(Protocol):
    """Sends messages over one open connection of a channel."""

    def send(self, address: str, message: Message, key: str) -> None: ...

    def close(self) -> None: ...


def redact(text: str, written: list[str], env: Mapping[str, str]) -> str:
    """``text`` with the values of the variables that ``written`` names put back as ``${NAME}``, masked and
    cut to :data:`ERROR_CHARS` (an exception's text may quote the URL it failed on)."""
    for raw in written:
        for match in VARIABLE.finditer(raw):
            value = env.get(match.group(1), "")
            if len(value) >= 4:
                text = text.replace(value, f"${{{match.group(1)}}}").replace(
                    quote_plus(value), f"${{{match.group(1)}}}"
                )
    return (mask_identities(" ".join(text.split())) or "")[:ERROR_CHARS]


def webhook_body(style: str, message: Message) -> dict[str, Any]:
    """The JSON a group bot of ``style`` accepts: DingTalk and WeCom markdown, Feishu text."""
    if style == "dingtalk":
        return {"msgtype": "markdown", "markdown": {"title": message.title, "text": message.markdown}}
    if style == "wecom":  # WeCom cuts markdown at 4,096 bytes
        return {"msgtype": "markdown", "markdown": {"content": message.markdown}}
    return {"msg_type": "text", "content": {"text": message.text}}


def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    """DingTalk's 加签: base64 of HMAC-SHA256 over ``"{timestamp}\\n{secret}"`` keyed by the secret."""
    digest = hmac.new(secret.encode(), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def feishu_sign(secret: str, timestamp_s: int) -> str:
    """Feishu's signature: base64 of HMAC-SHA256 of an empty message keyed by ``"{timestamp}\\n{secret}"``."""
    digest = hmac.new(f"{timestamp_s}\n{secret}".encode(), b"", hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


class WebhookSender:
    """POSTs to group-bot webhooks over one keep-alive HTTP session."""

    def __init__(self, channel: Channel, timeout: float, env: Mapping[str, str]) -> None:
        self.style, self.secret = channel.setting("style", env), channel.setting("secret", env)
        self.timeout, self.env = timeout, env
        self.written = [value for _, value in channel.settings]
        self.session = requests.Session()

    def send(self, address: str, message: Message, key: str) -> None:
        url, body = expand(address, self.env), webhook_body(self.style, message)
        if self.secret and self.style == "dingtalk":
            now = int(time.time() * 1000)
            url += f"{'&' if '?' in url else '?'}timestamp={now}&sign={quote_plus(dingtalk_sign(self.secret, now))}"
        elif self.secret and self.style == "feishu":
            now = int(time.time())
            body = {"timestamp": str(now), "sign": feishu_sign(self.secret, now), **body}
        try:
            response = self.session.post(
                url, json=body, headers={"Idempotency-Key": key}, timeout=self.timeout
            )
        except requests.RequestException as exc:
            raise SendFailed(
                redact(f"{type(exc).__name__}: {exc}", [address, *self.written], self.env)
            ) from None
        if not 200 <= response.status_code < 300:
            raise SendFailed(redact(f"HTTP {response.status_code}: {response.text}", [address], self.env))
        try:
            answer = response.json()
        except ValueError:
            answer = {}
        # DingTalk and WeCom answer {"errcode": 0, ...}, Feishu {"code": 0, ...}: anything else is refused
        # (a wrong keyword or signature, a rate limit) even with HTTP 200.
        code = (
            answer.get("errcode", answer.get("code", answer.get("StatusCode", 0)))
            if isinstance(answer, dict)
            else 0
        )
        if code not in (0, None):
            reason = answer.get("errmsg") or answer.get("msg") or answer.get("StatusMessage") or ""
            raise SendFailed(redact(f"refused by the bot: {code} {reason}", [address], self.env))

    def close(self) -> None:
        self.session.close()


class EmailSender:
    """Sends over one SMTP session, opened at the first message and reopened after a failure."""

    def __init__(self, channel: Channel, timeout: float, env: Mapping[str, str]) -> None:
        self.host, self.port = channel.setting("host", env), int(channel.setting("port", env, "25"))
        self.sender = channel.setting("sender", env)
        self.user, self.password = channel.setting("user", env), channel.setting("password", env)
        self.ssl = channel.setting("ssl", env, "false").lower() == "true"
        self.starttls = channel.setting("starttls", env, "false").lower() == "true"
        self.timeout, self.env = timeout, env
        self.written = [value for _, value in channel.settings]
        self.smtp: smtplib.SMTP | None = None

    def _open(self) -> smtplib.SMTP:
        if self.smtp is None:
            factory: Callable[..., smtplib.SMTP] = smtplib.SMTP_SSL if self.ssl else smtplib.SMTP
            smtp = factory(self.host, self.port, timeout=self.timeout)
            if self.starttls:
                smtp.starttls()
            if self.user:
                smtp.login(self.user, self.password)
            self.smtp = smtp
        return self.smtp

    def send(self, address: str, message: Message, key: str) -> None:
        mail = EmailMessage()
        mail["From"] = formataddr(parseaddr(self.sender))
        mail["To"] = expand(address, self.env)
        mail["Subject"] = message.title
        mail["Message-ID"] = (
            f"<{key}@complaint-hub.delivery>"  # the idempotency key: a repeat is recognisable
        )
        mail.set_content(message.text)
        try:
            self._open().send_message(mail)
        except (smtplib.SMTPException, OSError) as exc:
            self.close()
            raise SendFailed(
                redact(f"{type(exc).__name__}: {exc}", [address, *self.written], self.env)
            ) from None

    def close(self) -> None:
        if self.smtp is not None:
            try:
                self.smtp.quit()
            except (smtplib.SMTPException, OSError):
                pass
            self.smtp = None


def open_sender(channel: Channel, timeout: float, env: Mapping[str, str]) -> Sender:
    """A sender for ``channel`` (webhook or email)."""
    if channel.type == "webhook":
        return WebhookSender(channel, timeout, env)
    return EmailSender(channel, timeout, env)


def send_with_retry(
    sender: Sender,
    address: str,
    message: Message,
    key: str,
    retry: Retry,
    sleep: Callable[[float], None] = time.sleep,
) -> tuple[int, str | None]:
    """Send, retrying with exponential backoff up to ``retry.attempts`` times.

    Returns:
        The attempts made and, if every one failed, the last reason (``None`` when delivered).
    """
    error = None
    for attempt in range(1, retry.attempts + 1):
        try:
            sender.send(address, message, key)
            return attempt, None
        except SendFailed as exc:
            error = str(exc)
        if attempt < retry.attempts:
            sleep(retry.delay(attempt))
    return retry.attempts, error
