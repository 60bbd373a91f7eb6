"""benchmarks/match_long_fields.py: every hostile value standardised in every column, a line each, one RESULT."""

from __future__ import annotations

import re

import pytest
from benchmark_scripts import load_benchmark

pytestmark = pytest.mark.unit


def test_every_value_fills_every_matched_column_at_the_length_asked() -> None:
    bench = load_benchmark("match_long_fields.py", "match_long_fields")
    frame = bench.hostile_frame("一二三", 1000)
    for column in bench.COLUMNS:
        assert frame[column].str.len().eq(1000).all()
    assert frame["record_id"].is_unique


def test_run_prints_a_line_per_value_and_one_result(capsys: pytest.CaptureFixture[str]) -> None:
    bench = load_benchmark("match_long_fields.py", "match_long_fields")
    assert bench.main(["--length", "2000"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == len(bench.PIECES) + 1
    assert re.fullmatch(
        r"RESULT length=2000 values=\d+ max_seconds=[\d.]+ worst=.+ peak_rss_mb=\d+", lines[-1]
    )
