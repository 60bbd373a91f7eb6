"""benchmarks/match.py: the world simulated in a child process, and the RESULT line."""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import date
from pathlib import Path
from types import ModuleType

import pytest
from benchmark_scripts import load_benchmark

from simulators import generate_world

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    return load_benchmark("match.py", "match_benchmark")


def test_child_process_gives_the_records_an_in_process_simulation_gives(bench: ModuleType) -> None:
    frame, truth = bench.simulated_records(seed=5, records=1200, days=30)

    world = generate_world(seed=5, n_records=1200, start=date(2026, 1, 1), days=30)
    expected = bench.canonical_frame(world.rows)
    assert frame.equals(expected)
    assert truth == {row.record_id: row.case_key for row in world.truth}
    assert set(frame["record_id"]) <= set(truth)


def test_run_ends_with_one_result_line() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "match.py"), "--records", "2000", "--incremental", "200"],
        capture_output=True, text=True, timeout=300, check=True,
    )  # fmt: skip
    lines = done.stdout.strip().splitlines()
    assert "in its own process, peak" in lines[0]
    result = re.fullmatch(
        r"RESULT records=(\d+) seconds=([\d.]+) incremental_seconds=([\d.]+) peak_rss_mb=(\d+) f1=([\d.]+)",
        lines[-1],
    )
    assert result is not None, lines[-1]
    assert int(result.group(1)) > 2000 - 200
    assert float(result.group(5)) > 0.95
