"""Command line: ``python -m simulators generate ...`` and ``... serve ...``.

Exit status: 0 done; 2 the command line cannot be followed (an unknown command or option, a bad number or
day, an output path that is a file, a data folder that does not exist, a fault plan that cannot be read or
followed, a port that cannot be bound, no ``HUB_SIM_TOKEN``), with a one-line message on stderr.
``generate`` shows its stages on stderr, only on a terminal (``--progress`` / ``--no-progress`` decide).
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from types import FrameType

from hub.progress import stage, stages
from simulators.faults import FaultPlanError
from simulators.knobs import WorldKnobs
from simulators.server import SimulatorServer
from simulators.world import generate_world
from simulators.writers import write_sources

PROG = "python -m simulators"


class _UsageError(Exception):
    """The command cannot be followed as given: exit 2 with the message, no traceback."""


def _at_least(low: int) -> Callable[[str], int]:
    def parse(value: str) -> int:
        try:
            number = int(value)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a whole number: {value!r}") from None
        if number < low:
            raise argparse.ArgumentTypeError(f"must be at least {low}: {value}")
        return number

    return parse


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a day (YYYY-MM-DD): {value!r}") from None


def _port(value: str) -> int:
    port = _at_least(0)(value)
    if port > 65535:
        raise argparse.ArgumentTypeError(f"not a TCP port: {value}")
    return port


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=PROG, description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    gen = commands.add_parser("generate", help="generate a world and write every source under --out")
    gen.add_argument("--seed", type=int, default=7)
    gen.add_argument(
        "--records", type=_at_least(0), default=5000, help="total records across the four sources"
    )
    gen.add_argument("--start", type=_day, default=date(2026, 11, 20), help="first day, YYYY-MM-DD")
    gen.add_argument("--days", type=_at_least(1), default=1)
    gen.add_argument("--out", type=Path, default=Path("var/sources"))
    gen.add_argument(
        "--knob", action="append", default=[], metavar="NAME=VALUE",
        help="set a world knob (simulators/knobs.py, docs/simulator-worlds.md); repeatable",
    )  # fmt: skip
    gen.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="show the stages on stderr (default: only on a terminal)",
    )
    serve = commands.add_parser("serve", help="serve the hotline and app APIs of a generated directory")
    serve.add_argument("--data", type=Path, default=Path("var/sources"))
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=_port, default=8765, help="0 picks a free port")
    serve.add_argument("--port-file", type=Path, help="also write the server's URL to this file")
    serve.add_argument(
        "--api-key", default=os.environ.get("HUB_SIM_API_KEY"), help="require this Open311 api_key"
    )
    serve.add_argument(
        "--faults",
        help="a fault plan to start with: a JSON file, or the JSON itself (see simulators/faults.py)",
    )
    return parser


def _fault_plan(value: str | None) -> object:
    if not value:
        return None
    try:
        text = value if value.lstrip().startswith(("[", "{")) else Path(value).read_text(encoding="utf-8")
        return json.loads(text)
    except (OSError, ValueError) as exc:  # JSONDecodeError is a ValueError
        raise _UsageError(f"--faults: cannot read the fault plan: {exc}") from None


def _generate(args: argparse.Namespace) -> int:
    if args.out.exists() and not args.out.is_dir():
        raise _UsageError(f"--out {args.out} is a file, not a folder")
    try:
        knobs = WorldKnobs().with_overrides(args.knob)
    except ValueError as error:
        raise _UsageError(str(error)) from error
    span = f"{args.records:,} records over {args.days} day(s) from {args.start} (seed {args.seed})"
    with stages(args.progress) as progress:
        began = time.perf_counter()
        with stage(progress, f"generating {span}"):
            world = generate_world(
                seed=args.seed, n_records=args.records, start=args.start, days=args.days, knobs=knobs
            )
        generated = time.perf_counter()
        with stage(progress, f"writing the sources under {args.out}"):
            manifest = write_sources(world, args.out)
        done = time.perf_counter()
    summary = {"out": str(args.out), "counts": manifest["counts"], "defects": manifest["defect_totals"],
               "generate_seconds": round(generated - began, 2), "write_seconds": round(done - generated, 2)}  # fmt: skip
    print(json.dumps(summary, ensure_ascii=False))
    return 0


def _server(args: argparse.Namespace, token: str) -> SimulatorServer:
    """The started server, or the usage error that prevents it."""
    if not args.data.is_dir():
        raise _UsageError(
            f"--data {args.data} is not a folder: run `{PROG} generate --out {args.data}` first"
        )
    try:
        server = SimulatorServer(
            args.data,
            host=args.host,
            port=args.port,
            token=token,
            api_key=args.api_key,
            faults=_fault_plan(args.faults),
        )
    except FaultPlanError as exc:
        raise _UsageError(f"--faults: {exc}") from None
    try:
        return server.start()
    except OSError as exc:  # the port is taken, the host is not an address of this machine, ...
        raise _UsageError(
            f"cannot serve {args.data} on {args.host}:{args.port}: {exc.strerror or exc}"
        ) from None


def _serve(args: argparse.Namespace) -> int:
    token = os.environ.get("HUB_SIM_TOKEN")
    if not token:
        raise _UsageError("HUB_SIM_TOKEN must be set to the hotline API's bearer token")
    stopping = threading.Event()

    def _stop(signum: int, frame: FrameType | None) -> None:
        stopping.set()

    server = _server(args, token)
    try:
        # Only now: a command that failed to start must not leave its handlers in the caller (tests).
        signal.signal(signal.SIGINT, _stop)
        signal.signal(signal.SIGTERM, _stop)
        print(server.url, flush=True)
        if args.port_file:
            tmp = args.port_file.with_name(args.port_file.name + ".tmp")
            tmp.write_text(server.url + "\n", encoding="utf-8")
            os.replace(tmp, args.port_file)
        while not stopping.wait(0.5):
            pass
    finally:
        server.stop()
    return 0


def main(argv: list[str] | None = None) -> int:
    """Parse ``argv`` and run the sub-command.

    Args:
        argv: arguments without the program name (default ``sys.argv[1:]``).

    Returns:
        The exit status.
    """
    args = _parser().parse_args(argv)
    try:
        return _generate(args) if args.command == "generate" else _serve(args)
    except _UsageError as exc:
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
