"""The data-quality operator commands: `batch {show,held,release,reject}`, `files` and `report`."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import Any

import sqlalchemy as sa

COMMANDS = ("batch", "files", "report")


def add_quality_commands(sub: Any) -> None:
    """Register the commands on the ``python -m warehouse`` subparsers."""
    batch = sub.add_parser("batch", help="held batches: show, list, release or reject")
    actions = batch.add_subparsers(dest="action", required=True)
    show = actions.add_parser("show", help="a batch's counts, gate verdicts, validation runs and decisions")
    show.add_argument("batch_id")
    actions.add_parser("held", help="batches waiting for a decision")
    for action, text in (
        ("release", "publish a held batch to staging as validated"),
        ("reject", "keep a held batch out: its rows are quarantined as 'batch rejected'"),
    ):
        parser = actions.add_parser(action, help=text)
        parser.add_argument("batch_id")
        parser.add_argument("--by", required=True, help="who decides (name or account)")
        parser.add_argument("--reason", required=True, help="why, for the auditors")
    files = sub.add_parser("files", help="file-drop exports set aside as unreadable: list or release")
    file_actions = files.add_subparsers(dest="action", required=True)
    file_actions.add_parser("set-aside", help="a source's set-aside files and why").add_argument("source")
    release = file_actions.add_parser("release", help="forget a set-aside file, so its bytes load again")
    release.add_argument("source")
    release.add_argument("file", help="its name, rejected/ path, or SHA-256 prefix (8+ hex digits)")
    report = sub.add_parser("report", help="the auditors' data-quality report (static HTML, works offline)")
    report.add_argument("--day", type=date.fromisoformat, required=True, help="the day to report, YYYY-MM-DD")
    report.add_argument("--out", type=Path, default=Path("var/reports"), help="folder to write into")
    report.add_argument("--days", type=int, default=30, help="length of the trend period (default 30)")


def run_quality_command(args: argparse.Namespace, engine: sa.Engine) -> tuple[int, object]:
    """Run one of :data:`COMMANDS`; return the exit code and what to print as JSON (``None``: nothing)."""
    from warehouse.quality.holds import reject_batch, release_batch
    from warehouse.quality.validation import batch_overview, held_batches

    if args.command == "report":
        from warehouse.quality.audit_report import write_report

        path = write_report(engine, args.day, args.out, days=args.days)
        print(f"auditor report: {path}")
        return 0, None
    try:
        if args.command == "files":
            return 0, _run_files(args, engine)
        if args.action == "show":
            result: Any = batch_overview(engine, args.batch_id)
        elif args.action == "held":
            result = held_batches(engine)
        elif args.action == "release":
            result = {
                "released": args.batch_id,
                "counts": release_batch(engine, args.batch_id, args.by, args.reason),
            }
        else:
            result = {
                "rejected": args.batch_id,
                "counts": reject_batch(engine, args.batch_id, args.by, args.reason),
            }
    except (KeyError, LookupError, ValueError) as exc:
        print(exc.args[0], file=sys.stderr)
        return 1, None
    return 0, result


def _run_files(args: argparse.Namespace, engine: sa.Engine) -> Any:
    from warehouse.load.files import release_file, set_aside_registry

    if args.action == "set-aside":
        return set_aside_registry(engine, args.source)
    released = release_file(engine, args.source, args.file)
    return {
        "released": released["file_name"],
        "sha256": released["sha256"],
        "next": f"put the file (fixed, or as it was once the reader is fixed) back in the {args.source} drop",
    }
