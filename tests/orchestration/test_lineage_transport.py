"""Where the embedded runs send OpenLineage events: files under var/lineage, or an OpenLineage backend's
HTTP API when HUB_OPENLINEAGE_URL names one (a local server stands in for Marquez)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from embedded import Embedded, openlineage_env
from openlineage.client import OpenLineageClient
from openlineage.client.event_v2 import Job, Run, RunEvent, RunState
from openlineage.client.transport import get_default_factory

pytestmark = pytest.mark.integration


@pytest.fixture
def backend() -> Iterator[tuple[str, list[tuple[str, dict[str, Any]]]]]:
    """A local HTTP server recording every POST (path, JSON body), as an OpenLineage backend would receive it."""
    received: list[tuple[str, dict[str, Any]]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802  (http.server's name)
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.append((self.path, json.loads(body)))
            self.send_response(201)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", received
    finally:
        server.shutdown()
        server.server_close()


def _emit(env: dict[str, str]) -> None:
    transport = get_default_factory().create(json.loads(env["AIRFLOW__OPENLINEAGE__TRANSPORT"]))
    event = RunEvent(
        eventType=RunState.COMPLETE,
        eventTime=datetime(2026, 11, 21, tzinfo=UTC).isoformat(),
        run=Run(runId="01936f3a-0000-7000-8000-000000000001"),
        job=Job(namespace=env["AIRFLOW__OPENLINEAGE__NAMESPACE"], name="complaint_hub.validate"),
        producer="tests",
    )
    OpenLineageClient(transport=transport).emit(event)


def test_embedded_runs_write_one_file_per_event(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HUB_OPENLINEAGE_URL", raising=False)
    monkeypatch.delenv("AIRFLOW__OPENLINEAGE__TRANSPORT", raising=False)
    env = openlineage_env(Embedded(tmp_path, f"sqlite:///{tmp_path / 'hub.db'}"))
    assert env["AIRFLOW__OPENLINEAGE__EXTRACTORS"] == "orchestration.lineage.HubTaskExtractor"
    _emit(env)
    (written,) = (tmp_path / "lineage").glob("ol-*.json")
    assert json.loads(written.read_text(encoding="utf-8"))["job"]["name"] == "complaint_hub.validate"


def test_an_openlineage_backend_receives_the_events_over_http(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, backend: tuple[str, list[tuple[str, dict[str, Any]]]]
) -> None:
    url, received = backend
    monkeypatch.setenv("HUB_OPENLINEAGE_URL", url)
    monkeypatch.delenv("AIRFLOW__OPENLINEAGE__TRANSPORT", raising=False)
    env = openlineage_env(Embedded(tmp_path, f"sqlite:///{tmp_path / 'hub.db'}"))
    _emit(env)
    assert [(path, body["job"]["name"]) for path, body in received] == [
        ("/api/v1/lineage", "complaint_hub.validate")
    ]
    assert not (tmp_path / "lineage").exists()  # nothing written to files meanwhile
