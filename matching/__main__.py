"""Command line: ``python -m matching dedupe ...`` and ``python -m matching evaluate ...``."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

import pandas as pd

from matching.evaluation import pairwise_scores
from matching.linker import dedupe
from matching.settings import load_settings


def _dedupe(args: argparse.Namespace) -> int:
    settings = load_settings(args.settings)
    frame = pd.read_csv(args.input, dtype=str, keep_default_na=False, na_values=[""], encoding="utf-8")
    if "record_id" not in frame:
        raise SystemExit(f"{args.input}: no record_id column")
    missing = [spec.column for spec in settings.fields if spec.column not in frame]
    if missing:
        raise SystemExit(f"{args.input}: missing column(s) {missing} named by the settings")
    result = dedupe(frame, settings)
    result.clusters.to_csv(args.output, index=False, encoding="utf-8")
    print(f"{len(result.clusters)} records, {result.stats['clusters']} clusters, {result.stats['pairs']} pairs "
          f"-> {args.output}")  # fmt: skip
    return 0


def _read_truth(path: str) -> dict[str, str]:
    truth = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    for column in ("entity_id", "case_key", "cluster_id"):
        if column in truth:
            return dict(zip(truth["record_id"], truth[column], strict=True))
    raise SystemExit(f"{path}: needs record_id and entity_id (or the simulator's case_key)")


def _evaluate(args: argparse.Namespace) -> int:
    truth = _read_truth(args.truth)
    clusters = pd.read_csv(args.clusters, dtype=str, keep_default_na=False, encoding="utf-8")
    scores = pairwise_scores(truth, dict(zip(clusters["record_id"], clusters["cluster_id"], strict=True)))
    print(f"precision {scores['precision']:.4f}")
    print(f"recall    {scores['recall']:.4f}")
    print(f"f1        {scores['f1']:.4f}")
    print(f"pairs: true {scores['true_pairs']}, predicted {scores['predicted_pairs']}, "
          f"correct {scores['correct_pairs']}; records {scores['records']}")  # fmt: skip
    return 0


def _report(args: argparse.Namespace) -> int:
    import time

    from matching.report import write_report

    settings = load_settings(args.settings)
    # Read exactly as ``dedupe`` reads its input, so the report explains the run a user would get.
    frame = pd.read_csv(args.input, dtype=str, keep_default_na=False, na_values=[""], encoding="utf-8")
    if "record_id" not in frame:
        raise SystemExit(f"{args.input}: no record_id column")
    missing = [spec.column for spec in settings.fields if spec.column not in frame]
    if missing:
        raise SystemExit(f"{args.input}: missing column(s) {missing} named by the settings")
    truth = _read_truth(args.truth) if args.truth else None
    result = dedupe(frame, settings)
    start = time.perf_counter()
    write_report(args.output, frame, result, settings, truth, source=args.input)
    print(f"{len(result.clusters)} records, {result.stats['clusters']} clusters, {result.stats['pairs']} pairs; "
          f"report in {time.perf_counter() - start:.1f}s -> {args.output}")  # fmt: skip
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Parse ``argv`` and run the sub-command.

    Args:
        argv: arguments without the program name (default ``sys.argv[1:]``).

    Returns:
        The exit status.
    """
    parser = argparse.ArgumentParser(prog="python -m matching", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("dedupe", help="cluster the records of a CSV into cases")
    run.add_argument("--settings", default=None, help="settings YAML (default: the packaged one)")
    run.add_argument(
        "--input", required=True, help="UTF-8 CSV with a header: record_id + the settings' fields"
    )
    run.add_argument("--output", required=True, help="CSV to write: record_id,cluster_id")
    run.set_defaults(handler=_dedupe)
    score = commands.add_parser("evaluate", help="pairwise precision, recall and F1 against ground truth")
    score.add_argument(
        "--truth", required=True, help="CSV record_id,entity_id (or the simulator's truth.csv)"
    )
    score.add_argument("--clusters", required=True, help="CSV record_id,cluster_id")
    score.set_defaults(handler=_evaluate)
    report = commands.add_parser(
        "report", help="dedupe a CSV and write an offline HTML report explaining the run"
    )
    report.add_argument("--settings", default=None, help="settings YAML (default: the packaged one)")
    report.add_argument("--input", required=True, help="UTF-8 CSV, as for dedupe")
    report.add_argument(
        "--truth", default=None, help="CSV record_id,entity_id (or the simulator's truth.csv)"
    )
    report.add_argument("--output", required=True, help="HTML file to write")
    report.set_defaults(handler=_report)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    status: int = args.handler(args)
    return status


if __name__ == "__main__":
    sys.exit(main())
