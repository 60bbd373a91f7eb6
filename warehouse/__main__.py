"""Operator commands: `python -m warehouse {migrate,case,quarantined,review,batch,report,roles,dictionary,
query,rehash}`."""

from __future__ import annotations

import argparse
import json
import sys

from warehouse._pool_cli import COMMANDS as POOL_COMMANDS
from warehouse._pool_cli import add_pool_commands, run_pool_command
from warehouse._quality_cli import COMMANDS as QUALITY_COMMANDS
from warehouse._quality_cli import add_quality_commands, run_quality_command
from warehouse.engine import database_url, make_engine, migrate
from warehouse.lineage import case_lineage, quarantined_row
from warehouse.pool import record_review


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m warehouse", description=__doc__)
    parser.add_argument("--url", default=None, help="warehouse URL (default: HUB_DATABASE_URL or var/hub.db)")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("migrate", help="upgrade the schema to the latest migration")
    case = sub.add_parser("case", help="a case's members, raw payloads, batches, evidence and history")
    case.add_argument("case_id")
    quarantined = sub.add_parser("quarantined", help="why a source record was quarantined, with its payload")
    quarantined.add_argument("record_id", help="<source>:<source_record_id>")
    review = sub.add_parser("review", help="record a reviewer's decision on a pair of records")
    review.add_argument("record_id_l")
    review.add_argument("record_id_r")
    review.add_argument("decision", choices=("same", "different"))
    review.add_argument("--reviewer", required=True)
    review.add_argument("--reason")
    add_quality_commands(sub)
    add_pool_commands(sub)
    args = parser.parse_args(argv)

    url = args.url or database_url()
    if args.command == "migrate":
        migrate(url)
        print(f"warehouse at {make_engine(url).url.render_as_string(hide_password=True)} is current")
        return 0
    engine = make_engine(url)
    result: object
    if args.command in QUALITY_COMMANDS:
        code, result = run_quality_command(args, engine)
        if result is None:
            return code
    elif args.command in POOL_COMMANDS:
        code, result = run_pool_command(args, engine)
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


if __name__ == "__main__":
    raise SystemExit(main())
