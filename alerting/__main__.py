"""Operator commands: `python -m alerting {run,bulletin,calendar}`."""

from __future__ import annotations

import argparse
import json
from datetime import date, datetime
from pathlib import Path

from alerting.bulletin import write_bulletins
from alerting.calendar import WorkingCalendar
from alerting.run import run_alerts
from warehouse.engine import data_dir, database_url, make_engine


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m alerting", description=__doc__)
    parser.add_argument("--url", default=None, help="warehouse URL (default: HUB_DATABASE_URL or var/hub.db)")
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="evaluate the clocks and the 三色三单 rules at a reference time")
    run.add_argument(
        "--as-of",
        required=True,
        type=datetime.fromisoformat,
        help="reference time with its offset, e.g. 2026-11-21T00:00+08:00 (the pool's interval end)",
    )
    run.add_argument("--run-id", default="cli")
    bulletin = sub.add_parser(
        "bulletin", help="write the day's bulletins (daily per district, weekly, monthly)"
    )
    bulletin.add_argument(
        "--day", required=True, type=date.fromisoformat, help="Beijing day, e.g. 2026-11-20"
    )
    bulletin.add_argument("--out", type=Path, default=None, help="folder (default: <data dir>/bulletins)")
    calendar = sub.add_parser("calendar", help="is a day a working day (official calendar + overrides)?")
    calendar.add_argument("days", nargs="+", type=date.fromisoformat)
    args = parser.parse_args(argv)

    if args.command == "calendar":
        cal = WorkingCalendar()
        for day in args.days:
            print(f"{day} {day:%a} {'workday' if cal.is_workday(day) else 'day off'}")
        return 0
    engine = make_engine(args.url or database_url())
    if args.command == "run":
        if args.as_of.tzinfo is None:
            parser.error("--as-of needs a UTC offset, e.g. 2026-11-21T00:00+08:00")
        print(json.dumps(run_alerts(engine, args.as_of, args.run_id), ensure_ascii=False, indent=2))
    else:
        paths = write_bulletins(engine, args.day, args.out or data_dir() / "bulletins")
        print(json.dumps({k: str(v) for k, v in paths.items()}, ensure_ascii=False, indent=2))
    engine.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
