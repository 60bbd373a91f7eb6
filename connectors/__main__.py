"""``python -m connectors connections``: every registered source's Airflow connection to its simulator.

Used by compose's ``airflow-init`` (``--format json`` for ``airflow connections import``); the embedded
runner calls :func:`connectors.registry.airflow_connections` directly. The token is read from an
environment variable, never from the command line (which other users of the machine can see).
"""

from __future__ import annotations

import argparse
import json
import os
import sys

from connectors.registry import airflow_connections, stand_in_connections


def main(argv: list[str] | None = None) -> int:
    """Print the connections in the format asked for.

    Args:
        argv: the arguments after ``python -m connectors`` (default: the command line's).

    Returns:
        The exit code.
    """
    parser = argparse.ArgumentParser(prog="python -m connectors", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    conns = commands.add_parser("connections", help="the sources' Airflow connections to their simulators")
    conns.add_argument("--base-url", required=True, help="where the HTTP simulators serve")
    conns.add_argument("--data-dir", required=True, help="where the simulators write the other sources")
    conns.add_argument(
        "--token-env", default="HUB_SIM_TOKEN", help="the variable holding the simulators' token"
    )
    conns.add_argument(
        "--format",
        choices=("json", "env"),
        default="json",
        help="json: a file for `airflow connections import`; env: AIRFLOW_CONN_* lines",
    )
    args = parser.parse_args(argv)
    token = os.environ.get(args.token_env, "")
    if args.format == "json":
        found = stand_in_connections(base_url=args.base_url, token=token, data_dir=args.data_dir)
        print(json.dumps(found, ensure_ascii=False, indent=2))
    else:
        found_env = airflow_connections(base_url=args.base_url, token=token, data_dir=args.data_dir)
        sys.stdout.writelines(f"{name}={value}\n" for name, value in found_env.items())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
