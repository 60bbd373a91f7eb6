"""``python -m console``: ``serve`` the console, or ``add-user`` to its users file."""

from __future__ import annotations

import argparse
import getpass
import os
import secrets
import sys

from console.settings import ConsoleSettings
from console.users import ROLES, add_user


def main(argv: list[str] | None = None) -> int:
    """Run one command; returns the exit code."""
    parser = argparse.ArgumentParser(prog="python -m console", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="serve the console (uvicorn)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8090)
    user = sub.add_parser(
        "add-user", help="add or replace a user (password from HUB_CONSOLE_PASSWORD or a prompt)"
    )
    user.add_argument("name")
    user.add_argument("--role", choices=ROLES, required=True)
    args = parser.parse_args(argv)
    settings = ConsoleSettings.from_env()
    if args.command == "add-user":
        password = os.environ.get("HUB_CONSOLE_PASSWORD") or getpass.getpass(f"password for {args.name}: ")
        try:
            add_user(settings.users_file, args.name, args.role, password)
        except ValueError as exc:
            print(exc, file=sys.stderr)
            return 2
        print(f"{args.name} ({args.role}) written to {settings.users_file}")
        return 0
    if not settings.users_file.exists():
        _first_users(settings)
    import uvicorn

    from console.app import create_app

    uvicorn.run(create_app(settings), host=args.host, port=args.port, log_level="info")
    return 0


def _first_users(settings: ConsoleSettings) -> None:
    """A first clerk and auditor with random passwords, shown once here (only their hashes are kept)."""
    print(f"no users yet: created {settings.users_file} with", file=sys.stderr)
    for name, role in (("clerk", "clerk"), ("auditor", "auditor")):
        password = secrets.token_urlsafe(12)
        add_user(settings.users_file, name, role, password)
        print(f"  {name} / {password}  ({role})", file=sys.stderr)
    print(
        "  (shown once; `python -m console add-user NAME --role ROLE` adds or resets a user)", file=sys.stderr
    )


if __name__ == "__main__":
    sys.exit(main())
