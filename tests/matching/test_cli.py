"""``python -m matching dedupe`` and ``evaluate`` on CSV files."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from matching.__main__ import main

from .conftest import frame, record, wage_case


@pytest.mark.unit
def test_dedupe_then_evaluate(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rows = frame(wage_case() + [record("hotline:X", name="李娜", phone="13912345678", category="其他")])
    rows.to_csv(tmp_path / "in.csv", index=False, encoding="utf-8")
    assert main(["dedupe", "--input", str(tmp_path / "in.csv"), "--output", str(tmp_path / "out.csv")]) == 0
    out = pd.read_csv(tmp_path / "out.csv", dtype=str)
    assert list(out.columns) == ["record_id", "cluster_id"]
    assert set(out["record_id"]) == set(rows["record_id"])
    assert out["cluster_id"].nunique() == 2
    truth = pd.DataFrame({"record_id": rows["record_id"], "case_key": ["C1"] * 4 + ["C2"], "group_key": ""})
    truth.to_csv(tmp_path / "truth.csv", index=False)
    capsys.readouterr()
    assert (
        main(["evaluate", "--truth", str(tmp_path / "truth.csv"), "--clusters", str(tmp_path / "out.csv")])
        == 0
    )
    printed = capsys.readouterr().out
    assert "precision 1.0000" in printed and "f1        1.0000" in printed


@pytest.mark.unit
def test_a_reader_that_leaves_early_ends_the_command_quietly(tmp_path: Path) -> None:
    # evaluate | head -1: the reader closes the pipe; the command stops with a shell's SIGPIPE status and
    # no traceback on the terminal.
    pd.DataFrame({"record_id": ["a:1", "a:2"], "entity_id": ["E1", "E1"]}).to_csv(
        tmp_path / "t.csv", index=False
    )
    pd.DataFrame({"record_id": ["a:1", "a:2"], "cluster_id": ["C1", "C1"]}).to_csv(
        tmp_path / "c.csv", index=False
    )
    command = [sys.executable, "-m", "matching", "evaluate", "--truth", str(tmp_path / "t.csv"),
               "--clusters", str(tmp_path / "c.csv")]  # fmt: skip
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()  # before the command writes anything (it takes a second to start)
    errors = process.stderr.read().decode()
    assert process.wait(timeout=120) == 141
    assert "Traceback" not in errors and "BrokenPipeError" not in errors


@pytest.mark.unit
def test_missing_columns_are_named(tmp_path: Path) -> None:
    pd.DataFrame({"record_id": ["a:1"], "name": ["张伟"]}).to_csv(tmp_path / "in.csv", index=False)
    with pytest.raises(SystemExit, match="missing column"):
        main(["dedupe", "--input", str(tmp_path / "in.csv"), "--output", str(tmp_path / "out.csv")])
