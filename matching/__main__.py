"""Command line: ``python -m matching dedupe|evaluate|report|label ...``.

``dedupe`` clusters a CSV into cases; ``evaluate`` scores clusters against ground truth; ``report`` writes
an offline HTML page explaining a run; ``label`` proposes the pairs whose label would teach the model
most and appends them to a labels file for a reviewer to fill (``dedupe --labels`` then learns from it).

Exit status: 0 done; 1 an input file's content is not usable (a column missing, not a UTF-8 CSV (see
``--encoding``), a record_id blank or on two rows);
2 the command line is wrong (an unknown command or option, a file that does not exist, settings that do
not validate). Progress goes to stderr, only on a terminal (``--progress`` / ``--no-progress`` decide).
"""

from __future__ import annotations

import argparse
import codecs
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from hub.progress import stage, stages
from matching.evaluation import pairwise_scores
from matching.labels import read_labels
from matching.linker import dedupe
from matching.settings import MatchSettings, load_settings

PROG = "python -m matching"
ENCODING_HELP = "the input CSV's encoding (default utf-8; gb18030 for a CSV Excel saved on Chinese Windows)"


class _UsageError(Exception):
    """The command line cannot be followed: exit 2 with the message, no traceback."""


class _CurrentStderr:
    """``sys.stderr`` as it is at each write: while the stages show, rich's proxy, which prints a log line
    above the display instead of through it."""

    def write(self, text: str) -> int:
        return sys.stderr.write(text)

    def flush(self) -> None:
        sys.stderr.flush()


def _input_file(value: str) -> Path:
    path = Path(value)
    if not path.is_file():
        raise argparse.ArgumentTypeError(f"no such file: {value}")
    return path


def _output_file(value: str) -> Path:
    path = Path(value)
    if path.is_dir() or not path.absolute().parent.is_dir():
        raise argparse.ArgumentTypeError(f"cannot write {value}: not a file in an existing directory")
    return path


def _encoding(value: str) -> str:
    try:
        return codecs.lookup(value).name
    except LookupError:
        raise argparse.ArgumentTypeError(f"unknown encoding: {value}") from None


def _read_csv(path: Path, encoding: str = "utf-8", **options: object) -> pd.DataFrame:
    try:
        return pd.read_csv(path, dtype=str, keep_default_na=False, encoding=encoding, **options)
    except pd.errors.ParserError as exc:
        # The file decodes, but a row does not fit: most often a field holding a comma without quotes
        # (an address 城关区,永昌路88号), or a quote left open.
        detail = str(exc).strip().removeprefix("Error tokenizing data. C error: ")
        hint = "; a field holding a comma must be in double quotes" if "Expected" in detail else ""
        raise SystemExit(f"{path}: a row does not fit the CSV layout ({detail}){hint}") from None
    except (UnicodeDecodeError, pd.errors.EmptyDataError) as exc:
        # Excel on Chinese Windows saves CSV as GB18030 (GBK): the commonest reason a city's export fails.
        hint = "; if Excel saved it, try --encoding gb18030" if isinstance(exc, UnicodeDecodeError) else ""
        written = "UTF-8" if encoding == "utf-8" else encoding
        raise SystemExit(
            f"{path}: not a {written} CSV file with a header ({str(exc).strip()}){hint}"
        ) from None


def _settings(path: Path | None) -> MatchSettings:
    try:
        return load_settings(path)
    except (OSError, ValueError, TypeError, KeyError, yaml.YAMLError) as exc:
        raise _UsageError(f"--settings {path}: {exc}") from None


def _read_records(path: Path, settings: MatchSettings, encoding: str = "utf-8") -> pd.DataFrame:
    """The input CSV as every command reads it (empty cells are missing values); every record named once."""
    frame = _read_csv(path, encoding, na_values=[""])
    frame.columns = _column_names(frame.columns, settings, path)
    if "record_id" not in frame:
        header = str(frame.columns[0]) if len(frame.columns) == 1 else ""
        other = next((mark for mark in (";", "\t", "|") if "record_id" in header and mark in header), None)
        hint = f" (the header is split by {other!r}: save the file with commas)" if other else ""
        raise SystemExit(f"{path}: no record_id column{hint}")
    # pandas reads a header's second "name" as "name.1"
    twice = [str(c)[:-2] for c in frame.columns if str(c).endswith(".1") and str(c)[:-2] in frame]
    if twice:
        raise SystemExit(f"{path}: column(s) {twice} appear twice in the header")
    missing = list(dict.fromkeys(spec.column for spec in settings.fields if spec.column not in frame))
    if missing:
        raise SystemExit(f"{path}: missing column(s) {missing} named by the settings")
    _check_record_ids(frame, path)
    _warn_bare_ids(frame, path)
    return frame


def _column_names(columns: pd.Index, settings: MatchSettings, path: Path) -> list[str]:
    """The header as the settings name it: spaces around a name are dropped (``record_id , name``) and a
    name in another case is the settings' (``Record_ID``, ``NAME``); two that become one is an error."""
    named = {name.lower(): name for name in ("record_id", *(spec.column for spec in settings.fields))}
    names = []
    for column in map(str, columns):
        stripped = column.strip()
        names.append(stripped if stripped in named.values() else named.get(stripped.lower(), stripped))
    twice = sorted({name for name in names if names.count(name) > 1})
    if twice:
        raise SystemExit(f"{path}: column(s) {twice} appear twice in the header")
    return names


def _warn_bare_ids(frame: pd.DataFrame, path: Path) -> None:
    """Log the rows that hold a record_id and nothing else: most often the tail of a record whose field
    held a line break without quotes (a bare carriage return in a description), read as a row of its own."""
    if len(frame.columns) < 2:
        return
    bare = np.ones(len(frame), dtype=bool)
    for column in frame.columns.drop("record_id"):  # column by column: the first mostly settles it
        bare &= frame[column].isna().to_numpy()
        if not bare.any():
            return
    rows = (np.flatnonzero(bare) + 1).tolist()
    logging.getLogger("matching.cli").warning(
        "%s: %d row(s) hold a record_id and nothing else (data row(s) %s, the first %r): a line break "
        "inside a field without quotes splits a record in two; each is matched as a record with no data",
        path, len(rows), _some(rows), frame["record_id"].iloc[rows[0] - 1],
    )  # fmt: skip


def _check_record_ids(frame: pd.DataFrame, path: Path) -> None:
    """Exit 1 naming the rows where a ``record_id`` is blank or repeated: a record_id names one record."""
    # Data rows counted from 1 (a complaint's text may hold line breaks, so file lines would mislead).
    blank = frame["record_id"].isna() | (frame["record_id"].str.strip() == "")
    if blank.any():
        rows = (np.flatnonzero(blank.to_numpy()) + 1).tolist()
        raise SystemExit(f"{path}: {len(rows)} row(s) without a record_id: data row(s) {_some(rows)}")
    repeated = frame["record_id"].duplicated(keep=False)
    if repeated.any():
        first = frame.loc[repeated, "record_id"].iloc[0]
        rows = (np.flatnonzero((frame["record_id"] == first).to_numpy()) + 1).tolist()
        count = frame.loc[repeated, "record_id"].nunique()
        raise SystemExit(
            f"{path}: {count} record_id(s) appear on more than one row ({first!r} on data rows {_some(rows)}); "
            "a record_id names one record"
        )


def _some(rows: list[int], shown: int = 5) -> str:
    more = f" and {len(rows) - shown} more" if len(rows) > shown else ""
    return ", ".join(map(str, rows[:shown])) + more


def _read_labels(path: Path | None) -> pd.DataFrame | None:
    """A reviewer's labels (rows still without a verdict are proposals, skipped), or ``None``."""
    if path is None or not path.exists():
        return None
    try:
        return read_labels(path)
    except ValueError as exc:
        raise SystemExit(str(exc)) from None


def _warn_unknown_labels(labels: pd.DataFrame | None, frame: pd.DataFrame, path: Path | None) -> None:
    """Log the labels naming a record the input does not hold: they teach nothing and override nothing
    (a labels file kept from another export, or an id retyped by hand)."""
    if labels is None or labels.empty:
        return
    ids = set(frame["record_id"].astype(str))
    unknown = ~(labels["record_id_l"].astype(str).isin(ids) & labels["record_id_r"].astype(str).isin(ids))
    if unknown.any():
        first = labels[unknown].iloc[0]
        logging.getLogger("matching.cli").warning(
            "%d of %d label(s) in %s name a record not in the input (first: %s, %s): they are not used",
            int(unknown.sum()), len(labels), path, first["record_id_l"], first["record_id_r"],
        )  # fmt: skip


def _dedupe(args: argparse.Namespace) -> int:
    settings = _settings(args.settings)
    labels = _read_labels(args.labels)
    with stages(args.progress) as progress:
        with stage(progress, f"reading {args.input}"):
            frame = _read_records(args.input, settings, args.encoding)
            _warn_unknown_labels(labels, frame, args.labels)
        # One call: standardise, block, score and cluster happen inside the linker.
        with stage(progress, f"deduplicating {len(frame):,} records (standardise, block, score, cluster)"):
            result = dedupe(frame, settings, decisions=labels)
        with stage(progress, f"writing {args.output}"):
            result.clusters.to_csv(args.output, index=False, encoding="utf-8")
    print(f"{len(result.clusters)} records, {result.stats['clusters']} clusters, {result.stats['pairs']} pairs "
          f"-> {args.output}")  # fmt: skip
    return 0


def _columns(frame: pd.DataFrame, path: Path, *columns: str) -> None:
    missing = [column for column in columns if column not in frame]
    if missing:
        raise SystemExit(f"{path}: missing column(s) {missing}")


def _read_truth(path: Path) -> dict[str, str]:
    truth = _read_csv(path)
    _columns(truth, path, "record_id")
    _check_record_ids(truth, path)
    for column in ("entity_id", "case_key", "cluster_id"):
        if column in truth:
            return dict(zip(truth["record_id"], truth[column], strict=True))
    raise SystemExit(f"{path}: needs record_id and entity_id (or the simulator's case_key)")


def _evaluate(args: argparse.Namespace) -> int:
    truth = _read_truth(args.truth)
    clusters = _read_csv(args.clusters)
    _columns(clusters, args.clusters, "record_id", "cluster_id")
    _check_record_ids(clusters, args.clusters)
    scores = pairwise_scores(truth, dict(zip(clusters["record_id"], clusters["cluster_id"], strict=True)))
    print(f"precision {scores['precision']:.4f}")
    print(f"recall    {scores['recall']:.4f}")
    print(f"f1        {scores['f1']:.4f}")
    print(f"pairs: true {scores['true_pairs']}, predicted {scores['predicted_pairs']}, "
          f"correct {scores['correct_pairs']}; records {scores['records']}")  # fmt: skip
    return 0


def _report(args: argparse.Namespace) -> int:
    from matching.report import write_report

    settings = _settings(args.settings)
    labels = _read_labels(args.labels)
    frame = _read_records(args.input, settings, args.encoding)
    _warn_unknown_labels(labels, frame, args.labels)
    truth = _read_truth(args.truth) if args.truth else None
    result = dedupe(frame, settings, decisions=labels)
    write_report(args.output, frame, result, settings, truth, source=str(args.input))
    print(f"{len(result.clusters)} records, {result.stats['clusters']} clusters, {result.stats['pairs']} pairs "
          f"-> {args.output}")  # fmt: skip
    return 0


def _label(args: argparse.Namespace) -> int:
    from matching._masking import column_kinds, masked_value
    from matching.labels import propose_pairs

    settings = _settings(args.settings)
    labels = _read_labels(args.labels)
    frame = _read_records(args.input, settings, args.encoding)
    _warn_unknown_labels(labels, frame, args.labels)
    result = dedupe(frame, settings, decisions=labels)
    done = pd.read_csv(args.labels, dtype=str, keep_default_na=False) if args.labels.exists() else None
    proposed = propose_pairs(result.pairs, args.n, done, settings.merge_threshold)
    kinds = column_kinds(settings.fields)
    records = frame.set_index(frame["record_id"].astype(str))
    shown = [c for c in ("source", "reported_at", *kinds) if c in frame and c != "reported_at"]
    for number, pair in enumerate(proposed.itertuples(index=False), start=1):
        print(
            f"[{number}] {pair.record_id_l}  |  {pair.record_id_r}   P(same case) = {pair.match_probability:.3f}"
        )
        for column in ("reported_at", *shown):
            left = masked_value(kinds.get(column), records.at[pair.record_id_l, column])
            right = masked_value(kinds.get(column), records.at[pair.record_id_r, column])
            print(f"    {column:<12} {left[:60]:<62} {right[:60]}")
    rows = proposed[["record_id_l", "record_id_r"]].assign(decision="")
    rows.to_csv(args.labels, mode="a", header=not args.labels.exists(), index=False, encoding="utf-8")
    print(f"{len(rows)} pair(s) appended to {args.labels}: write same, different or unsure in their decision "
          f"column, then run dedupe --labels {args.labels}")  # fmt: skip
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=PROG, description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("dedupe", help="cluster the records of a CSV into cases")
    run.add_argument(
        "--settings", type=_input_file, default=None, help="settings YAML (default: the packaged one)"
    )
    run.add_argument(
        "--input",
        type=_input_file,
        required=True,
        help="UTF-8 CSV with a header: record_id + the settings' fields",
    )
    run.add_argument("--output", type=_output_file, required=True, help="CSV to write: record_id,cluster_id")
    run.add_argument("--encoding", type=_encoding, default="utf-8", help=ENCODING_HELP)
    run.add_argument(
        "--labels",
        type=_input_file,
        default=None,
        help="reviewer labels CSV: record_id_l,record_id_r,decision",
    )
    run.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="show the stages on stderr (default: only on a terminal)",
    )
    run.set_defaults(handler=_dedupe)
    score = commands.add_parser("evaluate", help="pairwise precision, recall and F1 against ground truth")
    score.add_argument(
        "--truth",
        type=_input_file,
        required=True,
        help="CSV record_id,entity_id (or the simulator's truth.csv)",
    )
    score.add_argument("--clusters", type=_input_file, required=True, help="CSV record_id,cluster_id")
    score.set_defaults(handler=_evaluate)
    report = commands.add_parser(
        "report", help="dedupe a CSV and write an offline HTML page explaining the run"
    )
    report.add_argument(
        "--settings", type=_input_file, default=None, help="settings YAML (default: packaged)"
    )
    report.add_argument("--input", type=_input_file, required=True, help="UTF-8 CSV, as for dedupe")
    report.add_argument("--truth", type=_input_file, default=None, help="CSV record_id,entity_id (optional)")
    report.add_argument("--labels", type=_input_file, default=None, help="reviewer labels CSV, as for dedupe")
    report.add_argument("--output", type=_output_file, required=True, help="HTML file to write")
    report.add_argument("--encoding", type=_encoding, default="utf-8", help=ENCODING_HELP)
    report.set_defaults(handler=_report)
    label = commands.add_parser(
        "label", help="propose the pairs worth a reviewer's label (masked, side by side)"
    )
    label.add_argument("--settings", type=_input_file, default=None, help="settings YAML (default: packaged)")
    label.add_argument("--input", type=_input_file, required=True, help="UTF-8 CSV, as for dedupe")
    label.add_argument(
        "--labels", type=_output_file, required=True,
        help="labels CSV: read if it exists (its pairs are not proposed again); the proposals are appended",
    )  # fmt: skip
    label.add_argument("--n", type=int, default=20, help="how many pairs to propose")
    label.add_argument("--encoding", type=_encoding, default="utf-8", help=ENCODING_HELP)
    label.set_defaults(handler=_label)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Parse ``argv`` and run the sub-command.

    Args:
        argv: arguments without the program name (default ``sys.argv[1:]``).

    Returns:
        The exit status.
    """
    args = _parser().parse_args(argv)
    logging.basicConfig(
        level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s", stream=_CurrentStderr()
    )
    try:
        status: int = args.handler(args)
        sys.stdout.flush()  # a closed pipe shows here, not in the interpreter's flush at exit
    except _UsageError as exc:
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        # The reader left (evaluate | head -3): what it read was printed; say nothing more. Standard output
        # goes to the null device, or Python's own flush at exit raises the same error again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141  # a shell's status for a process ended by SIGPIPE (128 + 13)
    return status


if __name__ == "__main__":
    sys.exit(main())
