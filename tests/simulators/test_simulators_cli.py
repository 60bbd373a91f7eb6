"""``python -m simulators``: every usage error is one message on stderr and exit status 2, never a traceback;
``generate`` shows its stages on stderr only when asked (tests' stderr is not a terminal)."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from command_line import assert_usage_error, run_main

from simulators.__main__ import main

pytestmark = pytest.mark.unit


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "a_file").write_text("", encoding="utf-8")
    (tmp_path / "plan.json").write_text("{not json", encoding="utf-8")
    monkeypatch.setenv("HUB_SIM_TOKEN", "test-token")
    return tmp_path


@pytest.fixture
def taken_port() -> Iterator[int]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        yield int(sock.getsockname()[1])


SERVE = ["serve", "--data", "{dir}", "--port", "0"]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        pytest.param([], "required: command", id="no command"),
        pytest.param(["gen"], "invalid choice: 'gen'", id="unknown command"),
        pytest.param(["generate", "--records", "-1"], "argument --records: must be at least 0: -1", id="negative records"),
        pytest.param(["generate", "--records", "many"], "argument --records: not a whole number: 'many'", id="records not a number"),
        pytest.param(["generate", "--days", "0"], "argument --days: must be at least 1: 0", id="no days"),
        pytest.param(["generate", "--start", "2026-02-30"], "argument --start: not a day (YYYY-MM-DD)", id="bad start"),
        pytest.param(["generate", "--out", "{dir}/a_file"], "--out {dir}/a_file is a file, not a folder", id="out is a file"),
        pytest.param(["serve", "--data", "{dir}/missing"], "--data {dir}/missing is not a folder", id="missing data"),
        pytest.param(["serve", "--port", "70000"], "argument --port: not a TCP port: 70000", id="port out of range"),
        pytest.param([*SERVE, "--faults", "{dir}/none.json"], "--faults: cannot read the fault plan", id="missing fault plan"),
        pytest.param([*SERVE, "--faults", "{dir}/plan.json"], "--faults: cannot read the fault plan", id="fault plan not JSON"),
        pytest.param([*SERVE, "--faults", '[{{"fault": "fire"}}]'], "--faults: unknown fault 'fire'", id="unknown fault"),
    ],
)  # fmt: skip
def test_usage_errors(
    folder: Path, argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = run_main(main, [arg.format(dir=folder) for arg in argv], capsys)
    assert_usage_error(status, err, message.format(dir=folder))
    assert out == ""


def test_serve_without_a_token(
    folder: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("HUB_SIM_TOKEN")
    status, _, err = run_main(main, ["serve", "--data", str(folder)], capsys)
    assert_usage_error(status, err, "HUB_SIM_TOKEN must be set")


def test_serve_on_a_taken_port(folder: Path, taken_port: int, capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run_main(main, ["serve", "--data", str(folder), "--port", str(taken_port)], capsys)
    assert_usage_error(status, err, f"cannot serve {folder} on 127.0.0.1:{taken_port}")


@pytest.mark.parametrize(
    ("flag", "shown"),
    [
        pytest.param([], False, id="not a terminal"),
        pytest.param(["--progress"], True, id="forced"),
        pytest.param(["--no-progress"], False, id="silenced"),
    ],
)
def test_generate_shows_progress_only_when_asked(
    tmp_path: Path, flag: list[str], shown: bool, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["generate", "--records", "60", "--out", str(tmp_path), *flag]
    status, out, err = run_main(main, argv, capsys)
    assert status == 0 and json.loads(out)["out"] == str(tmp_path)
    assert ("generating 60 records over 1 day(s)" in err) is shown
    assert err == "" or shown
