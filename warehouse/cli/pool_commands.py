"""The pool's operator commands: `roles`, `dictionary`, `query`, `rehash` and `reblock`
(``python -m warehouse``)."""

from __future__ import annotations

import argparse
import os
import secrets
import sys
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from warehouse.cli.location import UsageError
from warehouse.pool.rehash import BlockingKeys

COMMANDS = ("roles", "dictionary", "query", "rehash", "reblock")


def add_pool_commands(sub: Any) -> None:
    """Register the commands on the ``python -m warehouse`` subparsers."""
    roles = sub.add_parser(
        "roles", help="create the loader, reader and auditor roles and grant them (PostgreSQL)"
    )
    for kind in ("loader", "reader", "auditor"):
        roles.add_argument(
            f"--{kind}", help=f"the {kind} role's name (default: HUB_ROLE_{kind.upper()} or hub_{kind})"
        )
    dictionary = sub.add_parser(
        "dictionary", help="write the read contract's data dictionary from the live schema"
    )
    dictionary.add_argument("--out", type=Path, default=Path("docs/data_dictionary.md"))
    query = sub.add_parser("query", help="run one of warehouse/queries/*.sql")
    query.add_argument("name")
    query.add_argument("params", nargs="*", help="name=value parameters")
    sub.add_parser(
        "reblock",
        help="recompute the pooled records' blocking keys (after the matcher's blocking rules change)",
    )
    rehash = sub.add_parser("rehash", help="move every keyed hash to a new key, in one transaction")
    rehash.add_argument(
        "--new-key-env",
        metavar="VAR",
        help="environment variable holding the new key (default, for the embedded key file: "
        "a new random key written to the key file once the warehouse is moved)",
    )


def run_pool_command(
    args: argparse.Namespace, engine: sa.Engine, blocking_keys: BlockingKeys | None = None
) -> tuple[int, object]:
    """Run a pool command; returns the exit code and what to print as JSON (``None``: printed already).

    Args:
        args: the parsed command line.
        engine: the warehouse.
        blocking_keys: the matcher's blocking keys, which ``rehash`` needs (see ``warehouse/__main__.py``).

    Raises:
        UsageError: an unknown query, a parameter missing, unknown or not ``name=value``.
    """
    if args.command == "roles":
        from warehouse.access.roles import RoleNames, setup_roles

        env = RoleNames.from_env()
        names = RoleNames(args.loader or env.loader, args.reader or env.reader, args.auditor or env.auditor)
        return 0, setup_roles(engine, names)
    if args.command == "dictionary":
        from warehouse.access.dictionary import write_dictionary

        missing = write_dictionary(engine, args.out)
        if missing:
            print(f"undocumented view columns: {', '.join(missing)}", file=sys.stderr)
        print(f"wrote {args.out}")
        return (1 if missing else 0), None
    if args.command == "query":
        from warehouse.queries import run_query

        return 0, run_query(engine, args.name, **_query_params(args.name, args.params))
    if blocking_keys is None:
        raise UsageError(
            f"{args.command} needs the matcher's blocking keys: run it as `python -m warehouse {args.command}`"
        )
    if args.command == "reblock":
        from warehouse.pool.rehash import reblock

        return 0, reblock(engine, blocking_keys)
    return _rehash(args, engine, blocking_keys)


def _query_params(name: str, given: list[str]) -> dict[str, str]:
    """``name=value`` arguments of query ``name``, checked against the parameters its SQL takes."""
    from warehouse.queries import query_names, query_parameters

    if name not in query_names():
        raise UsageError(f"no query {name!r} (known: {', '.join(query_names())})")
    malformed = [p for p in given if "=" not in p]
    if malformed:
        raise UsageError(f"parameters are name=value, not {' '.join(malformed)}")
    params = dict(p.split("=", 1) for p in given)
    wanted = query_parameters(name)
    missing = [p for p in wanted if p not in params]
    if missing:
        raise UsageError(f"query {name!r} needs {' '.join(f'{p}=...' for p in missing)}")
    unknown = sorted(set(params) - set(wanted))
    if unknown:
        raise UsageError(
            f"query {name!r} takes no {', '.join(unknown)} (it takes: {', '.join(wanted) or 'none'})"
        )
    return params


def _rehash(args: argparse.Namespace, engine: sa.Engine, blocking_keys: BlockingKeys) -> tuple[int, object]:
    from warehouse.access.hashing import CONNECTION_ENV, KEY_ENV, KEY_FILE, MIN_KEY_LENGTH
    from warehouse.engine import data_dir
    from warehouse.pool.rehash import rehash

    if args.new_key_env:
        new_key, key_file = os.environ.get(args.new_key_env, ""), None
    elif os.environ.get(KEY_ENV) or os.environ.get(CONNECTION_ENV):
        print(
            f"the key comes from {KEY_ENV} or the Airflow connection: pass the new one with --new-key-env",
            file=sys.stderr,
        )
        return 2, None
    else:
        new_key, key_file = secrets.token_hex(32), data_dir() / KEY_FILE
    if len(new_key) < MIN_KEY_LENGTH:
        print(f"the new key must have at least {MIN_KEY_LENGTH} characters", file=sys.stderr)
        return 2, None
    staged = None
    if key_file is not None:  # written first, moved into place only once the warehouse is moved
        staged = key_file.with_name(key_file.name + ".new")
        fd = os.open(staged, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(new_key + "\n")
    counts: dict[str, Any] = dict(rehash(engine, new_key.encode("utf-8"), blocking_keys))
    if staged is not None and key_file is not None:
        os.replace(staged, key_file)
        counts["key_file"] = str(key_file)
    else:
        counts["next"] = f"set {KEY_ENV} (or the hub_hash_key connection) to the new key before the next run"
    return 0, counts
