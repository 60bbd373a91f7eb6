"""The reviewers' commands: `review list|show|decide|split|merge|move|confirm` (``python -m warehouse``).

The older form `review RECORD_ID_L RECORD_ID_R same|different --reviewer NAME` stays (``main.py``); a
verb right after `review` selects these. Text for people by default, ``--json`` for tools.
"""

from __future__ import annotations

import argparse
import json
import sys
import unicodedata
from collections.abc import Sequence
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, NoReturn

import sqlalchemy as sa

from warehouse.review import (
    ROLES,
    VERDICTS,
    InvalidInput,
    confirm_case,
    decide,
    decide_bulk,
    merge_cases,
    move_record,
    review_item,
    review_queue,
    split_case,
)

VERBS = ("list", "show", "decide", "split", "merge", "move", "confirm")
BEIJING = timezone(timedelta(hours=8), "Asia/Shanghai")
PROG = "python -m warehouse review"


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see --help)\n")


def review_parser() -> argparse.ArgumentParser:
    """The verbs' command line (``--url`` goes before ``review``)."""
    parser = _Parser(prog=PROG, description="The review queue, verdicts on pairs and corrections of cases.")
    verbs = parser.add_subparsers(dest="verb", required=True, parser_class=_Parser)
    listing = verbs.add_parser("list", help="what waits for a reviewer, most pool-changing first")
    listing.add_argument("--limit", type=int, default=20)
    listing.add_argument("--offset", type=int, default=0)
    listing.add_argument("--kind", choices=("pair", "case"), help="only pairs or only suspect cases")
    show = verbs.add_parser("show", help="one item: two records side by side, or a suspect case")
    show.add_argument("item", nargs="+", help="an item id (pair:L|R, case:ID) or two record ids")
    for sub in (listing, show):
        sub.add_argument(
            "--role", choices=ROLES, default="reader", help="how records are masked (default reader)"
        )
    decide_ = verbs.add_parser("decide", help="a verdict on a pair, or every verdict of a CSV (--csv)")
    decide_.add_argument("pair", nargs="*", metavar="RECORD_ID_L RECORD_ID_R VERDICT")
    decide_.add_argument("--csv", type=Path, help="record_id_l,record_id_r,decision[,reason]: all or nothing")
    decide_.add_argument("--no-apply", action="store_true", help="same: record only, do not merge the cases")
    split = verbs.add_parser("split", help="take records out of a case into a new case")
    split.add_argument("case_id")
    split.add_argument("record_ids", nargs="+")
    merge = verbs.add_parser("merge", help="merge two cases (the older survives)")
    merge.add_argument("case_a")
    merge.add_argument("case_b")
    move = verbs.add_parser("move", help="move a record to another case")
    move.add_argument("record_id")
    move.add_argument("to_case_id")
    confirm = verbs.add_parser("confirm", help="confirm a suspect case as it is")
    confirm.add_argument("case_id")
    for sub in (decide_, split, merge, move, confirm):
        sub.add_argument("--reviewer", required=True, help="who decides (name or account)")
        sub.add_argument("--reason", required=sub is not decide_, help="why, for the auditors")
    for sub in (listing, show, decide_, split, merge, move, confirm):
        sub.add_argument("--json", action="store_true", help="print JSON (for tools)")
    return parser


def verb_position(argv: Sequence[str]) -> int | None:
    """Where the verb is when ``argv`` is ``[--url URL] review VERB ...``, else ``None``."""
    i = 0
    while i < len(argv) and argv[i].startswith("--url"):
        i += 1 if "=" in argv[i] else 2
    if i + 1 < len(argv) and argv[i] == "review" and argv[i + 1] in VERBS:
        return i + 1
    return None


def run_review_verb(argv: Sequence[str], engine_for: Any) -> int:
    """Parse and run a verb; ``engine_for(verb)`` gives the warehouse. Returns the exit code."""
    args = review_parser().parse_args(list(argv))
    try:
        result = _run(args, engine_for(args.verb))
    except InvalidInput as exc:
        print(f"{PROG} {args.verb}: {exc}", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2, default=str))
    else:
        print(_text(args.verb, result))
    return 1 if result.get("errors") else 0


def _run(args: argparse.Namespace, engine: sa.Engine) -> dict[str, Any]:
    verb = args.verb
    if verb == "list":
        return review_queue(engine, role=args.role, limit=args.limit, offset=args.offset, kind=args.kind)
    if verb == "show":
        item = args.item[0] if len(args.item) == 1 else f"pair:{args.item[0]}|{args.item[1]}"
        if len(args.item) > 2:
            raise InvalidInput("show takes one item id or two record ids")
        return review_item(engine, item, role=args.role)
    if verb == "decide":
        return _decide(args, engine)
    if verb == "split":
        return split_case(engine, args.case_id, args.record_ids, args.reviewer, args.reason)
    if verb == "merge":
        return merge_cases(engine, args.case_a, args.case_b, args.reviewer, args.reason)
    if verb == "move":
        return move_record(engine, args.record_id, args.to_case_id, args.reviewer, args.reason)
    return confirm_case(engine, args.case_id, args.reviewer, args.reason)


def _decide(args: argparse.Namespace, engine: sa.Engine) -> dict[str, Any]:
    if args.csv is not None:
        if args.pair:
            raise InvalidInput("give either a pair and its verdict or --csv, not both")
        return decide_bulk(engine, args.csv, args.reviewer, apply=not args.no_apply)
    if len(args.pair) != 3 or args.pair[2] not in VERDICTS:
        raise InvalidInput(f"decide takes RECORD_ID_L RECORD_ID_R {{{','.join(VERDICTS)}}} (or --csv FILE)")
    left, right, verdict = args.pair
    return decide(engine, left, right, verdict, args.reviewer, args.reason, apply=not args.no_apply)


def _text(verb: str, result: dict[str, Any]) -> str:
    """What a person reads."""
    if verb == "list":
        return _queue_text(result)
    if verb == "show":
        return _pair_text(result) if result["kind"] == "pair" else _case_text(result)
    if verb == "decide":
        if "errors" in result:
            lines = [f"line {e['line']}: {e['error']}" for e in result["errors"]]
            head = f"recorded {result['recorded']} verdict(s), {result['merges']} merge(s); skipped {result['skipped']} undecided"
            return "\n".join([head if not lines else "nothing recorded:", *lines])
        merged = result["merge"]
        tail = f"; merged {merged['other_case_id']} into {merged['case_id']}" if merged else ""
        return f"recorded {result['recorded']} for {' and '.join(result['pair'])}{tail}"
    what = {"split": "split {r} out of {c} into new case {o}", "merge": "merged {o} into {c} ({r})",
            "move": "moved {r} from {c} to {o}", "confirm": "confirmed {c} ({r})"}[verb]  # fmt: skip
    text = what.format(c=result["case_id"], o=result["other_case_id"], r=", ".join(result["record_ids"]))
    return f"correction {result['correction_id']}: {text}"


def _queue_text(result: dict[str, Any]) -> str:
    lines = [f"{result['total']} item(s) waiting", f"{'priority':>9}  {'records':>7}  item"]
    for item in result["items"]:
        if item["kind"] == "pair":
            left, right = item["records"]
            detail = (f"p={item['match_probability']:.2f} ({item['n_pairs']} pair(s))  {left['source']} {left['name'] or '-'} | "
                      f"{right['source']} {right['name'] or '-'}")  # fmt: skip
        else:
            detail = "signals: " + ", ".join(item["signals"])
        lines.append(f"{item['priority']:>9.3f}  {item['n_records']:>7}  {item['item_id']}  {detail}")
    return "\n".join(lines)


def _shown(value: Any) -> str:
    """A value as a person reads it: times in Beijing time, absent values as ``-``."""
    if isinstance(value, datetime):
        return value.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M")
    return "-" if value is None or value == "" else str(value)


def _columns(text: str) -> int:
    """Terminal columns ``text`` takes (a Chinese character takes two)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    """``text`` padded to ``width`` terminal columns (at least one space after it)."""
    return text + " " * max(width - _columns(text), 1)


def _cut(text: str, width: int = 40) -> str:
    """``text`` cut to ``width`` terminal columns (``--json`` gives it whole)."""
    if _columns(text) <= width:
        return text
    while _columns(text) > width - 1:
        text = text[:-1]
    return text + "…"


def _pair_text(item: dict[str, Any]) -> str:
    left, right = item["records"]
    fields = [f for f in left if f != "record_id"]
    width = max(_columns(_cut(_shown(left.get(f)))) for f in [*fields, "record_id"]) + 2
    lines = [item["item_id"], _pad("", 18) + _pad(left["record_id"], width) + right["record_id"]]
    lines += [
        _pad(f, 18) + _pad(_cut(_shown(left.get(f))), width) + _cut(_shown(right.get(f))) for f in fields
    ]
    same = {k: item[k] for k in ("same_phone", "same_id_number", "same_name")}
    lines.append("shared: " + ", ".join(f"{k.removeprefix('same_')}={_shown(v)}" for k, v in same.items()))
    if item["levels"] is not None:
        levels = ", ".join(f"{k}={v}" for k, v in item["levels"].items())
        lines.append(
            f"model: {item['decision']}  p={item['match_probability']:.3f}  weight={item['match_weight']:.2f}"
        )
        lines.append(f"levels (higher is closer, -1 null): {levels}")
    if item["verdict"]:
        v = item["verdict"]
        lines.append(f"verdict: {v['decision']} by {v['reviewer']} ({v['reason'] or 'no reason'})")
    return "\n".join(lines)


def _case_text(item: dict[str, Any]) -> str:
    case = item["case"]
    lines = [f"{item['item_id']}  {case['status']}  {case['n_records']} records on {case['channels']}",
             "signals: " + (", ".join(item["signals"]) or "none")]  # fmt: skip
    lines += [
        f"  {_pad(m['record_id'], 28)}{_shown(m['reported_at'])}  {_pad(_shown(m['name']), 8)}"
        f"{_pad(_shown(m['phone']), 13)}{_pad(_shown(m['category']), 10)}{_cut(m['content'] or '', 36)}"
        for m in item["members"]
    ]
    lines += [f"  history: {h['event']} {h['related_id']}" for h in item["history"][-5:]]
    return "\n".join(lines)
