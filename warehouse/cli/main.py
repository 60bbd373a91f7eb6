"""Operator commands: `python -m warehouse {migrate,case,quarantined,review,batch,files,report,roles,dictionary,
query,rehash,reblock}`."""

from __future__ import annotations

import argparse
import json
import sys
from typing import NoReturn

import sqlalchemy as sa

from warehouse.cli.location import UsageError, resolve_url
from warehouse.cli.pool_commands import COMMANDS as POOL_COMMANDS
from warehouse.cli.pool_commands import add_pool_commands, run_pool_command
from warehouse.cli.quality_commands import COMMANDS as QUALITY_COMMANDS
from warehouse.cli.quality_commands import add_quality_commands, run_quality_command
from warehouse.cli.review_commands import VERBS, run_review_verb, verb_position
from warehouse.engine import make_engine, migrate
from warehouse.pool.lineage import case_lineage, quarantined_row
from warehouse.pool.pooling import record_review
from warehouse.pool.rehash import BlockingKeys

PROG = "python -m warehouse"


class _Parser(argparse.ArgumentParser):
    """A usage error is one line on stderr and exit code 2 (argparse's code), without the usage dump."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see --help)\n")


def build_parser() -> argparse.ArgumentParser:
    """The command line: every sub-command and its arguments."""
    parser = _Parser(prog=PROG, description=__doc__)
    parser.add_argument("--url", default=None, help="warehouse URL (default: HUB_DATABASE_URL or var/hub.db)")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("migrate", help="upgrade the schema to the latest migration")
    case = sub.add_parser("case", help="a case's members, raw payloads, batches, evidence and history")
    case.add_argument("case_id")
    quarantined = sub.add_parser("quarantined", help="why a source record was quarantined, with its payload")
    quarantined.add_argument("record_id", help="<source>:<source_record_id>")
    review = sub.add_parser(
        "review",
        help="the review queue and corrections: review {list,show,decide,split,merge,move,confirm} ...; "
        "or record a verdict: review L R same|different --reviewer NAME",
        description=f"Record a verdict on a pair. The queue and corrections: review {{{','.join(VERBS)}}} "
        "(`review list --help` ...).",
    )
    review.add_argument("record_id_l")
    review.add_argument("record_id_r")
    review.add_argument("decision", choices=("same", "different"))
    review.add_argument("--reviewer", required=True)
    review.add_argument("--reason")
    add_quality_commands(sub)
    add_pool_commands(sub)
    return parser


def main(argv: list[str] | None = None, *, blocking_keys: BlockingKeys | None = None) -> int:
    """Run one operator command.

    Args:
        argv: the arguments (default: ``sys.argv[1:]``).
        blocking_keys: the matcher's blocking keys of pooled records, which ``rehash`` and ``reblock`` recompute; the
            program (``warehouse/__main__.py``) passes them, the warehouse library does not know them.

    Returns:
        The exit code: 0 done, 1 the command failed (e.g. an unknown case), 2 a usage error.
    """
    argv = list(sys.argv[1:] if argv is None else argv)
    verb = verb_position(argv)
    if verb is not None:  # review list|show|decide|...: the URL options come first
        url = build_parser().parse_args([*argv[: verb - 1], "migrate"]).url
        try:
            return run_review_verb(argv[verb:], lambda command: make_engine(resolve_url(url, command)))
        except UsageError as exc:
            print(f"{PROG}: error: {exc}", file=sys.stderr)
            return 2
    args = build_parser().parse_args(argv)
    try:
        url = resolve_url(args.url, args.command)
        if args.command == "migrate":
            migrate(url)
            print(f"warehouse at {make_engine(url).url.render_as_string(hide_password=True)} is current")
            return 0
        return _run(args, make_engine(url), blocking_keys)
    except UsageError as exc:
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return 2


def _run(args: argparse.Namespace, engine: sa.Engine, blocking_keys: BlockingKeys | None) -> int:
    result: object
    if args.command in QUALITY_COMMANDS:
        code, result = run_quality_command(args, engine)
        if result is None:
            return code
    elif args.command in POOL_COMMANDS:
        code, result = run_pool_command(args, engine, blocking_keys)
        if result is None or code:
            return code
    elif args.command == "case":
        try:
            result = case_lineage(engine, args.case_id)
        except KeyError as exc:
            print(exc.args[0], file=sys.stderr)
            return 1
    elif args.command == "quarantined":
        source, _, source_record_id = args.record_id.partition(":")
        result = quarantined_row(engine, source, source_record_id)
    else:
        record_review(engine, args.record_id_l, args.record_id_r, args.decision, args.reviewer, args.reason)
        result = {"recorded": args.decision, "pair": sorted((args.record_id_l, args.record_id_r))}
    print(json.dumps(result, ensure_ascii=False, indent=2, default=str))
    return 0
