"""``hub COMMAND ...``: dispatch to the command line of the package that owns the command.

Each package keeps its own ``__main__.main(argv) -> int`` (``python -m warehouse`` still works); this
module only picks one and imports it when chosen, so ``hub sim`` never pays for the imports of the others.
"""

from __future__ import annotations

import argparse
import importlib
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

# command -> (module whose main(argv) runs it, help line)
PACKAGES: dict[str, tuple[str, str]] = {
    "warehouse": ("warehouse.__main__", "migrate; lineage, quarantine, quality reports; the pool's roles and queries"),
    "match": ("matching.__main__", "dedupe a CSV into cases; evaluate; an HTML report; propose pairs to label"),
    "alerts": ("alerting.__main__", "time-limit clocks and 三色三单 warnings, delivery, bulletins, the working-day calendar"),
    "sim": ("simulators.__main__", "generate the simulated sources; serve their hotline and app APIs"),
    "console": ("console.__main__", "the clerks' and auditors' web console: serve it, add a user"),
}  # fmt: skip
SHORTCUTS: dict[str, str] = {
    "review": "the review queue, verdicts on pairs, corrections of cases: list|show|decide|split|merge|move",
    "demo": "simulate the sources, run the DAGs with `airflow dags test`, summarise (make demo)",
}
# The demo is a script of the source checkout, not part of an installed package.
DEMO = Path(__file__).resolve().parents[1] / "scripts" / "demo.py"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="hub",
        description="Operator commands of the complaint data hub.",
        epilog="`hub COMMAND --help` shows a command's own options.",
        formatter_class=lambda prog: argparse.HelpFormatter(prog, max_help_position=18, width=100),
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, (_, text) in PACKAGES.items():
        commands.add_parser(name, help=text, add_help=False)
    for name, text in SHORTCUTS.items():
        commands.add_parser(name, help=text, add_help=False)
    return parser


def review_argv(rest: Sequence[str]) -> list[str]:
    """The warehouse's arguments for ``hub review ...``: its ``--url`` option moves before the sub-command.

    Args:
        rest: the arguments after ``review``.

    Returns:
        ``[--url URL] review <the other arguments>``.
    """
    front: list[str] = []
    back: list[str] = []
    args = iter(rest)
    for arg in args:
        if arg == "--url":
            front.append(arg)
            value = next(args, None)  # none left: argparse reports the missing value
            front.extend([] if value is None else [value])
        elif arg.startswith("--url="):
            front.append(arg)
        else:
            back.append(arg)
    return [*front, "review", *back]


def _run_package(module: str, argv: list[str]) -> int:
    status: int = importlib.import_module(module).main(argv)
    return status


def _run_demo(argv: list[str]) -> int:
    if not DEMO.is_file():
        print(f"hub: error: the demo needs the source checkout ({DEMO} not found)", file=sys.stderr)
        return 2
    return subprocess.call([sys.executable, str(DEMO), *argv])


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``hub COMMAND ...``.

    Args:
        argv: arguments without the program name (default ``sys.argv[1:]``).

    Returns:
        The exit status of the command (2 for a usage error, as argparse).
    """
    args = list(sys.argv[1:] if argv is None else argv)
    parser = _parser()
    if not args or args[0] not in {**PACKAGES, **SHORTCUTS}:
        parser.parse_args(args[:1])  # exits: the help (0) or the usage error (2)
        parser.error(f"unknown command {args[0]!r}")
    command, rest = args[0], args[1:]
    try:
        if command == "review":
            return _run_package(PACKAGES["warehouse"][0], review_argv(rest))
        if command == "demo":
            return _run_demo(rest)
        return _run_package(PACKAGES[command][0], rest)
    except KeyboardInterrupt:  # an operator's Ctrl-C is an answer, not a crash
        print(f"hub {command}: interrupted", file=sys.stderr)
        return 130
