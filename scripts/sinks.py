"""Local stand-ins for a group bot and a mail server, for the demo and the tests: real servers on free ports.

``WebhookSink`` is an HTTP server that accepts the JSON a DingTalk / WeCom / Feishu bot accepts, answers
as DingTalk does (``{"errcode": 0, "errmsg": "ok"}``) and writes each request to a folder (one JSON file
per request, numbered, with its path and idempotency key). ``MailSink`` is an SMTP server (aiosmtpd) that
writes each message it accepts as an ``.eml`` file. ``python scripts/sinks.py --out var/demo`` runs both
until interrupted, to try a delivery configuration by hand.
"""

from __future__ import annotations

import argparse
import json
import threading
import time
from email import message_from_bytes
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any


class WebhookSink:
    """A group-bot webhook on ``127.0.0.1``: ``url`` is its base (append any path, e.g. ``/620102``)."""

    def __init__(self, out: Path, port: int = 0) -> None:
        self.out = out
        self.out.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._count = len(list(out.glob("*.json")))
        # Answers to give instead of accepting, one per request, first in first out: a bot's refusal
        # ``(200, {"errcode": 130101, ...})`` or an outage ``(503, {...})`` (the tests' retries).
        self.refusals: list[tuple[int, dict[str, Any]]] = []
        sink = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802  (http.server's name)
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                try:
                    body = json.loads(raw)
                    ok = isinstance(body, dict) and ("msgtype" in body or "msg_type" in body)
                except ValueError:
                    body, ok = None, False
                if not ok:
                    self._answer(400, {"errcode": 40035, "errmsg": "not a group-bot message"})
                    return
                with sink._lock:
                    refusal = sink.refusals.pop(0) if sink.refusals else None
                if refusal is not None:
                    self._answer(*refusal)
                    return
                sink._write(self.path, self.headers.get("Idempotency-Key"), body)
                self._answer(200, {"errcode": 0, "errmsg": "ok"})

            def _answer(self, status: int, answer: dict[str, Any]) -> None:
                data = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002  (the base's name)
                return  # quiet: the files are the record

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def _write(self, path: str, key: str | None, body: Any) -> None:
        with self._lock:
            self._count += 1
            name = f"{self._count:05d}.json"
        record = {"path": path, "idempotency_key": key, "body": body}
        (self.out / name).write_text(json.dumps(record, ensure_ascii=False, indent=2), encoding="utf-8")

    def received(self) -> list[dict[str, Any]]:
        """Every request written so far, in order."""
        return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(self.out.glob("*.json"))]

    def __enter__(self) -> WebhookSink:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def stop(self) -> None:
        """Stop serving and close the port (what 'pulling the sink away' means)."""
        self.server.shutdown()
        self.server.server_close()


class MailSink:
    """An SMTP server on ``127.0.0.1`` (aiosmtpd) writing each accepted message to ``out/NNNNN.eml``."""

    def __init__(self, out: Path, port: int = 0) -> None:
        from aiosmtpd.controller import Controller

        self.out = out
        self.out.mkdir(parents=True, exist_ok=True)
        sink = self

        class Handler:
            async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
                n = len(list(sink.out.glob("*.eml"))) + 1
                (sink.out / f"{n:05d}.eml").write_bytes(envelope.original_content or envelope.content)
                return "250 Message accepted for delivery"

        self.controller = Controller(Handler(), hostname="127.0.0.1", port=port or _free_port())

    @property
    def port(self) -> int:
        return int(self.controller.port)

    def messages(self) -> list[Message]:
        """Every message accepted so far, parsed, in order."""
        return [message_from_bytes(p.read_bytes()) for p in sorted(self.out.glob("*.eml"))]

    def __enter__(self) -> MailSink:
        self.controller.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.controller.stop()


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("var/demo"))
    parser.add_argument("--port", type=int, default=0, help="webhook port (default: a free one)")
    args = parser.parse_args()
    with WebhookSink(args.out / "webhook", args.port) as hook, MailSink(args.out / "mail") as mail:
        print(
            f"HUB_ALERT_WEBHOOK={hook.url}/hook HUB_SMTP_HOST=127.0.0.1 HUB_SMTP_PORT={mail.port}", flush=True
        )
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
