"""Benchmark the matcher end to end: simulate N records, map them through the connectors, dedupe, then
match a further batch incrementally against the pool, and score both against the simulator's truth.

    python benchmarks/match.py --records 100000

The last line is machine-readable:
``RESULT records=N seconds=<dedupe> incremental_seconds=<match_incremental> peak_rss_mb=... f1=...``
(``f1`` is pairwise F1 over all records after the incremental batch; dedupe and incremental F1 are
printed above it; ``peak_rss_mb`` is this process's peak: the records, the matcher and the pool fetch.
The world is simulated in a child process, whose own peak is printed on the simulation's line).
"""

from __future__ import annotations

import argparse
import dataclasses
import multiprocessing
import resource
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from connectors.base import RecordError  # noqa: E402
from connectors.registry import connector_class  # noqa: E402
from matching import (  # noqa: E402
    MatchSettings,
    dedupe,
    load_settings,
    match_incremental,
    pairwise_scores,
)
from matching.blocking import block_keys, probe_rows  # noqa: E402
from matching.candidates import with_blocking_columns, with_columns  # noqa: E402
from matching.frequencies import frequency_columns  # noqa: E402
from matching.specs import BlockingRule  # noqa: E402
from simulators.world import generate_world  # noqa: E402

INPUT_COLUMNS = ["record_id", "source", "reported_at", "name", "phone", "id_number", "address", "district",
                 "street", "community", "category", "content"]  # fmt: skip


def canonical_frame(rows: dict[str, list[dict[str, object]]]) -> pd.DataFrame:
    """Map every simulated raw row to the canonical record through its connector (bad rows are skipped)."""
    records = []
    for source, raws in rows.items():
        cls = connector_class(source)
        connector = cls.__new__(cls)  # to_record needs no transport
        for raw in raws:
            try:
                record = connector.to_record(raw)
            except RecordError:
                continue
            records.append({column: getattr(record, column) for column in INPUT_COLUMNS})
    return pd.DataFrame.from_records(records, columns=INPUT_COLUMNS)


@dataclasses.dataclass(frozen=True)
class _OneRule:
    """Blocking options with a single rule (what :func:`block_keys` reads)."""

    blocking_rules: tuple[BlockingRule, ...]
    max_block_size: int
    capped_block_window: int


def fetch_candidates(
    existing: pd.DataFrame, batch: pd.DataFrame, settings: MatchSettings
) -> tuple[pd.DataFrame, dict[str, dict[str, int]]]:
    """What the warehouse does before ``match_incremental``: the existing records that share a blocking
    key with the batch (for rules with ``within_days``, only those reported inside that window), and how
    many existing records carry each of the batch's values of the frequency columns (its ``match_key``
    count).

    One rule at a time, as the warehouse's indexed lookup would: the keys of a million records under
    every rule at once would cost more memory than the matcher itself."""
    weighed = set(frequency_columns(settings))  # usually there: blocking standardises name and address
    pool_std = with_columns(with_blocking_columns(existing, settings), settings, weighed)
    batch_std = with_columns(with_blocking_columns(batch, settings), settings, weighed)
    reported = pd.to_datetime(existing["reported_at"], utc=True, errors="coerce").to_numpy()
    since = pd.to_datetime(batch["reported_at"], utc=True, errors="coerce").min()
    wanted = np.zeros(len(existing), dtype=bool)
    for rule in settings.blocking_rules:
        one = _OneRule((rule,), settings.max_block_size, settings.capped_block_window)
        probes = probe_rows(block_keys(batch_std, one), batch_std, one)
        recent = np.ones(len(existing), dtype=bool)
        if rule.within_days is not None:
            recent = (pd.Series(reported) >= since - pd.Timedelta(days=rule.within_days)).to_numpy()
        keys = block_keys(pool_std[recent], one)
        if rule.nearest:
            hit = _nearest_hits(keys, probes, pool_std, batch_std, rule)
        else:
            found = np.zeros(len(keys), dtype=bool)
            for label, probed in probes.groupby("rule"):  # an anchored rule probes two labels
                found |= ((keys["rule"] == label) & keys["key"].isin(probed["key"])).to_numpy()
            hit = keys.loc[found, "record_id"]
        wanted |= existing["record_id"].isin(hit).to_numpy()
    counts = {
        column: pool_std[column][pool_std[column].isin(batch_std[column].dropna())]
        .astype(str)
        .value_counts()
        .to_dict()
        for column in frequency_columns(settings)
    }
    return existing[wanted], counts


def _nearest_hits(
    keys: pd.DataFrame,
    probes: pd.DataFrame,
    pool_std: pd.DataFrame,
    batch_std: pd.DataFrame,
    rule: BlockingRule,
) -> pd.Series:
    """Under a rule with ``nearest``, what ``warehouse.pool_candidates`` reads for each new record: the
    latest ``nearest`` existing records of its key reported by its time less ``beyond_days``, and those
    reported after it (an undated new record reads its whole key)."""
    pool_days = pd.Series(pool_std["reported_days"].to_numpy(dtype=float), index=pool_std["record_id"])
    batch_days = pd.Series(batch_std["reported_days"].to_numpy(dtype=float), index=batch_std["record_id"])
    stored = keys.assign(day=keys["record_id"].map(pool_days).to_numpy())
    stored = stored[stored["day"].notna()]
    categories = pd.Index(stored["key"].unique())
    probes = probes.assign(
        code=categories.get_indexer(probes["key"]), day=probes["record_id"].map(batch_days)
    )
    probes = probes[probes["code"] >= 0]
    code = categories.get_indexer(stored["key"])
    order = np.lexsort((stored["day"].to_numpy(), code))
    ids, code, day = stored["record_id"].to_numpy()[order], code[order], stored["day"].to_numpy()[order]
    times = np.concatenate([day, probes["day"].dropna().to_numpy(dtype=float)])  # an undated probe has none
    low = float(times.min(initial=0.0))
    stride = float(times.max(initial=0.0)) - low + 1.0
    position = code * stride + (day - low)
    p_code, p_day = probes["code"].to_numpy(), probes["day"].to_numpy(dtype=float)
    start = np.searchsorted(code, p_code, side="left")
    end = np.searchsorted(code, p_code, side="right")
    dated = ~np.isnan(p_day)
    until = np.where(dated, np.searchsorted(position, p_code * stride + (p_day - low) - (rule.beyond_days or 0.0),
                                            side="right"), end)  # fmt: skip
    first = np.where(dated, np.maximum(start, until - (rule.nearest or 0)), start)
    after = np.where(dated, np.searchsorted(position, p_code * stride + (p_day - low), side="right"), end)
    spans = np.concatenate([np.stack([first, until]), np.stack([after, end])], axis=1)
    counts = np.maximum(spans[1] - spans[0], 0)
    at = np.repeat(spans[0], counts) + (
        np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
    )
    return pd.Series(ids[at])


def _simulate_to(folder: str, seed: int, records: int, days: int) -> None:
    world = generate_world(seed=seed, n_records=records, start=date(2026, 1, 1), days=days)
    truth = {row.record_id: row.case_key for row in world.truth}
    frame = canonical_frame(world.rows)
    del world
    frame.to_pickle(Path(folder, "canonical.pkl"))
    pd.to_pickle(truth, Path(folder, "truth.pkl"))


def simulated_records(seed: int, records: int, days: int) -> tuple[pd.DataFrame, dict[str, str]]:
    """The simulated world's canonical records and its truth (record id -> case key).

    The world is generated in a child process: its raw rows take more memory than the matcher (5 GB at
    a million records), and a process's peak stays where it was after they are freed, so simulated in
    this one they would hide the figure this benchmark measures."""
    with tempfile.TemporaryDirectory(prefix="match-bench-") as folder:
        child = multiprocessing.get_context("fork").Process(
            target=_simulate_to, args=(folder, seed, records, days)
        )
        child.start()
        child.join()
        if child.exitcode != 0:
            raise RuntimeError(f"the simulation exited with {child.exitcode}")
        frame: pd.DataFrame = pd.read_pickle(Path(folder, "canonical.pkl"))
        truth: dict[str, str] = pd.read_pickle(Path(folder, "truth.pkl"))
    return frame, truth


def _peak_mb(who: int = resource.RUSAGE_SELF) -> float:
    return resource.getrusage(who).ru_maxrss / 1024


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print one line per phase and the RESULT line."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--records", type=int, default=100_000, help="records in the deduplicated pool")
    parser.add_argument("--incremental", type=int, default=10_000, help="records in the incremental batch")
    parser.add_argument(
        "--days", type=int, default=0, help="span in days (default: 1 day per 1,000 records, >= 30)"
    )
    parser.add_argument("--seed", type=int, default=20261120)
    parser.add_argument("--settings", default=None, help="matching settings YAML (default: packaged)")
    args = parser.parse_args(argv)
    days = args.days or max(30, (args.records + args.incremental) // 1000)
    settings = load_settings(args.settings)

    start = time.perf_counter()
    frame, truth = simulated_records(args.seed, args.records + args.incremental, days)
    print(
        f"simulate+map      {time.perf_counter() - start:8.1f}s  {len(frame):,} records over {days} days"
        f" (in its own process, peak {_peak_mb(resource.RUSAGE_CHILDREN):.0f} MB)"
    )
    # The newest reports form the incremental batch, as they would arrive after the pool was built.
    frame = frame.sort_values(["reported_at", "record_id"], na_position="first", kind="stable")
    pool, batch = frame.iloc[: len(frame) - args.incremental], frame.iloc[len(frame) - args.incremental :]

    start = time.perf_counter()
    result = dedupe(pool, settings)
    dedupe_seconds = time.perf_counter() - start
    for phase, seconds in result.stats["timings"].items():
        print(f"  dedupe {phase:<11s}{seconds:8.1f}s")
    scores = pairwise_scores(
        truth, dict(zip(result.clusters["record_id"], result.clusters["cluster_id"], strict=True))
    )
    print(
        f"dedupe            {dedupe_seconds:8.1f}s  pairs={result.stats['pairs']:,} clusters={result.stats['clusters']:,}"
        f" P={scores['precision']:.4f} R={scores['recall']:.4f} F1={scores['f1']:.4f}"
    )
    capped = result.stats["blocking"]["capped_blocks"]
    print(f"  pairs per rule {result.stats['blocking']['pairs_per_rule']}; capped blocks {len(capped)}")

    start = time.perf_counter()
    # The pool keeps cases and the trained parameters, not dedupe's scored pairs (millions of rows).
    clusters, parameters = result.clusters, result.parameters
    del result
    existing = pool.merge(clusters.rename(columns={"cluster_id": "case_id"}), on="record_id")
    existing["case_first_reported_at"] = existing.groupby("case_id")["reported_at"].transform("min")
    candidates, pooled_counts = fetch_candidates(existing, batch, settings)
    fetch_seconds = time.perf_counter() - start
    print(
        f"fetch by keys     {fetch_seconds:8.1f}s  {len(candidates):,} existing records share a key with the batch"
    )

    start = time.perf_counter()
    incremental = match_incremental(
        batch, candidates, settings, parameters=parameters, pooled_counts=pooled_counts
    )
    incremental_seconds = time.perf_counter() - start
    for phase, seconds in incremental.stats["timings"].items():
        print(f"  incremental {phase:<11s}{seconds:8.1f}s")
    final = dict(zip(existing["record_id"], existing["case_id"], strict=True))
    absorbed = dict(
        zip(incremental.merges["absorbed_case_id"], incremental.merges["surviving_case_id"], strict=True)
    )
    final = {record: absorbed.get(case, case) for record, case in final.items()}
    final.update(zip(incremental.assignments["record_id"], incremental.assignments["case_id"], strict=True))
    overall = pairwise_scores(truth, final)
    print(
        f"incremental       {incremental_seconds:8.1f}s  new cases={incremental.stats['new_cases']:,}"
        f" merges={len(incremental.merges):,} review={len(incremental.review):,}"
        f" P={overall['precision']:.4f} R={overall['recall']:.4f} F1={overall['f1']:.4f} (all records)"
    )
    print(
        f"RESULT records={len(pool)} seconds={dedupe_seconds:.1f} incremental_seconds={incremental_seconds:.1f} "
        f"peak_rss_mb={_peak_mb():.0f} f1={overall['f1']:.4f}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
