"""How long PostgreSQL takes just to write what a publish writes, nothing computed: the publish's floor.

    python benchmarks/publish_ceiling.py --rows 1000000 [--admin-url postgresql://postgres@127.0.0.1/postgres]

It runs ``benchmarks/publish.py``'s load once (land, stage, publish N records), then takes every pool
table the publish wrote out in binary COPY format and writes it again into a fresh, empty table of the
same shape, the way the publish's bulk mode does: COPY first, then the table's indexes built by one sort
each (``maintenance_work_mem`` as in bulk mode). That time is what the publish would cost if golden
records, anti-joins, history and groups were free; the rest of the publish's time is computation.

The last line is ``RESULT rows=N publish_rows_per_s=… write_only_rows_per_s=… publish_s=… write_only_s=…
written_rows=… written_mb=…``.
"""

from __future__ import annotations

import argparse
import io
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import sqlalchemy as sa  # noqa: E402

from benchmarks.publish import ADMIN_URL, fresh_database, load_pool, server_cpu  # noqa: E402
from warehouse import make_engine  # noqa: E402

POOL_TABLES = ("complaint_case", "case_member", "case_history", "match_key", "match_pair", "case_group")


def rewrite(engine: sa.Engine, database: str, table: str) -> tuple[int, int, float, float]:
    """Write ``table``'s rows again into an empty copy with its indexes; return (rows, bytes, seconds, server CPU)."""
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        data = io.BytesIO()
        cursor.copy_expert(f"COPY {table} TO STDOUT (FORMAT binary)", data)
        cursor.execute(f"SELECT count(*) FROM {table}")
        counted = cursor.fetchone()
        assert counted is not None  # count(*) returns one row
        rows = counted[0]
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename = %s", (table,)
        )
        indexes = [definition for (definition,) in cursor.fetchall()]
        cursor.execute(f"CREATE TABLE floor_{table} (LIKE {table} INCLUDING DEFAULTS)")
        raw.commit()
        data.seek(0)
        began, server = time.perf_counter(), server_cpu(database)
        cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")  # as the publish's bulk mode
        cursor.copy_expert(f"COPY floor_{table} FROM STDIN (FORMAT binary)", data)
        for definition in indexes:
            cursor.execute(
                definition.replace("INDEX ", "INDEX floor_", 1).replace(
                    f" ON public.{table} ", f" ON public.floor_{table} "
                )
            )
        raw.commit()
        return rows, len(data.getvalue()), time.perf_counter() - began, server_cpu(database) - server
    finally:
        raw.close()


def main(argv: list[str] | None = None) -> int:
    """Publish N records, then time writing the publish's output alone; print the RESULT line."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--admin-url", default=ADMIN_URL)
    args = parser.parse_args(argv)
    with fresh_database(args.admin_url) as (url, name):
        publish_s = args.rows / load_pool(url, name, args.rows)["publish"]
        engine = make_engine(url)
        written = volume = 0
        seconds = 0.0
        for table in POOL_TABLES:
            rows, size, took, server = rewrite(engine, name, table)
            written, volume, seconds = written + rows, volume + size, seconds + took
            print(
                f"  {table:15} {rows:>10,} rows  {size / max(rows, 1):6.0f} bytes/row  {took:6.2f}s  "
                f"server CPU {server:5.2f}s",
                flush=True,
            )
        engine.dispose()
    print(
        f"RESULT rows={args.rows} publish_rows_per_s={args.rows / publish_s:.0f} "
        f"write_only_rows_per_s={args.rows / seconds:.0f} publish_s={publish_s:.1f} write_only_s={seconds:.1f} "
        f"written_rows={written} written_mb={volume / 2**20:.0f}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
