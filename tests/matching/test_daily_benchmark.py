"""benchmarks/match_daily.py: the pool built once, then placed a day at a time, ends with every record
in one case; its lines and its RESULT line."""

from __future__ import annotations

import dataclasses
import re
from datetime import date
from types import ModuleType

import pytest
from benchmark_scripts import load_benchmark

from matching import load_settings
from simulators import generate_world

pytestmark = pytest.mark.unit


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    return load_benchmark("match_daily.py", "match_daily")


def test_the_daily_passes_place_every_record_once_and_keep_the_built_cases(bench: ModuleType) -> None:
    world = generate_world(seed=4, n_records=1500, start=date(2026, 1, 1), days=20)
    frame = bench.canonical_frame(world.rows)
    settings = dataclasses.replace(load_settings(), workers=1)
    cases, passes = bench.place_daily(frame, 0.6, True, settings)
    assert set(cases) == set(frame["record_id"]) and passes >= 5
    # Cases the pool was built with never split: two records built into one case end in one.
    built = bench.dedupe(frame.sort_values(["reported_at", "record_id"], kind="stable").iloc[: int(len(frame) * 0.6)],
                         settings).clusters  # fmt: skip
    for _, members in built.groupby("cluster_id")["record_id"]:
        assert len({cases[r] for r in members}) == 1


def test_run_prints_a_line_per_world_and_one_result(
    bench: ModuleType, capsys: pytest.CaptureFixture[str]
) -> None:
    assert bench.main(["--records", "1500", "--worlds", "2", "--days", "20"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert [line.split()[:2] for line in lines[1:3]] == [["world", "0"], ["world", "1"]]
    assert re.fullmatch(
        r"RESULT worlds=2 min_f1=[01]\.\d{4} median_f1=[01]\.\d{4} min_precision=[01]\.\d{4} "
        r"max_f1_gap=-?[01]\.\d{4} median_f1_gap=-?[01]\.\d{4}",
        lines[-1],
    )
    assert sum(line.startswith("RESULT") for line in lines) == 1
