"""Benchmark learning from reviewers: F1 after 0, 50, 100, 200 and 500 labels on worlds the packaged
settings were not fitted to (knobs drawn from wide ranges, as in ``match_robustness.py``).

    python benchmarks/match_learning.py --records 20000 --worlds 3

Each round runs ``dedupe`` with the labels so far, asks :func:`matching.labels.propose_pairs` for the next
pairs (the uncertain ones, round-robin over blocking rules), and labels them from the world's ground truth,
as a reviewer would. One line per world and step, then one machine-readable line with the median over
worlds: ``RESULT worlds=K f1_0=… f1_50=… f1_100=… f1_200=… f1_500=… seconds=…``.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.match_robustness import START, draw_worlds, write_canonical  # noqa: E402
from matching import dedupe, load_settings, pairwise_scores  # noqa: E402
from matching.labels import propose_pairs  # noqa: E402
from simulators.world import generate_world  # noqa: E402

STEPS = (0, 50, 100, 200, 500)


def label_from_truth(proposed: pd.DataFrame, truth: dict[str, str]) -> pd.DataFrame:
    """The verdicts a perfect reviewer gives the proposed pairs."""
    left, right = proposed["record_id_l"].astype(str), proposed["record_id_r"].astype(str)
    verdict = ["same" if truth[a] == truth[b] else "different" for a, b in zip(left, right, strict=True)]
    return pd.DataFrame({"record_id_l": left, "record_id_r": right, "decision": verdict})


def learning_curve(frame: pd.DataFrame, truth: dict[str, str], settings_path: str | None) -> list[float]:
    """F1 after each step's number of labels (labels accumulate; each step proposes the difference)."""
    settings = load_settings(settings_path)
    labels: pd.DataFrame | None = None
    result = dedupe(frame, settings)
    curve = []
    for target in STEPS:
        if target:
            have = 0 if labels is None else len(labels)
            proposed = propose_pairs(result.pairs, target - have, labels, settings.merge_threshold)
            new = label_from_truth(proposed, truth)
            labels = new if labels is None else pd.concat([labels, new], ignore_index=True)
            result = dedupe(frame, settings, decisions=labels)
        clusters = dict(zip(result.clusters["record_id"], result.clusters["cluster_id"], strict=True))
        curve.append(float(pairwise_scores(truth, clusters)["f1"]))
    return curve


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; print a line per world and the RESULT line."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--records", type=int, default=20_000, help="records per world")
    parser.add_argument("--worlds", type=int, default=3, help="worlds to draw")
    parser.add_argument("--seed", type=int, default=7, help="seeds the knob draws and each world")
    parser.add_argument("--settings", default=None, help="matching settings YAML (default: packaged)")
    args = parser.parse_args(argv)
    days = max(180, args.records // 1000)
    started = time.perf_counter()
    curves = []
    for index, knobs in enumerate(draw_worlds(args.seed, args.worlds, [])):
        world = generate_world(seed=args.seed * 1000 + index, n_records=args.records, start=START, days=days,
                               knobs=knobs)  # fmt: skip
        truth = {row.record_id: row.case_key for row in world.truth}
        with tempfile.TemporaryDirectory(prefix="learning-") as tmp:
            path = Path(tmp) / "canonical.csv"
            write_canonical(world, path)
            frame = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""], encoding="utf-8")
        curve = learning_curve(frame, truth, args.settings)
        curves.append(curve)
        points = " ".join(f"f1_{n}={f1:.4f}" for n, f1 in zip(STEPS, curve, strict=True))
        print(f"world {index:2d}  records={len(frame):,}  {points}  [{knobs.short()}]", flush=True)
    medians = [statistics.median(values) for values in zip(*curves, strict=True)]
    points = " ".join(f"f1_{n}={f1:.4f}" for n, f1 in zip(STEPS, medians, strict=True))
    print(f"RESULT worlds={args.worlds} {points} seconds={time.perf_counter() - started:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
