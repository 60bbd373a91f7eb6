"""Open a local page in headless Chromium with the network blocked, and report what it loaded and drew.

Used by the tests and runnable by hand (`python scripts/headless.py var/reports/audit-2026-11-20.html
shot.png`). Chromium is driven over ``--remote-debugging-pipe`` (the DevTools protocol on fds 3/4,
no port, no extra package): every request that failed, every script error, the result of a probe
expression run in the page, and a full-page PNG screenshot. Host resolution maps every name to
"not found", so a page that still needs a CDN shows it as a failed request.
"""

from __future__ import annotations

import base64
import fcntl
import json
import os
import queue
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-extensions",
    "--host-resolver-rules=MAP * ~NOTFOUND",
    "--proxy-server=http://127.0.0.1:9",
    "--remote-debugging-pipe",
    "--window-size=1280,900",
)


@dataclass
class Rendered:
    """What a page did: failed loads (url -> error), script errors, the probe's value, the screenshot."""

    failed: dict[str, str] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    requested: list[str] = field(default_factory=list)
    probe: Any = None
    screenshot: Path | None = None


def chromium() -> str | None:
    """The Chromium binary, if installed."""
    return shutil.which("chromium") or shutil.which("chromium-browser")


def _above_nine(fd: int) -> int:
    moved = fcntl.fcntl(fd, fcntl.F_DUPFD, 10)
    os.close(fd)
    return moved


class _Pipe:
    def __init__(self, binary: str, profile: str, flags: tuple[str, ...] = FLAGS) -> None:
        to_chrome_r, self._to_chrome = os.pipe()
        self._from_chrome, from_chrome_w = os.pipe()
        # Move Chromium's ends above 9 first, so that placing them on 3 and 4 cannot overwrite each other.
        to_chrome_r, from_chrome_w = (_above_nine(fd) for fd in (to_chrome_r, from_chrome_w))

        def fds() -> None:  # Chromium reads commands on fd 3 and writes replies on fd 4.
            os.dup2(to_chrome_r, 3)
            os.dup2(from_chrome_w, 4)

        self.proc = subprocess.Popen(
            [binary, *flags, f"--user-data-dir={profile}", "about:blank"],
            preexec_fn=fds,
            pass_fds=(3, 4),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.close(to_chrome_r)
        os.close(from_chrome_w)
        self.messages: queue.Queue[dict[str, Any]] = queue.Queue()
        self.events: list[dict[str, Any]] = []
        self._next = 0
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        buffer = b""
        while chunk := os.read(self._from_chrome, 65536):
            buffer += chunk
            while b"\0" in buffer:
                raw, buffer = buffer.split(b"\0", 1)
                self.messages.put(json.loads(raw))

    def call(
        self, method: str, session: str | None = None, timeout: float = 30, **params: Any
    ) -> dict[str, Any]:
        self._next += 1
        message: dict[str, Any] = {"id": self._next, "method": method, "params": params}
        if session:
            message["sessionId"] = session
        os.write(self._to_chrome, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            reply = self.messages.get(timeout=max(0.1, deadline - time.monotonic()))
            if reply.get("id") == self._next:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return dict(reply.get("result", {}))
            self.events.append(reply)

    def drain(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            try:
                self.events.append(self.messages.get(timeout=left))
            except queue.Empty:
                return

    def close(self) -> None:
        try:
            self.call("Browser.close", timeout=5)
        except (RuntimeError, queue.Empty, OSError):
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)
        os.close(self._to_chrome)
        self._reader.join(timeout=5)  # Chromium gone: its end of the pipe is closed, the reader sees EOF
        os.close(self._from_chrome)


def render(page: Path, screenshot: Path, probe: str = "document.title", settle: float = 2.0) -> Rendered:
    """Load ``page`` offline, wait for it to settle, evaluate ``probe`` in it and save a full-page PNG.

    Args:
        page: the local HTML file.
        screenshot: where to write the PNG.
        probe: a JavaScript expression whose JSON value is returned (e.g. counts of tables and charts).
        settle: seconds to wait after the load event for scripts that draw late (tables, charts).

    Returns:
        What happened.

    Raises:
        RuntimeError: if Chromium is not installed or does not answer.
    """
    binary = chromium()
    if binary is None:
        raise RuntimeError("Chromium is not installed (apt-get install -y chromium)")
    with tempfile.TemporaryDirectory() as profile:
        pipe = _Pipe(binary, profile)
        try:
            target = pipe.call("Target.createTarget", url="about:blank")["targetId"]
            session = pipe.call("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
            for domain in ("Page", "Network", "Runtime", "Log"):
                pipe.call(f"{domain}.enable", session)
            pipe.call("Page.navigate", session, url=page.resolve().as_uri())
            deadline = time.monotonic() + 30
            while not any(e.get("method") == "Page.loadEventFired" for e in pipe.events):
                if time.monotonic() > deadline:
                    raise RuntimeError(f"{page} did not finish loading")
                pipe.drain(0.2)
            pipe.drain(settle)
            value = pipe.call(
                "Runtime.evaluate", session, expression=f"JSON.stringify({probe})", returnByValue=True
            )
            metrics = pipe.call("Page.getLayoutMetrics", session)["cssContentSize"]
            shot = pipe.call(
                "Page.captureScreenshot",
                session,
                format="png",
                captureBeyondViewport=True,
                clip={
                    "x": 0,
                    "y": 0,
                    "width": metrics["width"],
                    "height": min(metrics["height"], 12000),
                    "scale": 1,
                },
            )
        finally:
            pipe.close()
    screenshot.parent.mkdir(parents=True, exist_ok=True)
    screenshot.write_bytes(base64.b64decode(shot["data"]))
    return _summarise(pipe.events, value, screenshot)


def _summarise(events: list[dict[str, Any]], value: dict[str, Any], screenshot: Path) -> Rendered:
    urls = {
        e["params"]["requestId"]: e["params"]["request"]["url"]
        for e in events
        if e.get("method") == "Network.requestWillBeSent"
    }
    rendered = Rendered(requested=sorted(set(urls.values())), screenshot=screenshot)
    for event in events:
        method, params = event.get("method"), event.get("params", {})
        if method == "Network.loadingFailed" and not params.get("canceled"):
            rendered.failed[urls.get(params["requestId"], params["requestId"])] = params.get("errorText", "")
        elif method == "Runtime.exceptionThrown":
            rendered.errors.append(
                params["exceptionDetails"].get("exception", {}).get("description", "")
                or params["exceptionDetails"].get("text", "")
            )
        elif method == "Log.entryAdded" and params["entry"]["level"] == "error":
            rendered.errors.append(f"{params['entry'].get('url', '')}: {params['entry']['text']}")
    result = value.get("result", {})
    rendered.probe = json.loads(result["value"]) if result.get("type") == "string" else None
    return rendered


if __name__ == "__main__":
    outcome = render(Path(sys.argv[1]), Path(sys.argv[2]) if len(sys.argv) > 2 else Path("screenshot.png"))
    print(
        json.dumps(
            {
                "failed": outcome.failed,
                "errors": outcome.errors,
                "requested": len(outcome.requested),
                "screenshot": str(outcome.screenshot),
            },
            indent=2,
        )
    )
    raise SystemExit(1 if outcome.failed or outcome.errors else 0)
