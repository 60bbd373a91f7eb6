"""Command line: ``python -m simulators generate ...`` and ``... serve ...``."""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import threading
import time
from datetime import date
from pathlib import Path
from types import FrameType

from simulators.knobs import WorldKnobs
from simulators.server import SimulatorServer
from simulators.world import generate_world
from simulators.writers import write_sources


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m simulators", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    gen = commands.add_parser("generate", help="generate a world and write every source under --out")
    gen.add_argument("--seed", type=int, default=7)
    gen.add_argument("--records", type=int, default=5000, help="total records across the four sources")
    gen.add_argument(
        "--start", type=date.fromisoformat, default=date(2026, 11, 20), help="first day, YYYY-MM-DD"
    )
    gen.add_argument("--days", type=int, default=1)
    gen.add_argument("--out", type=Path, default=Path("var/sources"))
    gen.add_argument(
        "--knob", action="append", default=[], metavar="NAME=VALUE",
        help="set a world knob (simulators/knobs.py, docs/simulator-worlds.md); repeatable",
    )  # fmt: skip
    serve = commands.add_parser("serve", help="serve the hotline and app APIs of a generated directory")
    serve.add_argument("--data", type=Path, default=Path("var/sources"))
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8765, help="0 picks a free port")
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
    text = value if value.lstrip().startswith(("[", "{")) else Path(value).read_text(encoding="utf-8")
    return json.loads(text)


def _generate(args: argparse.Namespace) -> int:
    try:
        knobs = WorldKnobs().with_overrides(args.knob)
    except ValueError as error:
        print(f"python -m simulators generate: {error}", file=sys.stderr)
        return 2
    began = time.perf_counter()
    world = generate_world(
        seed=args.seed, n_records=args.records, start=args.start, days=args.days, knobs=knobs
    )
    generated = time.perf_counter()
    manifest = write_sources(world, args.out)
    done = time.perf_counter()
    summary = {"out": str(args.out), "counts": manifest["counts"], "defects": manifest["defect_totals"],
               "generate_seconds": round(generated - began, 2), "write_seconds": round(done - generated, 2)}  # fmt: skip
    print(json.dumps(summary, ensure_ascii=False))
    return 0


def _serve(args: argparse.Namespace) -> int:
    token = os.environ.get("HUB_SIM_TOKEN")
    if not token:
        print("HUB_SIM_TOKEN must be set to the hotline API's bearer token", file=sys.stderr)
        return 2
    stopping = threading.Event()

    def _stop(signum: int, frame: FrameType | None) -> None:
        stopping.set()

    signal.signal(signal.SIGINT, _stop)
    signal.signal(signal.SIGTERM, _stop)
    server = SimulatorServer(
        args.data,
        host=args.host,
        port=args.port,
        token=token,
        api_key=args.api_key,
        faults=_fault_plan(args.faults),
    ).start()
    try:
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
    """Run the command line; returns the exit status."""
    args = _parser().parse_args(argv)
    return _generate(args) if args.command == "generate" else _serve(args)


if __name__ == "__main__":
    sys.exit(main())
