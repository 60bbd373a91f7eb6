"""Superset 6.1 serves the command-centre dashboard over a demo-like warehouse: in headless Chromium a user
logs in, opens it, and every chart gets rows and draws without an error tile (the auditors' too).

Builds Superset's own venv (var/superset-venv, kept across runs) when it is missing or stale.
"""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from embedded import Embedded
from offline_browser import require_chromium
from superset_browser import DashboardView, open_dashboard
from superset_venv import ensure_venv

from dashboards.auditor import AUDITOR_DASHBOARD
from dashboards.command_centre import COMMAND_CENTRE

pytestmark = [pytest.mark.integration, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "dashboards" / "deploy.py"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def superset(demo_run: Embedded, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """Superset set up on the demo run's warehouse and serving on a free port: ``(base URL, admin password)``."""
    require_chromium()
    python = ensure_venv(ROOT / "var" / "superset-venv")
    home = tmp_path_factory.mktemp("superset")
    password = secrets.token_urlsafe(12)
    env = {**os.environ, "SUPERSET_ADMIN_PASSWORD": password}
    setup = subprocess.run(
        [str(python), str(DEPLOY), "setup", "--home", str(home), "--warehouse-url", demo_run.database_url],
        env=env,
        capture_output=True,
        text=True,
    )
    assert setup.returncode == 0, setup.stdout + setup.stderr
    port = _free_port()
    log = (home / "serve.log").open("w")
    server = subprocess.Popen(
        [str(python), str(DEPLOY), "serve", "--home", str(home), "--port", str(port), "--workers", "2"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180
        while True:
            try:
                with urllib.request.urlopen(f"{base}/health", timeout=5) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                pass
            assert server.poll() is None, (home / "serve.log").read_text()
            assert time.monotonic() < deadline, "Superset did not answer /health within 180 s"
            time.sleep(1)
        yield base, password
    finally:
        server.send_signal(signal.SIGTERM)  # gunicorn's master stops its workers on TERM
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=10)
        log.close()


def _check(view: DashboardView, base: str, charts: int, *, rows: bool) -> None:
    assert view.error_tiles == [], view.error_tiles
    assert view.tiles == charts
    # Every request to Superset succeeded; anything else fails as it would on a closed network, and the
    # dashboard must render all the same.
    assert {url: e for url, e in view.failed.items() if url.startswith(base)} == {}, view.failed
    answered = {a.slice_id: a for a in view.answers}
    assert len(answered) == charts, list(answered)
    for answer in answered.values():
        assert answer.status == 200 and answer.errors == [], answer
        if rows:
            assert answer.rowcounts and all(n > 0 for n in answer.rowcounts), answer


def test_the_command_centre_renders_every_chart_with_data(superset: tuple[str, str], tmp_path: Path) -> None:
    base, password = superset
    view = open_dashboard(base, COMMAND_CENTRE.slug, tmp_path / "command-centre.png", password=password)
    assert view.title == COMMAND_CENTRE.title
    _check(view, base, len(COMMAND_CENTRE.charts), rows=True)
    assert view.screenshot is not None and view.screenshot.stat().st_size > 50_000


def test_the_auditors_dashboard_renders_without_errors(superset: tuple[str, str], tmp_path: Path) -> None:
    base, password = superset
    view = open_dashboard(base, AUDITOR_DASHBOARD.slug, tmp_path / "auditor.png", password=password)
    # A demo run holds no batch, so the held-batches table may be empty; every other chart has rows.
    _check(view, base, len(AUDITOR_DASHBOARD.charts), rows=False)
    assert (
        sum(1 for a in view.answers if a.rowcounts and a.rowcounts[0] > 0)
        >= len(AUDITOR_DASHBOARD.charts) - 1
    )


def test_a_wrong_password_does_not_open_the_dashboard(superset: tuple[str, str], tmp_path: Path) -> None:
    base, _ = superset
    with pytest.raises(RuntimeError, match="login"):
        open_dashboard(base, COMMAND_CENTRE.slug, tmp_path / "x.png", password="wrong", timeout=20)
