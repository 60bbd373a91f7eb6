"""Log in to a running Superset in headless Chromium, open a dashboard, and report what every chart got.

Used by the dashboards test and runnable by hand (`python scripts/superset_browser.py
http://127.0.0.1:8088 command-centre shot.png`). The browser reaches only the loopback address (every
other host resolves to "not found", as on a closed network), logs in through Superset's own form, and
records each chart-data answer the dashboard's charts receive: HTTP status, row count, error.
"""

from __future__ import annotations

import base64
import json
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from headless import FLAGS, _Pipe, chromium

LOOPBACK_ONLY = (
    *(flag for flag in FLAGS if not flag.startswith(("--host-resolver-rules", "--window-size"))),
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
    "--window-size=1600,1200",
)
CHART_DATA = "/api/v1/chart/data"
WIDTH = 1600
# In the page: chart tiles on the grid, those still loading, and those showing an error.
PROBE = """JSON.stringify({
  tiles: document.querySelectorAll('[data-test="chart-grid-component"]').length,
  loading: document.querySelectorAll('[data-test="chart-grid-component"] [aria-label="Loading"]').length,
  errors: [...document.querySelectorAll('[data-test="chart-grid-component"]')]
    .filter(t => t.querySelector('.ant-alert-error, [data-test="error-tooltip"], [role="alert"]'))
    .map(t => t.innerText.slice(0, 200)),
  title: document.title,
})"""


@dataclass
class ChartAnswer:
    """One chart-data answer: the chart (slice id), HTTP status, rows per query, errors per query."""

    slice_id: int | None
    status: int
    rowcounts: list[int] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


@dataclass
class DashboardView:
    """What the dashboard showed: chart tiles, tiles with an error, every chart-data answer, failed loads."""

    tiles: int = 0
    error_tiles: list[str] = field(default_factory=list)
    answers: list[ChartAnswer] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    title: str = ""
    screenshot: Path | None = None
    reloads: int = 0


def _evaluate(pipe: _Pipe, session: str, expression: str) -> Any:
    value = pipe.call("Runtime.evaluate", session, expression=expression, returnByValue=True)
    return value.get("result", {}).get("value")


def _wait(pipe: _Pipe, session: str, expression: str, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not _evaluate(pipe, session, expression):
        if time.monotonic() > deadline:
            raise RuntimeError(f"timed out after {timeout:.0f}s waiting for {what}")
        pipe.drain(0.5)


def _log_in(pipe: _Pipe, session: str, base: str, user: str, password: str, timeout: float) -> None:
    pipe.call("Page.navigate", session, url=f"{base}/login/")
    _wait(pipe, session, "!!document.getElementById('password')", 60, "the login form")
    for field_id, text in (("username", user), ("password", password)):
        _evaluate(pipe, session, f"document.getElementById('{field_id}').focus()")
        pipe.call("Input.insertText", session, text=text)  # typed, so the form's own handlers see it
    _evaluate(pipe, session, "document.querySelector('button[type=submit]').click()")
    _wait(pipe, session, "!location.pathname.startsWith('/login')", timeout, "the login to complete")


def _answers(pipe: _Pipe, session: str) -> list[ChartAnswer]:
    requests = {
        e["params"]["requestId"]: e["params"]["request"]
        for e in pipe.events
        if e.get("method") == "Network.requestWillBeSent" and CHART_DATA in e["params"]["request"]["url"]
    }
    statuses = {
        e["params"]["requestId"]: e["params"]["response"]["status"]
        for e in pipe.events
        if e.get("method") == "Network.responseReceived" and e["params"]["requestId"] in requests
    }
    answers = []
    for request_id, request in requests.items():
        body = pipe.call("Network.getResponseBody", session, requestId=request_id)["body"]
        payload = json.loads(body) if body else {}
        form = json.loads(request.get("postData") or "{}").get("form_data", {})
        results = payload.get("result", [])
        answers.append(
            ChartAnswer(
                slice_id=form.get("slice_id"),
                status=int(statuses.get(request_id, 0)),
                rowcounts=[int(r.get("rowcount") or 0) for r in results],
                errors=[str(r["error"]) for r in results if r.get("error")]
                + ([str(payload["message"])] if "message" in payload else []),
            )
        )
    return answers


def open_dashboard(
    base: str,
    slug: str,
    screenshot: Path,
    *,
    user: str = "admin",
    password: str = "admin",
    height: int = 2400,
    timeout: float = 180,
) -> DashboardView:
    """Log in at ``base``, open the dashboard ``slug``, wait for every chart, and capture the page.

    Raises:
        RuntimeError: if Chromium is missing, the login or the dashboard does not finish in ``timeout``.
    """
    binary = chromium()
    if binary is None:
        raise RuntimeError("Chromium is not installed (apt-get install -y chromium)")
    reloads = 0
    with tempfile.TemporaryDirectory() as profile:
        pipe = _Pipe(binary, profile, LOOPBACK_ONLY)
        try:
            target = pipe.call("Target.createTarget", url="about:blank")["targetId"]
            session = pipe.call("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
            for domain in ("Page", "Network", "Runtime"):
                pipe.call(f"{domain}.enable", session)
            _log_in(pipe, session, base, user, password, min(timeout, 60))
            # One tall viewport: the dashboard scrolls inside its own container, which a full-page
            # capture beyond the viewport would leave blank.
            pipe.call(
                "Emulation.setDeviceMetricsOverride",
                session,
                width=WIDTH,
                height=height,
                deviceScaleFactor=1,
                mobile=False,
            )
            pipe.events.clear()
            pipe.call("Page.navigate", session, url=f"{base}/superset/dashboard/{slug}/?standalone=1")
            done = f"(p => p.tiles > 0 && p.loading === 0)(JSON.parse({PROBE}))"
            try:
                _wait(pipe, session, done, timeout / 2, f"dashboard {slug} to render")
            except RuntimeError:
                # Seen once in ~20 loads here: a tile kept its spinner. Reload once, as a user would, and
                # say so; a second stall fails with what the page showed.
                reloads += 1
                stalled = _evaluate(pipe, session, PROBE)
                pipe.events.clear()
                pipe.call("Page.reload", session, ignoreCache=True)
                try:
                    _wait(pipe, session, done, timeout / 2, f"dashboard {slug} to render")
                except RuntimeError as exc:
                    raise RuntimeError(
                        f"{exc}; the page showed {stalled}, then {_evaluate(pipe, session, PROBE)}"
                    ) from exc
            pipe.drain(3.0)  # the charts draw after their data arrives (animations)
            state = json.loads(_evaluate(pipe, session, PROBE))
            answers = _answers(pipe, session)
            shot = pipe.call("Page.captureScreenshot", session, format="png")
        finally:
            pipe.close()
    urls = {
        e["params"]["requestId"]: e["params"]["request"]["url"]
        for e in pipe.events
        if e.get("method") == "Network.requestWillBeSent"
    }
    failed = {
        urls.get(e["params"]["requestId"], e["params"]["requestId"]): e["params"].get("errorText", "")
        for e in pipe.events
        if e.get("method") == "Network.loadingFailed" and not e["params"].get("canceled")
    }
    screenshot.parent.mkdir(parents=True, exist_ok=True)
    screenshot.write_bytes(base64.b64decode(shot["data"]))
    return DashboardView(
        tiles=int(state["tiles"]),
        error_tiles=list(state["errors"]),
        answers=answers,
        failed=failed,
        title=str(state["title"]),
        screenshot=screenshot,
        reloads=reloads,
    )


if __name__ == "__main__":
    view = open_dashboard(
        sys.argv[1], sys.argv[2], Path(sys.argv[3] if len(sys.argv) > 3 else "dashboard.png")
    )
    print(json.dumps({**view.__dict__, "answers": [a.__dict__ for a in view.answers]}, default=str, indent=2))
