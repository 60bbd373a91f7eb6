"""Benchmark: validate N canonical rows with the full canonical suite and split off the failing rows.

Usage: ``python benchmarks/validate.py --rows 1000000``. The last line is
``RESULT rows=N seconds=… peak_rss_mb=… quarantined=…``; ``seconds`` covers validation and the
quarantine split (not generating the rows, nor importing Great Expectations).
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from collections.abc import Sequence
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from connectors.base import RECORD_FIELDS, SHANGHAI  # noqa: E402

WINDOW_END = datetime(2026, 11, 21, tzinfo=SHANGHAI)
DEFECT_RATE = 0.02
_DISTRICTS = ("城关区", "七里河区", "西固区", "安宁区", "红古区", "永登县", "皋兰县", "榆中县", "兰州新区")
_CATEGORIES = ("劳资欠薪", "逾期交房", "拆迁安置", "投资受损", "物业纠纷", "医疗纠纷", "交通事故", "邻里纠纷")
_NAMES = ("张伟", "王芳", "李娜", "刘强", "陈静", "杨洋", "赵磊", "黄敏")
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def _valid_ids(rng: np.random.Generator, n: int) -> np.ndarray:
    """``n`` GB 11643 numbers with correct check characters, built as digit arrays (no Python loop)."""
    born = np.datetime64("1950-01-01") + rng.integers(0, 20_000, n).astype("timedelta64[D]")
    year = born.astype("datetime64[Y]").astype(int) + 1970
    month = born.astype("datetime64[M]").astype(int) % 12 + 1
    day = (born - born.astype("datetime64[M]")).astype(int) + 1
    serial = rng.integers(0, 1000, n)
    fields = ((np.full(n, 620102), 6), (year, 4), (month, 2), (day, 2), (serial, 3))
    digits = np.concatenate([(v[:, None] // 10 ** np.arange(w - 1, -1, -1)) % 10 for v, w in fields], axis=1)
    check = np.frombuffer(b"10X98765432", dtype=np.uint8)[(digits @ np.array(_WEIGHTS)) % 11]
    codes = np.concatenate([digits + ord("0"), check[:, None]], axis=1).astype(np.uint32)
    return np.ascontiguousarray(codes).view("<U18").ravel().astype(object)


def canonical_frame(rows: int, seed: int = 7) -> pd.DataFrame:
    """``rows`` canonical records, about 2% with one defect each (bad id, phone, time, text, code)."""
    rng = np.random.default_rng(seed)

    def pick(values: Sequence[str] | np.ndarray) -> np.ndarray:
        return np.asarray(values, dtype=object)[rng.integers(0, len(values), rows)]

    phones = np.char.add("138", np.char.zfill(rng.integers(0, 10**8, rows).astype(str), 8)).astype(object)
    frame = pd.DataFrame(
        {
            "record_id": [f"bench:{i:08d}" for i in range(rows)],
            "source": "bench",
            "source_record_id": [f"{i:08d}" for i in range(rows)],
            "reported_at": pd.Series(WINDOW_END - pd.to_timedelta(rng.integers(60, 86_400, rows), unit="s")),
            "name": pick(_NAMES),
            "phone": phones,
            "id_number": pick(_valid_ids(rng, min(rows, 200_000))),
            "address": pick([f"甘肃省兰州市{d}永昌路{n}号" for d in _DISTRICTS for n in range(1, 40)]),
            "district": pick(_DISTRICTS),
            "street": pick(("张掖路街道", "酒泉路街道", "西湖街道")),
            "category": pick(_CATEGORIES),
            "source_category": pick(("0501", "0602", "0703")),
            # Free text is nearly unique per row in real data: no check may profit from repeats here.
            "content": [
                f"反映在永昌路{i % 997}号工地务工被拖欠工资{i}元，要求尽快处理。编号{i}" for i in range(rows)
            ],
            "status": pick(("已受理", "办理中", "已办结")),
        },
        columns=list(RECORD_FIELDS),
    )
    bad = np.flatnonzero(rng.random(rows) < DEFECT_RATE)
    kinds = rng.integers(0, 6, len(bad))
    for kind, column, value in (
        (0, "phone", "1389311234"),
        (1, "id_number", "620102198703151230"),
        (2, "content", "  "),
        (3, "category", "未知"),
        (4, "district", "白银区"),
    ):
        frame.loc[bad[kinds == kind], column] = value
    frame.loc[bad[kinds == 5], "reported_at"] = WINDOW_END + timedelta(days=3)
    return frame


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)

    from expectations.batch import split_frame
    from expectations.suites import WINDOW_END_PARAMETER
    from expectations.suites.canonical import build_suite
    from expectations.validate import validate_records

    frame = canonical_frame(args.rows, args.seed)
    suite = build_suite()
    validate_records(frame.head(10), suite, parameters={WINDOW_END_PARAMETER: WINDOW_END})  # warm the context
    started = time.perf_counter()
    outcome = validate_records(frame, suite, parameters={WINDOW_END_PARAMETER: WINDOW_END})
    passed, quarantined = split_frame(frame, outcome)
    seconds = time.perf_counter() - started
    assert len(passed) + len(quarantined) == args.rows, "rows lost in the split"
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    for result in outcome.results:
        if not result.success:
            print(f"  {result.reason}: {result.unexpected_count} rows")
    print(
        f"RESULT rows={args.rows} seconds={seconds:.2f} peak_rss_mb={peak_mb:.0f} quarantined={len(quarantined)}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
