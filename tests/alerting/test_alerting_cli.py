"""``python -m alerting``: every usage error is one line on stderr and exit status 2, never a traceback."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from command_line import assert_usage_error, run_main

from alerting.__main__ import main

ROOT = Path(__file__).resolve().parents[2]
AS_OF = "2026-11-21T00:00+08:00"


@pytest.mark.unit
def test_calendar_answers_known_days(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run_main(main, ["calendar", "2026-10-01", "2026-10-09"], capsys)
    assert status == 0 and err == ""
    assert out.splitlines() == ["2026-10-01 Thu day off", "2026-10-09 Fri workday"]


@pytest.mark.unit
@pytest.mark.parametrize(
    ("argv", "message"),
    [
        pytest.param([], "required: command", id="no command"),
        pytest.param(["alert"], "invalid choice: 'alert'", id="unknown command"),
        pytest.param(["calendar"], "required: DAY", id="calendar without a day"),
        pytest.param(["calendar", "2026-13-01"], "not a day (YYYY-MM-DD): '2026-13-01'", id="bad day"),
        pytest.param(["calendar", "2027-02-10"], "the working-day calendar of 2027 is unknown", id="unknown year"),
        pytest.param(["bulletin"], "required: --day", id="bulletin without a day"),
        pytest.param(["run", "--as-of", "2026-11-21"], "needs a UTC offset", id="naive as-of"),
        pytest.param(["run", "--as-of", "yesterday"], "not an ISO 8601 time: 'yesterday'", id="bad as-of"),
        pytest.param(["--url", "nonsense", "run", "--as-of", AS_OF], "not a database URL", id="bad url"),
        pytest.param(
            ["--url", "postgresql://hub@127.0.0.1:1/hub", "bulletin", "--day", "2026-11-20"],
            "cannot open the warehouse at postgresql+psycopg2://hub@127.0.0.1:1/hub",
            id="unreachable server",
        ),
    ],
)  # fmt: skip
def test_usage_errors(argv: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run_main(main, argv, capsys)
    assert_usage_error(status, err, message)
    assert len(err.strip().splitlines()) <= 2  # argparse's usage line, then the message


@pytest.mark.unit
def test_a_missing_warehouse_file_is_refused_not_created(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "elsewhere" / "hub.db"
    status, _, err = run_main(main, ["--url", f"sqlite:///{path}", "run", "--as-of", AS_OF], capsys)
    assert_usage_error(status, err, f"no warehouse at {path}")
    assert not path.exists()


@pytest.mark.unit
def test_a_warehouse_never_migrated_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "hub.db"
    sqlite3.connect(path).close()
    status, _, err = run_main(main, ["--url", f"sqlite:///{path}", "bulletin", "--day", "2026-11-20"], capsys)
    assert_usage_error(status, err, "has no schema yet: run `hub warehouse migrate`")


@pytest.mark.integration
def test_run_and_bulletin_on_a_migrated_warehouse(
    migrated_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = run_main(main, ["--url", migrated_url, "run", "--as-of", AS_OF], capsys)
    assert status == 0, err
    assert json.loads(out)["as_of"] == "2026-11-21T00:00:00+08:00"
    argv = ["--url", migrated_url, "bulletin", "--day", "2026-11-20", "--out", str(tmp_path)]
    status, out, err = run_main(main, argv, capsys)
    assert status == 0, err
    assert Path(json.loads(out)["daily"]).is_file()


@pytest.mark.slow
def test_the_process_exits_2_without_a_traceback() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "alerting", "calendar", "2027-02-10"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("python -m alerting: error: the working-day calendar of 2027 is unknown")
    assert len(result.stderr.strip().splitlines()) == 1
