"""The simulator server and command line: tokens, windows and paging, reload, and the CLI's generate and serve."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from simulators import PLANNED, SimulatorServer, World, generate_world, write_sources
from simulators.__main__ import main as cli_main

pytestmark = pytest.mark.unit

START = date(2026, 11, 20)
SPAN_START = datetime(2026, 11, 20)
SPAN_END = datetime(2026, 11, 21)
TOKEN = "test-token"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def server(written: tuple[Path, dict[str, Any]]) -> Any:
    with SimulatorServer(written[0], port=0, token=TOKEN) as running:
        yield running


def get(url: str, token: str | None = TOKEN) -> tuple[int, Any]:
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"} if token else {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read().decode("utf-8"))
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read().decode("utf-8"))


# -- server -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "token",
    [pytest.param(None, id="missing"), pytest.param("wrong", id="wrong"), pytest.param("", id="empty")],
)
def test_hotline_rejects_bad_token(server: SimulatorServer, token: str | None) -> None:
    status, body = get(f"{server.url}/api/v1/workorders", token=token or None)
    assert status == 401 and body["code"] == 401


def test_hotline_window_and_paging(server: SimulatorServer, world: World) -> None:
    low, high = "2026-11-20 09:00:00", "2026-11-20 15:00:00"
    expected = sorted(
        (r for r in world.rows["hotline"] if low <= r["update_time"] < high),
        key=lambda r: (r["update_time"], r["order_no"]),
    )
    query = "updated_from=2026-11-20T09:00:00%2B08:00&updated_to=2026-11-20T07:00:00Z&page_size=97"
    items, page = [], 1
    while True:
        status, body = get(f"{server.url}/api/v1/workorders?{query}&page={page}")
        assert status == 200 and body["code"] == 0 and body["data"]["total"] == len(expected)
        if not body["data"]["items"]:
            break
        items.extend(body["data"]["items"])
        page += 1
    assert items == expected and page == -(-len(expected) // 97) + 1
    status, body = get(f"{server.url}/api/v1/workorders?updated_from=yesterday")
    assert status == 400


def test_app_window_and_paging(server: SimulatorServer, world: World) -> None:
    rows = world.rows["app"]
    edge = rows[len(rows) // 2][
        "requested_datetime"
    ]  # an exact record time: included as start, excluded as end
    expected = sorted(
        (r for r in rows if r["requested_datetime"] >= edge),
        key=lambda r: (r["requested_datetime"], r["service_request_id"]),
    )
    start = urllib.parse.quote(edge)
    items, page = [], 1
    while True:
        status, body = get(
            f"{server.url}/open311/v2/requests.json?start_date={start}&end_date=2026-11-21T00:00:00%2B08:00&page={page}&page_size=150",
            token=None,
        )
        assert status == 200
        if not body:
            break
        items.extend(body)
        page += 1
    assert items == expected and items[0]["requested_datetime"] == edge
    status, before = get(f"{server.url}/open311/v2/requests.json?end_date={start}&page_size=1000", token=None)
    assert edge not in {r["requested_datetime"] for r in before} and len(before) + len(expected) == len(rows)
    status, one = get(f"{server.url}/open311/v2/requests/{rows[0]['service_request_id']}.json", token=None)
    assert status == 200 and one == [rows[0]]


def test_server_reload(tmp_path: Path) -> None:
    write_sources(generate_world(seed=1, n_records=200, start=START, days=1), tmp_path)
    with SimulatorServer(tmp_path, token=TOKEN) as running:
        before = get(f"{running.url}/api/v1/workorders")[1]["data"]["total"]
        write_sources(generate_world(seed=1, n_records=400, start=START, days=1), tmp_path)
        running.reload()
        after = get(f"{running.url}/api/v1/workorders")[1]["data"]["total"]
        assert get(f"{running.url}/nowhere")[0] == 404
    assert 0 < before < after


# -- command line -------------------------------------------------------------------------------------


def test_cli_generate(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = [
        "generate",
        "--seed",
        "3",
        "--records",
        "300",
        "--start",
        "2026-11-20",
        "--days",
        "2",
        "--out",
        str(tmp_path),
    ]
    assert cli_main(args) == 0
    summary = json.loads(capsys.readouterr().out)
    assert sum(summary["counts"][s] for s in PLANNED) == 300
    assert len(list((tmp_path / "police").glob("jq_*.csv"))) == 8


@pytest.mark.parametrize(
    "signum", [pytest.param(signal.SIGTERM, id="sigterm"), pytest.param(signal.SIGINT, id="sigint")]
)
def test_cli_serve_stops_on_signal(written: tuple[Path, dict[str, Any]], tmp_path: Path, signum: int) -> None:
    port_file = tmp_path / "url"
    env = {**os.environ, "HUB_SIM_TOKEN": TOKEN, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "simulators", "serve", "--data", str(written[0]), "--port", "0",
               "--port-file", str(port_file)]  # fmt: skip
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 15
        while not port_file.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        url = port_file.read_text(encoding="utf-8").strip()
        assert get(f"{url}/api/v1/workorders?page_size=1")[0] == 200
        process.send_signal(signum)
        out, err = process.communicate(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, err
    assert out.strip() == url


def test_serve_requires_token(written: tuple[Path, dict[str, Any]], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HUB_SIM_TOKEN", raising=False)
    with pytest.raises(ValueError):
        SimulatorServer(written[0])
    assert cli_main(["serve", "--data", str(written[0]), "--port", "0"]) == 2
