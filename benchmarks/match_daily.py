"""Benchmark the pool's daily passes against ``dedupe`` of the whole input, on drawn worlds.

    python benchmarks/match_daily.py --records 20000 --worlds 6 --seed 1
    python benchmarks/match_daily.py --records 20000 --worlds 6 --seed 1 --no-counts

The robustness benchmark (``match_robustness.py``) judges ``dedupe`` of a whole file. The pool works
otherwise: it is built once and then places each day's batch with ``match_incremental``, against the
pooled records that share a blocking key with it (``match.py``'s ``fetch_candidates``: the warehouse's
query), with the parameters the pool was built with, never re-splitting a case. Per world (knobs drawn
as ``match_robustness.py`` draws them, from the same seeds) this benchmark dedupes the first
``--pooled`` share of the records by report time, places the rest one day at a time, and scores the
pool it ends with, and ``dedupe`` of all the records, against the world's truth. ``--no-counts`` places
the days without the pool's value counts (how many pooled records carry a name or a place,
``matching.frequencies``), as passes did before the pool kept them; ``--packaged`` scores them with the
packaged model instead of the one fitted on the pool's records (``matching.fitting``: the pool's own fit,
which is what ``dedupe`` of the pool's records estimates), as passes did before the pool fitted one.

One line per world, then exactly one machine-readable line:
``RESULT worlds=K min_f1=… median_f1=… min_precision=… max_f1_gap=… median_f1_gap=…`` (of the daily
pool; the gap is dedupe's F1 minus the daily pool's).
"""

from __future__ import annotations

import argparse
import dataclasses
import statistics
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import pandas as pd  # noqa: E402

from benchmarks.match import canonical_frame, fetch_candidates  # noqa: E402
from benchmarks.match_robustness import add_world_arguments, draw_worlds, span_days  # noqa: E402
from matching import dedupe, load_settings, match_incremental, pairwise_scores, standardise  # noqa: E402
from simulators.knobs import WorldKnobs  # noqa: E402
from simulators.world import generate_world  # noqa: E402

START = date(2026, 1, 1)


@dataclasses.dataclass(frozen=True)
class Outcome:
    """One world's scores: ``dedupe`` of every record, and the pool after its daily passes."""

    index: int
    records: int
    days: int
    whole: dict[str, float]
    daily: dict[str, float]
    seconds: float


def place_daily(
    frame: pd.DataFrame, pooled_share: float, counts: bool, settings: Any, packaged: bool = False
) -> tuple[dict[str, str], int]:
    """Dedupe the first ``pooled_share`` of ``frame`` by report time, then place the rest a day at a time.

    Returns:
        ``({record_id: case_id}, passes)``.
    """
    frame = frame.sort_values(["reported_at", "record_id"], na_position="first", kind="stable")
    cut = int(len(frame) * pooled_share)
    built = dedupe(frame.iloc[:cut], settings)
    parameters = None if packaged else built.parameters
    cases = dict(zip(built.clusters["record_id"], built.clusters["cluster_id"], strict=True))
    # Standardised once (per value, so the same as standardising each subset): fetching then only looks up.
    std = standardise(frame, settings)
    pooled = std.iloc[:cut].assign(case_id=std["record_id"].iloc[:cut].map(cases))
    rest = std.iloc[cut:]
    day = pd.to_datetime(rest["reported_at"], utc=True, errors="coerce").dt.floor("D")
    passes = 0
    for _, batch in rest.groupby(day, sort=True):
        pooled["case_first_reported_at"] = pooled.groupby("case_id")["reported_at"].transform("min")
        fetched, pooled_counts = fetch_candidates(pooled, batch, settings)
        placed = match_incremental(
            batch,
            fetched,
            settings,
            parameters=parameters,
            pooled_counts=pooled_counts if counts else None,
        )
        absorbed = dict(
            zip(placed.merges["absorbed_case_id"], placed.merges["surviving_case_id"], strict=True)
        )
        if absorbed:
            pooled["case_id"] = pooled["case_id"].replace(absorbed)
        new = batch.assign(case_id=batch["record_id"].map(
            dict(zip(placed.assignments["record_id"], placed.assignments["case_id"], strict=True))
        ))  # fmt: skip
        pooled = pd.concat([pooled, new], ignore_index=True)
        passes += 1
    return dict(zip(pooled["record_id"], pooled["case_id"], strict=True)), passes


def run_world(
    index: int, knobs: WorldKnobs, seed: int, records: int, days: int, pooled_share: float, counts: bool,
    packaged: bool = False,
) -> Outcome:  # fmt: skip
    """Generate one world; score its whole dedupe and its daily pool."""
    settings = dataclasses.replace(load_settings(), workers=1)
    world = generate_world(seed=seed, n_records=records, start=START, days=days, knobs=knobs)
    truth = {row.record_id: row.case_key for row in world.truth}
    frame = canonical_frame(world.rows)
    frame = frame[frame["record_id"].isin(truth) & ~frame["record_id"].isin(list(world.defects))]
    del world
    whole = dedupe(frame, settings).clusters
    began = time.perf_counter()
    daily, passes = place_daily(frame, pooled_share, counts, settings, packaged)
    seconds = time.perf_counter() - began
    truth = {record: truth[record] for record in frame["record_id"]}
    return Outcome(
        index, len(frame), passes,
        pairwise_scores(truth, dict(zip(whole["record_id"], whole["cluster_id"], strict=True))),
        pairwise_scores(truth, daily), seconds,
    )  # fmt: skip


def _line(outcome: Outcome) -> str:
    w, d = outcome.whole, outcome.daily
    return (f"world {outcome.index:2d}  records={outcome.records:,}  dedupe P={w['precision']:.4f} "
            f"R={w['recall']:.4f} F1={w['f1']:.4f}  daily P={d['precision']:.4f} R={d['recall']:.4f} "
            f"F1={d['f1']:.4f}  ({outcome.days} passes, {outcome.seconds:.1f}s)")  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark: one line per world, then the RESULT line."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    add_world_arguments(parser)
    parser.add_argument(
        "--pooled", type=float, default=0.7, help="share of the records the pool is built from"
    )
    parser.add_argument(
        "--no-counts", action="store_true", help="place the days without the pool's value counts"
    )
    parser.add_argument(
        "--packaged", action="store_true", help="place the days with the packaged model, not the pool's fit"
    )
    parser.add_argument("--jobs", type=int, default=1, help="worlds run in parallel")
    args = parser.parse_args(argv)
    if not 0.0 < args.pooled < 1.0:
        parser.error("--pooled must be between 0 and 1")
    days = span_days(args)
    worlds = draw_worlds(args.seed, args.worlds, [])
    jobs = [
        (i, knobs, args.seed * 1000 + i, args.records, days, args.pooled, not args.no_counts, args.packaged)
        for i, knobs in enumerate(worlds)
    ]
    print(
        f"{len(worlds)} worlds x {args.records:,} records over {days} days; pool built from the first "
        f"{args.pooled:.0%}, the rest placed daily {'without' if args.no_counts else 'with'} the pool's counts, "
        f"with the {'packaged model' if args.packaged else 'model fitted on the pool'}"
    )
    outcomes: list[Outcome] = []
    with ProcessPoolExecutor(max_workers=max(args.jobs, 1)) as pool:
        for outcome in pool.map(run_world, *zip(*jobs, strict=True)):
            print(_line(outcome), flush=True)
            outcomes.append(outcome)
    f1s = [o.daily["f1"] for o in outcomes]
    gaps = [o.whole["f1"] - o.daily["f1"] for o in outcomes]
    print(
        f"RESULT worlds={len(outcomes)} min_f1={min(f1s):.4f} median_f1={statistics.median(f1s):.4f} "
        f"min_precision={min(o.daily['precision'] for o in outcomes):.4f} "
        f"max_f1_gap={max(gaps):.4f} median_f1_gap={statistics.median(gaps):.4f}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
