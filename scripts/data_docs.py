"""Build GX Data Docs from the warehouse's stored validation runs, as a static site that works offline.

Usage: ``python scripts/data_docs.py [--day 2026-11-20] [--days 30] [--out var/reports/data_docs]``.
The site shows every suite and the validation runs of the batches whose windows start in the
``--days`` days ending with ``--day`` (default: all runs up to today). Scripts and styles GX would
fetch from CDNs are served from ``static/vendor/`` (fetched once from the npm registry into
``var/vendor/``); the command fails if any page would still load something from the network.
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")

SHANGHAI = ZoneInfo("Asia/Shanghai")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--url", default=None, help="warehouse URL (default: HUB_DATABASE_URL or var/hub.db)")
    parser.add_argument("--day", type=date.fromisoformat, default=None, help="last (Beijing) day included")
    parser.add_argument("--days", type=int, default=30, help="days of runs to include (default 30)")
    parser.add_argument("--out", type=Path, default=None, help="site folder (default: var/reports/data_docs)")
    args = parser.parse_args(argv)

    from expectations.docs import build_data_docs, external_loads
    from warehouse import make_engine
    from warehouse.engine import data_dir
    from warehouse.quality.validation import validation_runs

    last = args.day or datetime.now(UTC).astimezone(SHANGHAI).date()
    since = datetime.combine(last - timedelta(days=args.days - 1), time(), SHANGHAI)
    until = datetime.combine(last + timedelta(days=1), time(), SHANGHAI)
    engine = make_engine(args.url)
    runs = validation_runs(engine, since, until)
    engine.dispose()
    out = args.out or data_dir() / "reports" / "data_docs"
    index = build_data_docs(out, runs, data_dir() / "vendor")
    remote = external_loads(out)
    if remote:
        print(f"pages still load from the network: {remote}", file=sys.stderr)
        return 1
    print(f"Data Docs: {index} ({len(runs)} validation runs, no network needed)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
