"""Benchmark partitioned matching: does scoring in P partitions on W worker processes finish sooner, and
is the result the one-process result?

    python benchmarks/partitions.py --records 200000 [--partitions 8] [--workers 1 2] [--repeat 3]

A simulated span of N records is matched as one pass against an empty pool (a backfill or a first
load: the largest pass the pool DAG sees). ``matching.match_incremental`` gives the reference; then
the pass is standardised once and planned into P partitions (``matching.partitions.plan_partitions``), the partitions are
scored by a pool of W worker processes — what P mapped ``score`` tasks on W Celery workers do — and
combined (``combine_partitions``). Each run checks that the assignments and pairs equal the reference.

The last line is ``RESULT records=N partitions=P workers=… score_seconds_w<W>=… speedup=… identical=…``
(medians over the repeats; ``speedup`` is the scoring phase on the fewest workers over the most).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.match import canonical_frame  # noqa: E402
from matching import load_settings, match_incremental  # noqa: E402
from matching.incremental import prepare_incremental  # noqa: E402
from matching.partitions import combine_partitions, plan_partitions, score_partition, standardise_pass  # noqa: E402
from simulators.world import generate_world  # noqa: E402

# Set in each worker by fork: the pass and its plan, so a task carries only its shard number.
_PASS: dict[str, Any] = {}


def _score(shard: int) -> pd.DataFrame:
    combined, flags, plan = _PASS["combined"], _PASS["flags"], _PASS["plan"]
    members = plan.loc[plan["shard"] == shard, "record_id"]
    records = combined[combined["record_id"].isin(members)]
    return score_partition(
        records, flags.reindex(records["record_id"]).to_numpy(), _PASS["settings"], shard, _PASS["partitions"]
    )


def _signature(assignments: pd.DataFrame, pairs: pd.DataFrame) -> tuple[Any, ...]:
    """What must not depend on the partitioning: each record's case and every scored pair."""
    cases = tuple(
        assignments.sort_values("record_id")[["record_id", "case_id"]].itertuples(index=False, name=None)
    )
    scored = pairs[["record_id_l", "record_id_r", "match_weight"]].sort_values(["record_id_l", "record_id_r"])
    return cases, tuple(scored.itertuples(index=False, name=None))


def run_partitioned(new: pd.DataFrame, empty: pd.DataFrame, partitions: int, workers: int) -> dict[str, Any]:
    """Plan, score on ``workers`` processes, combine; the phases' wall times and the result's signature."""
    settings = load_settings()
    began = time.perf_counter()
    combined, is_new = prepare_incremental(new, empty)
    # Standardised once: the partitions and the combine read these columns (the pool DAG's plan task
    # stores them in match_run_record for its score and publish tasks).
    combined = standardise_pass(combined, settings)
    plan = plan_partitions(combined, is_new, settings, partitions)
    flags = pd.Series(is_new, index=combined["record_id"].to_numpy())
    plan_s = time.perf_counter() - began
    _PASS.update(combined=combined, flags=flags, plan=plan, settings=settings, partitions=partitions)
    shards = sorted(int(s) for s in plan["shard"].unique())
    began = time.perf_counter()
    with ProcessPoolExecutor(max_workers=workers) as pool:  # fork: workers inherit _PASS
        parts = list(pool.map(_score, shards))
    score_s = time.perf_counter() - began
    began = time.perf_counter()
    result = combine_partitions(combined, is_new, parts, settings)
    combine_s = time.perf_counter() - began
    return {
        "plan": plan_s,
        "score": score_s,
        "combine": combine_s,
        "signature": _signature(result.assignments, result.pairs),
    }


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print one line per run and the RESULT line."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--records", type=int, default=200_000)
    parser.add_argument("--partitions", type=int, default=8)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=20261120)
    args = parser.parse_args(argv)

    world = generate_world(
        seed=args.seed, n_records=args.records, start=date(2026, 1, 1), days=max(30, args.records // 1000)
    )
    new = canonical_frame(world.rows)
    del world
    empty = new.iloc[:0].assign(
        case_id=pd.Series(dtype=object), case_first_reported_at=pd.Series(dtype=object)
    )
    began = time.perf_counter()
    reference = match_incremental(new, empty, load_settings())
    one_process = time.perf_counter() - began
    expected = _signature(reference.assignments, reference.pairs)
    print(
        f"match_incremental (one process): {one_process:.1f}s  {len(new):,} records, "
        f"{len(reference.pairs):,} pairs, {reference.assignments['case_id'].nunique():,} cases",
        flush=True,
    )

    scores: dict[int, list[float]] = {w: [] for w in args.workers}
    identical = True
    for _ in range(args.repeat):
        for workers in args.workers:
            run = run_partitioned(new, empty, args.partitions, workers)
            same = run["signature"] == expected
            identical &= same
            scores[workers].append(run["score"])
            print(
                f"P={args.partitions} W={workers}: plan {run['plan']:.1f}s  score {run['score']:.1f}s  "
                f"combine {run['combine']:.1f}s  identical={same}",
                flush=True,
            )
    medians = {w: statistics.median(s) for w, s in scores.items()}
    fewest, most = min(args.workers), max(args.workers)
    per_worker = " ".join(f"score_seconds_w{w}={m:.1f}" for w, m in sorted(medians.items()))
    print(
        f"RESULT records={len(new)} partitions={args.partitions} workers={','.join(map(str, args.workers))} "
        f"{per_worker} speedup={medians[fewest] / medians[most]:.2f} one_process_seconds={one_process:.1f} "
        f"identical={str(identical).lower()}"
    )
    return 0 if identical else 1


if __name__ == "__main__":
    np.seterr(all="ignore")
    raise SystemExit(main())
