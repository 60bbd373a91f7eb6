"""Operator commands: `python -m alerting {run,deliver,bulletin,calendar}`.

Exit status: 0 done; 2 the command line cannot be followed (an unknown command or option, a malformed date
or time, a day of a year the working-day calendar does not know, no migrated warehouse at the URL), with a
one-line message on stderr.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date, datetime
from pathlib import Path

import sqlalchemy as sa

from alerting.bulletin import write_bulletins
from alerting.calendar import UnknownCalendarYear, WorkingCalendar
from alerting.delivery import DeliveryConfig, deliver_alerts
from alerting.run import run_alerts
from warehouse.engine import data_dir, database_url, make_engine

PROG = "python -m alerting"


class _UsageError(Exception):
    """The command cannot be followed as given: exit 2 with the message, no traceback."""


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a day (YYYY-MM-DD): {value!r}") from None


def _moment(value: str) -> datetime:
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an ISO 8601 time: {value!r}") from None
    if moment.tzinfo is None:
        raise argparse.ArgumentTypeError(f"{value!r} needs a UTC offset, e.g. 2026-11-21T00:00+08:00")
    return moment


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=PROG, description=__doc__.splitlines()[0])
    parser.add_argument("--url", default=None, help="warehouse URL (default: HUB_DATABASE_URL or var/hub.db)")
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="evaluate the clocks and the 三色三单 rules at a reference time")
    run.add_argument(
        "--as-of",
        required=True,
        type=_moment,
        help="reference time with its offset, e.g. 2026-11-21T00:00+08:00 (the pool's interval end)",
    )
    run.add_argument("--run-id", default="cli")
    deliver = sub.add_parser(
        "deliver", help="send the alert events not delivered yet, retry failed deliveries (docs/delivery.md)"
    )
    deliver.add_argument(
        "--config",
        type=Path,
        default=None,
        help="delivery file (default: HUB_DELIVERY_CONFIG or the shipped one)",
    )
    bulletin = sub.add_parser(
        "bulletin", help="write the day's bulletins (daily per district, weekly, monthly, quarterly)"
    )
    bulletin.add_argument("--day", required=True, type=_day, help="Beijing day, e.g. 2026-11-20")
    bulletin.add_argument("--out", type=Path, default=None, help="folder (default: <data dir>/bulletins)")
    calendar = sub.add_parser("calendar", help="is a day a working day (official calendar + overrides)?")
    calendar.add_argument("days", nargs="+", type=_day, metavar="DAY", help="YYYY-MM-DD")
    return parser


def _open_warehouse(url: str) -> sa.Engine:
    """The warehouse at ``url``, refusing one that does not exist or was never migrated (and never
    creating an empty SQLite file by connecting to it)."""
    try:
        engine = make_engine(url)
    except sa.exc.ArgumentError as exc:
        raise _UsageError(f"not a database URL (--url or HUB_DATABASE_URL): {exc}") from None
    shown = engine.url.render_as_string(hide_password=True)
    path = engine.url.database
    if engine.dialect.name == "sqlite" and path not in (None, "", ":memory:") and not Path(path).is_file():
        raise _UsageError(
            f"no warehouse at {path}: give --url or HUB_DATABASE_URL, or run `hub warehouse migrate`"
        )
    try:
        with engine.connect() as conn:
            migrated = sa.inspect(conn).has_table("alembic_version")
    except sa.exc.OperationalError as exc:
        raise _UsageError(
            f"cannot open the warehouse at {shown}: {' '.join(str(exc.orig).split())}"
        ) from None
    if not migrated:
        raise _UsageError(f"the warehouse at {shown} has no schema yet: run `hub warehouse migrate`")
    return engine


def _delivery_config(path: Path | None) -> DeliveryConfig:
    try:
        return DeliveryConfig.load(path)
    except (OSError, ValueError, TypeError) as exc:
        raise _UsageError(f"delivery configuration: {exc}") from None


def _calendar(days: list[date]) -> None:
    cal = WorkingCalendar()
    for day in days:
        print(f"{day} {day:%a} {'workday' if cal.is_workday(day) else 'day off'}")


def main(argv: list[str] | None = None) -> int:
    """Parse ``argv`` and run the sub-command.

    Args:
        argv: arguments without the program name (default ``sys.argv[1:]``).

    Returns:
        The exit status.
    """
    args = _parser().parse_args(argv)
    try:
        if args.command == "calendar":
            _calendar(args.days)
            return 0
        engine = _open_warehouse(args.url or database_url())
        if args.command == "run":
            result = run_alerts(engine, args.as_of, args.run_id)
        elif args.command == "deliver":
            result = deliver_alerts(engine, _delivery_config(args.config))
        else:
            paths = write_bulletins(engine, args.day, args.out or data_dir() / "bulletins")
            result = {kind: str(path) for kind, path in paths.items()}
        engine.dispose()
    except (_UsageError, UnknownCalendarYear) as exc:
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return 2
    print(json.dumps(result, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
