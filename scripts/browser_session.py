"""Drive headless Chromium through pages of a local web application: navigate, fill, click, read, screenshot.

``headless.render`` loads one static page; the console's end-to-end test and its documentation
screenshots need a session that logs in and follows forms. Same Chromium, same flags (network blocked;
a loopback address is still reached directly), same DevTools pipe.
"""

from __future__ import annotations

import base64
import json
import tempfile
import time
from pathlib import Path
from types import TracebackType
from typing import Any

from headless import FLAGS, _Pipe, chromium

# Still no network, but the application under test on the loopback address is reached directly.
LOOPBACK_FLAGS = tuple(f for f in FLAGS if not f.startswith(("--host-resolver-rules", "--proxy-server"))) + (
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
    "--proxy-server=http://127.0.0.1:9",
    "--proxy-bypass-list=127.0.0.1",
)


class BrowserSession:
    """One headless Chromium tab (a context manager: the browser stops on exit)."""

    def __init__(self) -> None:
        binary = chromium()
        if binary is None:
            raise RuntimeError("Chromium is not installed (apt-get install -y chromium)")
        self._profile = tempfile.TemporaryDirectory()
        self._pipe = _Pipe(binary, self._profile.name, LOOPBACK_FLAGS)
        target = self._pipe.call("Target.createTarget", url="about:blank")["targetId"]
        self._session = self._pipe.call("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        for domain in ("Page", "Runtime"):
            self._pipe.call(f"{domain}.enable", self._session)

    def __enter__(self) -> BrowserSession:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._pipe.close()
        self._profile.cleanup()

    def goto(self, url: str) -> str:
        """Load ``url`` (following redirects); returns the address the tab ends on."""
        self._pipe.events.clear()
        self._pipe.call("Page.navigate", self._session, url=url)
        self._loaded()
        return str(self.evaluate("location.href"))

    def evaluate(self, expression: str) -> Any:
        """The JSON value of a JavaScript expression evaluated in the page."""
        reply = self._pipe.call(
            "Runtime.evaluate", self._session, expression=f"JSON.stringify({expression})", returnByValue=True
        )
        result = reply.get("result", {})
        if "exceptionDetails" in reply:
            raise RuntimeError(f"{expression}: {reply['exceptionDetails'].get('text')}")
        return json.loads(result["value"]) if result.get("type") == "string" else None

    def fill(self, selector: str, value: str) -> None:
        """Type ``value`` into the first element matching ``selector``."""
        self.evaluate(f"document.querySelector({json.dumps(selector)}).value = {json.dumps(value)}")

    def tick(self, selector: str) -> None:
        """Tick the checkbox matching ``selector``."""
        self.evaluate(f"document.querySelector({json.dumps(selector)}).checked = true")

    def click_and_wait(self, selector: str) -> str:
        """Click what ``selector`` matches (a submit button) and wait for the next page; returns its address."""
        self._pipe.events.clear()
        self.evaluate(f"document.querySelector({json.dumps(selector)}).click()")
        self._loaded()
        return str(self.evaluate("location.href"))

    def text(self, selector: str = "body") -> str:
        """The visible text of the first element matching ``selector`` ('' when none)."""
        found = self.evaluate(f"(document.querySelector({json.dumps(selector)}) || {{}}).innerText || ''")
        return str(found)

    def screenshot(self, path: Path, height: int = 1400) -> Path:
        """A PNG of the page's top ``height`` pixels (the whole width)."""
        metrics = self._pipe.call("Page.getLayoutMetrics", self._session)["cssContentSize"]
        shot = self._pipe.call(
            "Page.captureScreenshot",
            self._session,
            format="png",
            captureBeyondViewport=True,
            clip={
                "x": 0,
                "y": 0,
                "width": metrics["width"],
                "height": min(metrics["height"], height),
                "scale": 1,
            },
        )
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(shot["data"]))
        return path

    def _loaded(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while not any(e.get("method") == "Page.loadEventFired" for e in self._pipe.events):
            if time.monotonic() > deadline:
                raise RuntimeError("the page did not finish loading")
            self._pipe.drain(0.1)
