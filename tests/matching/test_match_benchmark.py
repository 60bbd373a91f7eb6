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

from matching import load_settings
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


def test_the_fetch_reads_what_a_nearest_rule_can_pair_as_the_warehouse_does(bench: ModuleType) -> None:
    # Eight stored wage claims of one sum a day apart, one more reported after the new claim (a late
    # report), and the new claim: the sum rule (5 nearest, 90 days) can pair it with the 5 latest before
    # it and the later one reaches back to it; the three oldest are not read (pool_candidates does the same).
    from .conftest import frame, record

    settings = load_settings()
    existing = frame(record(f"hotline:{i}", content="来电人反映被拖欠工资20000元",
                            reported_at=f"2026-03-{1 + i:02d} 10:00:00+08:00") for i in [*range(8), 20])  # fmt: skip
    batch = frame([record("app:new", content="拖欠我工资2万元", reported_at="2026-03-15 10:00:00+08:00")])
    fetched, _ = bench.fetch_candidates(existing, batch, settings)
    assert sorted(fetched["record_id"]) == [f"hotline:{i}" for i in (20, 3, 4, 5, 6, 7)]
