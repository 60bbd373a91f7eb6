"""Benchmark the matcher's standardisers on long, hostile field values: a pasted run that is no value.

    python benchmarks/match_long_fields.py --length 20000

A real description is long (a petition letter: thousands of characters) and is read in time linear in its
length. A value built to be no value (十十十..., a typed 'aaaa...' name, 3号楼3号楼...) is where a pattern that
tries again from each character turns quadratic: before this benchmark, a 50,000-character name took
minutes and 10 GB, and 20,000 numerals in a description 13 s. Each value below fills every matched column of
a few records (name, phone, id, address, district, category, description), and those records are
standardised with the packaged settings, one value at a time.

One line per value (its seconds), then exactly one machine-readable line:
``RESULT length=N values=K max_seconds=… worst=… peak_rss_mb=…``.
"""

from __future__ import annotations

import argparse
import dataclasses
import resource
import sys
import time
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from matching import load_settings  # noqa: E402
from matching.normalize import standardise  # noqa: E402

# Pieces repeated to the length asked: numerals, Latin letters, address and flat words, money, dates,
# separators and markup, each of which one of the readers has a pattern for.
PIECES = ("十", "一二三", "二十", "万", "1万2千", "3号楼", "栋2单元", "a", "A", "an", "Zhang ", "张伟", "1", "13893112345",
          "0931-", "1-", "1.", "元1", "万元", "上个月", "个月", "2025年", "年1月", "12:", "下午", "路", "小区", "街道",
          "区", "公司", "有限", "（张", "<p>", "&", "*", "x", "，", "/", "之父", "代理人", "等", "东侧")  # fmt: skip
COLUMNS = ("name", "phone", "id_number", "address", "district", "category", "content")
ROWS = 3


def hostile_frame(piece: str, length: int) -> pd.DataFrame:
    """``ROWS`` records whose matched columns all hold ``piece`` repeated to ``length`` characters."""
    value = (piece * (length // len(piece) + 1))[:length]
    frame = pd.DataFrame({column: [value] * ROWS for column in COLUMNS})
    frame.insert(0, "record_id", [f"r{i}" for i in range(ROWS)])
    frame["source"] = "hotline"
    frame["reported_at"] = "2026-01-05T09:30:00+08:00"
    return frame


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--length", type=int, default=20_000, help="characters per value (default 20000)")
    args = parser.parse_args(argv)
    settings = dataclasses.replace(load_settings(), workers=1)
    standardise(hostile_frame("张伟", 10), settings)  # imports and tables loaded once, outside the timings
    seconds: dict[str, float] = {}
    for piece in PIECES:
        frame = hostile_frame(piece, args.length)
        started = time.perf_counter()
        standardise(frame, settings)
        seconds[piece] = time.perf_counter() - started
        print(f"{piece!r:>16} x {args.length:,} characters: {seconds[piece]:.3f} s", flush=True)
    worst = max(seconds, key=seconds.__getitem__)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"RESULT length={args.length} values={len(PIECES)} max_seconds={seconds[worst]:.3f} "
          f"worst={worst!r} peak_rss_mb={peak:.0f}")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
