"""``python -m dashboards export [--check]``: write the Superset bundle, or check the committed one is current."""

from __future__ import annotations

import argparse
import sys

from dashboards.bundle import ASSETS, stale, write


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dashboards", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    export = commands.add_parser("export", help=f"write the bundle's YAML into {ASSETS}")
    export.add_argument("--check", action="store_true", help="write nothing; exit 1 if the bundle is stale")
    args = parser.parse_args(argv)
    if args.check:
        differing = stale()
        for path in differing:
            print(f"stale: {path}", file=sys.stderr)
        return 1 if differing else 0
    for path in write():
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
