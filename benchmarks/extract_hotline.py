"""Benchmark: extract N hotline work orders from the simulator server over HTTP and land them in PostgreSQL.

    python benchmarks/extract_hotline.py --records 1000000 [--runs 3] [--page-size 1000]

N work orders of one day are written to a JSONL store (simulated rows, repeated under fresh order
numbers and spread over the day), served by the simulator server in its own process, and extracted
by the hotline connector (keyset paging, bounded retries) into ``land_batch`` in a separate worker
process per run, each into a throwaway database created on the PostgreSQL server named by
``HUB_DATABASE_URL`` (default ``postgresql://postgres@127.0.0.1:5432/postgres``; nothing existing is
touched). ``records_per_s`` is the median over the runs of N / (seconds from the first request to the
landing's commit); ``peak_rss_mb`` is the largest peak resident memory of a worker (the extracting
process: connector, landing and the PostgreSQL COPY path; not the server). The last line is
``RESULT records=N records_per_s=… peak_rss_mb=… runs=R``.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

ADMIN_URL = os.environ.get("HUB_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
DAY = date(2026, 11, 20)


def write_store(directory: Path, records: int) -> None:
    """``hotline.jsonl`` with ``records`` work orders updated across DAY (templates from a small world)."""
    from simulators import generate_world

    templates = generate_world(seed=7, n_records=4000, start=DAY, days=1).rows["hotline"]
    start = datetime(DAY.year, DAY.month, DAY.day)
    encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    with (directory / "hotline.jsonl").open("w", encoding="utf-8") as handle:
        for i in range(records):
            updated = start + timedelta(seconds=i * 86_400 // records)
            row = dict(
                templates[i % len(templates)],
                order_no=f"GD{DAY:%Y%m%d}{i:08d}",
                create_time=f"{updated - timedelta(minutes=i % 90):%Y-%m-%d %H:%M:%S}",
                update_time=f"{updated:%Y-%m-%d %H:%M:%S}",
            )
            handle.write(encode(row) + "\n")


def start_server(directory: Path, token: str) -> tuple[subprocess.Popen[bytes], str]:
    """The simulator server in its own process; returns it and its URL once it serves."""
    port_file = directory / "url"
    command = [
        sys.executable,
        "-m",
        "simulators",
        "serve",
        "--data",
        str(directory),
        "--port",
        "0",
        "--port-file",
        str(port_file),
    ]
    process = subprocess.Popen(
        command, cwd=ROOT, env={**os.environ, "HUB_SIM_TOKEN": token}, stdout=subprocess.DEVNULL
    )
    while not port_file.exists():
        if process.poll() is not None:
            raise RuntimeError("the simulator server did not start")
        time.sleep(0.2)
    return process, port_file.read_text(encoding="utf-8").strip()


def throwaway_database() -> tuple[str, str]:
    """Create an empty database next to ADMIN_URL's; returns its name and URL."""
    import sqlalchemy as sa

    from warehouse import with_driver

    name = f"hub_bench_{secrets.token_hex(4)}"
    admin = sa.create_engine(with_driver(ADMIN_URL), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return name, sa.make_url(with_driver(ADMIN_URL)).set(database=name).render_as_string(hide_password=False)


def drop_database(name: str) -> None:
    import sqlalchemy as sa

    from warehouse import with_driver

    admin = sa.create_engine(with_driver(ADMIN_URL), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def worker(url: str, database: str, page_size: int, records: int) -> None:
    """One extraction in this process; prints ``{"seconds", "peak_rss_mb"}`` as JSON."""
    import sqlalchemy as sa

    from connectors.base import SHANGHAI, Window
    from connectors.hotline import HotlineConnector
    from warehouse import land_batch, make_engine, open_batch

    window = Window(
        datetime(DAY.year, DAY.month, DAY.day, tzinfo=SHANGHAI),
        datetime(DAY.year, DAY.month, DAY.day, tzinfo=SHANGHAI) + timedelta(days=1),
    )
    connector = HotlineConnector(url, os.environ["HUB_SIM_TOKEN"], page_size=page_size)
    engine = make_engine(database)
    began = time.perf_counter()
    batch_id = open_batch(engine, "hotline", window.key, window.start, window.end)
    stats = land_batch(engine, batch_id, "hotline", connector.keyed(connector.fetch_raw(window)))
    seconds = time.perf_counter() - began
    with engine.connect() as conn:
        landed = conn.execute(
            sa.text("SELECT count(DISTINCT source_record_id) FROM landing_record")
        ).scalar_one()
    assert stats.fetched == stats.pending == landed == records, (stats, landed)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "peak_rss_mb": peak}))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--page-size", type=int, default=1000, help="work orders per page (the server's cap)")
    parser.add_argument("--worker", nargs=2, metavar=("SERVER_URL", "DATABASE_URL"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        server_url, database_url = args.worker
        worker(server_url, database_url, args.page_size, args.records)
        return 0

    from warehouse import migrate

    token = secrets.token_urlsafe(12)
    os.environ["HUB_SIM_TOKEN"] = token
    with tempfile.TemporaryDirectory(prefix="hub-bench-") as tmp:
        directory = Path(tmp)
        began = time.perf_counter()
        write_store(directory, args.records)
        server, url = start_server(directory, token)
        print(
            f"store of {args.records} work orders written and served in {time.perf_counter() - began:.1f}s",
            file=sys.stderr,
        )
        results = []
        try:
            for run in range(1, args.runs + 1):
                name, database = throwaway_database()
                try:
                    migrate(database)
                    out = subprocess.run(
                        [
                            sys.executable,
                            __file__,
                            "--records",
                            str(args.records),
                            "--page-size",
                            str(args.page_size),
                            "--worker",
                            url,
                            database,
                        ],
                        check=True,
                        capture_output=True,
                        text=True,
                        cwd=ROOT,
                    )
                finally:
                    drop_database(name)
                result = json.loads(out.stdout.strip().splitlines()[-1])
                results.append(result)
                print(
                    f"run {run}: {result['seconds']:.1f}s, {args.records / result['seconds']:,.0f} records/s, "
                    f"peak RSS {result['peak_rss_mb']:.0f} MB",
                    file=sys.stderr,
                )
        finally:
            server.terminate()
            server.wait(timeout=30)
    per_s = statistics.median(args.records / r["seconds"] for r in results)
    peak = max(r["peak_rss_mb"] for r in results)
    print(f"RESULT records={args.records} records_per_s={per_s:.0f} peak_rss_mb={peak:.0f} runs={args.runs}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
