"""Secrets come from the connection and go nowhere else: not into logs (at any level), exceptions or reprs."""

from __future__ import annotations

import json
import logging
import traceback
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hub_fixtures import DAY

from connectors import _http
from connectors.app import AppConnector
from connectors.hotline import HotlineConnector
from connectors.petition import PetitionConnector
from simulators import SimulatorServer, generate_world, write_sources

pytestmark = pytest.mark.integration

TOKEN = "tok-3f9c2a7e-never-logged"
API_KEY = "key-81b4d0c6-never-logged"
FAULTS = [{"fault": "500", "endpoint": e, "at": 2} for e in ("hotline", "app")] + [
    {"fault": "malformed", "endpoint": e, "at": 3} for e in ("hotline", "app")
]


class _Conn:
    """An Airflow connection as ``Connection.get`` returns it (secrets in password / extra)."""

    def __init__(self, url: str, password: str | None = None, extra: dict[str, Any] | None = None) -> None:
        self.conn_type: str | None = "http"
        self.host: str | None = None
        self.port: int | None = None
        self.login: str | None = None
        self.schema: str | None = None
        self.password = password
        self.extra_dejson = {"base_url": url, "page_size": 50, **(extra or {})}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SimulatorServer]:
    out = tmp_path_factory.mktemp("cred-sources")
    write_sources(generate_world(seed=2, n_records=300, start=DAY.start.date(), days=1), out)
    with SimulatorServer(out, token=TOKEN, api_key=API_KEY) as running:
        yield running


@pytest.fixture
def everything_logged(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> pytest.LogCaptureFixture:
    monkeypatch.setattr(_http, "BASE_BACKOFF_S", 0.01)
    caplog.set_level(logging.DEBUG)  # urllib3 writes every request line at DEBUG
    return caplog


def _leaks(caplog: pytest.LogCaptureFixture, *texts: str) -> list[str]:
    lines = [record.getMessage() for record in caplog.records]
    return [line for line in lines if any(secret in line for secret in (TOKEN, API_KEY))] + [
        text for text in texts if TOKEN in text or API_KEY in text
    ]


def _plan(server: SimulatorServer, plan: list[dict[str, Any]]) -> None:
    server.reload()
    server.faults.set(plan)


def test_nothing_secret_in_logs_while_faults_are_retried(
    server: SimulatorServer, everything_logged: pytest.LogCaptureFixture
) -> None:
    _plan(server, FAULTS)
    hotline = HotlineConnector.from_connection(_Conn(server.url, password=TOKEN))
    app = AppConnector.from_connection(_Conn(server.url, extra={"api_key": API_KEY}))
    assert list(hotline.fetch_raw(DAY)) and list(app.fetch_raw(DAY))
    assert any("failed (HTTP 500)" in r.getMessage() for r in everything_logged.records)
    assert any("GET /open311" in r.getMessage() for r in everything_logged.records)  # urllib3's DEBUG lines
    assert (
        _leaks(everything_logged, repr(hotline), repr(app), str(vars(server.faults)), server.faults.as_json())
        == []
    )


@pytest.mark.parametrize("endpoint", ["hotline", "app"])
def test_nothing_secret_in_the_exception_when_a_page_keeps_failing(
    server: SimulatorServer, everything_logged: pytest.LogCaptureFixture, endpoint: str
) -> None:
    _plan(server, [{"fault": "500", "endpoint": endpoint, "at": 1, "times": _http.MAX_ATTEMPTS}])
    connector = (
        HotlineConnector.from_connection(_Conn(server.url, password=TOKEN))
        if endpoint == "hotline"
        else AppConnector.from_connection(_Conn(server.url, extra={"api_key": API_KEY}))
    )
    with pytest.raises(_http.SourceUnavailable) as info:
        list(connector.fetch_raw(DAY))
    text = "".join(traceback.format_exception(info.value))
    assert _leaks(everything_logged, text) == []


def test_a_refused_connection_does_not_repeat_the_key(everything_logged: pytest.LogCaptureFixture) -> None:
    connector = AppConnector("http://127.0.0.1:9", api_key=API_KEY, timeout=0.2)  # nothing listens on port 9
    with pytest.raises(_http.SourceUnavailable) as info:
        list(connector.fetch_raw(DAY))
    assert _leaks(everything_logged, "".join(traceback.format_exception(info.value))) == []


def test_a_wrong_token_is_refused_without_echoing_it(server: SimulatorServer) -> None:
    _plan(server, [])
    with pytest.raises(_http.SourceUnavailable, match="401") as info:
        list(HotlineConnector(server.url, TOKEN + "-wrong").fetch_raw(DAY))
    assert TOKEN not in "".join(traceback.format_exception(info.value))


def test_the_petition_password_stays_out_of_reprs_and_errors(tmp_path: Path) -> None:
    import sqlalchemy as sa

    connector = PetitionConnector(f"postgresql://hub:{TOKEN}@127.0.0.1:9/xf")
    assert TOKEN not in repr(connector)
    with pytest.raises(sa.exc.OperationalError) as info:
        list(connector.fetch_raw(DAY))
    assert TOKEN not in "".join(traceback.format_exception(info.value))


def test_the_embedded_runner_passes_secrets_only_as_connections(tmp_path: Path) -> None:
    from embedded import Embedded, airflow_env

    env = airflow_env(Embedded(tmp_path, f"sqlite:///{tmp_path / 'hub.db'}"), "http://127.0.0.1:1", TOKEN)
    holding = sorted(k for k, v in env.items() if TOKEN in v and k.startswith("AIRFLOW_CONN_"))
    assert holding == ["AIRFLOW_CONN_COMPLAINTS_HOTLINE"]
    assert json.loads(env["AIRFLOW_CONN_COMPLAINTS_NETIZEN"])["extra"]["path"].endswith("netizen")
