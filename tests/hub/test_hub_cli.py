"""``hub COMMAND ...`` hands over to each package's command line; its own usage errors exit 2 without a
traceback, and so do the packages' errors reached through it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from command_line import assert_usage_error, run_main

import hub.cli
from hub.cli import main, review_argv

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.unit
def test_help_lists_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run_main(main, ["--help"], capsys)
    assert status == 0
    for command in ("warehouse", "match", "alerts", "sim", "console", "review", "demo"):
        assert f"\n    {command}" in out


@pytest.mark.unit
@pytest.mark.parametrize(
    ("argv", "message"),
    [
        pytest.param([], "hub: error: the following arguments are required: COMMAND", id="no command"),
        pytest.param(["alert"], "hub: error: argument COMMAND: invalid choice: 'alert'", id="unknown command"),
        pytest.param(["--url", "sqlite://"], "hub: error:", id="option before the command"),
        pytest.param(["sim", "generate", "--days", "0"], "argument --days: must be at least 1", id="sim's own error"),
        pytest.param(["alerts", "calendar", "2027-02-10"], "calendar of 2027 is unknown", id="alerts' own error"),
        pytest.param(["match", "dedupe", "--input", "/no/such.csv", "--output", "x.csv"], "no such file: /no/such.csv",
                     id="match's own error"),
        pytest.param(["warehouse", "frobnicate"], "invalid choice: 'frobnicate'", id="warehouse's own error"),
        pytest.param(["review", "a:1", "b:2", "maybe", "--reviewer", "r"], "invalid choice: 'maybe'", id="review's error"),
    ],
)  # fmt: skip
def test_usage_errors(argv: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run_main(main, argv, capsys)
    assert_usage_error(status, err, message)


@pytest.mark.unit
@pytest.mark.parametrize(
    ("rest", "expected"),
    [
        pytest.param(["a:1", "b:2", "same"], ["review", "a:1", "b:2", "same"], id="no url"),
        pytest.param(["a:1", "--url", "U", "b:2"], ["--url", "U", "review", "a:1", "b:2"], id="url after"),
        pytest.param(["--url=U", "a:1"], ["--url=U", "review", "a:1"], id="url with equals"),
        pytest.param(["a:1", "--url"], ["--url", "review", "a:1"], id="url without value"),
        pytest.param(["-h"], ["review", "-h"], id="help"),
    ],
)
def test_review_moves_the_url_before_the_command(rest: list[str], expected: list[str]) -> None:
    assert review_argv(rest) == expected


@pytest.mark.unit
def test_sim_and_match_run_through_hub(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run_main(main, ["sim", "generate", "--records", "80", "--out", str(tmp_path)], capsys)
    assert status == 0 and err == ""
    assert (tmp_path / "manifest.json").is_file() and json.loads(out)["out"] == str(tmp_path)
    truth = pd.read_csv(tmp_path / "truth.csv", dtype=str)
    clusters = truth[["record_id", "case_key"]].rename(columns={"case_key": "cluster_id"})
    clusters.to_csv(tmp_path / "clusters.csv", index=False)  # the ground truth as a perfect clustering
    argv = [
        "match",
        "evaluate",
        "--truth",
        str(tmp_path / "truth.csv"),
        "--clusters",
        str(tmp_path / "clusters.csv"),
    ]
    status, out, err = run_main(main, argv, capsys)
    assert status == 0 and "f1        1.0000" in out, err


@pytest.mark.integration
def test_warehouse_and_review_run_through_hub(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{tmp_path / 'hub.db'}"
    status, out, err = run_main(main, ["warehouse", "--url", url, "migrate"], capsys)
    assert status == 0, err
    argv = ["review", "b:2", "a:1", "different", "--reviewer", "auditor", "--url", url]
    status, out, err = run_main(main, argv, capsys)
    assert status == 0, err
    assert json.loads(out) == {"recorded": "different", "pair": ["a:1", "b:2"]}


@pytest.mark.unit
def test_demo_hands_over_to_the_script(capfd: pytest.CaptureFixture[str]) -> None:
    assert main(["demo", "--help"]) == 0
    assert "--records" in capfd.readouterr().out


@pytest.mark.unit
def test_demo_outside_a_checkout(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(hub.cli, "DEMO", tmp_path / "scripts" / "demo.py")
    status, _, err = run_main(main, ["demo"], capsys)
    assert_usage_error(status, err, "hub: error: the demo needs the source checkout")


@pytest.mark.slow
def test_python_m_hub_exits_2_without_a_traceback() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "hub", "alerts", "calendar", "2027-02-10"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "the working-day calendar of 2027 is unknown" in result.stderr
