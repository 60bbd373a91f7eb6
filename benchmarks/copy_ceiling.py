"""How fast this machine's PostgreSQL itself takes staged rows by COPY, with the client doing nothing.

    python benchmarks/copy_ceiling.py --rows 1000000 [--repeat 3] [--admin-url postgresql://postgres@127.0.0.1/postgres]

``benchmarks/publish.py`` times staging as a whole: deriving the hashes, topics and masked text, encoding
the rows, and the server's COPY. This script isolates the server's part, which bounds the whole. The
rows of ``benchmarks/publish.py`` are derived and encoded in binary COPY format first, untimed; then
each variant is a fresh table shaped like ``complaint_record`` that the same bytes are copied into,
timed alone:

  staged       every column staging writes (the canonical record plus the derived ones)
  canonical    the canonical record's columns only (no keyed hashes, topic or masked text)

each into a table with no key (``plain``) and with the primary key on ``record_id`` (``pk``), which
staging needs for its upsert. Server CPU is read from ``/proc`` like in ``benchmarks/publish.py``.

The last line is ``RESULT rows=N staged_plain_rows_per_s=… staged_pk_rows_per_s=… canonical_plain_rows_per_s=…
canonical_pk_rows_per_s=… staged_row_bytes=… canonical_row_bytes=…`` (medians over the repeats).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import sqlalchemy as sa  # noqa: E402

from benchmarks.publish import ADMIN_URL, fresh_database, records, server_cpu  # noqa: E402
from warehouse import make_engine  # noqa: E402
from warehouse.access.hashing import hash_key  # noqa: E402
from warehouse.derive.columns import DERIVED_COLUMNS, derive_columns  # noqa: E402
from warehouse.load.pg_copy import CHUNK_ROWS, _Stream  # noqa: E402
from warehouse.load.pg_copy_binary import HEADER, TRAILER, binary_encoders, encode_chunk, paused_gc  # noqa: E402
from warehouse.load.stage_copy import STAGED_COLUMNS  # noqa: E402
from warehouse.schema import StagedRecord, table_of  # noqa: E402

SHAPES = {
    "staged": list(STAGED_COLUMNS),
    "canonical": [c for c in STAGED_COLUMNS if c not in DERIVED_COLUMNS],
}


def encoded(engine: sa.Engine, n: int) -> dict[str, list[bytes]]:
    """The benchmark's ``n`` records, derived and encoded once per shape (binary COPY chunks)."""
    rows = records(n)
    for i, row in enumerate(rows):
        row["landing_id"], row["batch_id"] = i + 1, "bench"
    with engine.begin() as conn:
        derive_columns(conn, rows, hash_key(), check=False)
    table, out = table_of(StagedRecord), {}
    with paused_gc():
        for shape, names in SHAPES.items():
            encoders = binary_encoders(table, names, engine.dialect)
            assert encoders is not None, "every staged column has a binary encoding"
            out[shape] = [
                encode_chunk(rows[i : i + CHUNK_ROWS], names, encoders) for i in range(0, n, CHUNK_ROWS)
            ]
    return out


def copy_once(
    engine: sa.Engine, database: str, shape: str, chunks: list[bytes], keyed: bool
) -> tuple[float, float]:
    """COPY the chunks into a fresh table of the shape; return (seconds, server CPU seconds)."""
    with engine.begin() as conn:
        conn.execute(sa.text("DROP TABLE IF EXISTS ceiling"))
        conn.execute(sa.text("CREATE TABLE ceiling (LIKE complaint_record)"))
        if keyed:
            conn.execute(sa.text("ALTER TABLE ceiling ADD PRIMARY KEY (record_id)"))
    quoted = ", ".join(f'"{c}"' for c in SHAPES[shape])
    with engine.begin() as conn:
        cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        began, server = time.perf_counter(), server_cpu(database)
        cursor.copy_expert(
            f"COPY ceiling ({quoted}) FROM STDIN (FORMAT binary)",
            _Stream(iter([HEADER, *chunks, TRAILER]), binary=True),
            size=1 << 18,
        )
        cursor.close()
    seconds = time.perf_counter() - began  # the commit included
    return seconds, server_cpu(database) - server


def main(argv: list[str] | None = None) -> int:
    """Run the variants ``--repeat`` times each and print one line per run and the RESULT line."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--admin-url", default=ADMIN_URL)
    args = parser.parse_args(argv)
    rates: dict[str, list[float]] = {}
    with fresh_database(args.admin_url) as (url, name):
        engine = make_engine(url)
        payloads = encoded(engine, args.rows)
        sizes = {shape: sum(map(len, chunks)) / args.rows for shape, chunks in payloads.items()}
        for _ in range(args.repeat):
            for shape, chunks in payloads.items():
                for keyed in (False, True):
                    variant = f"{shape}_{'pk' if keyed else 'plain'}"
                    seconds, server = copy_once(engine, name, shape, chunks, keyed)
                    rates.setdefault(variant, []).append(args.rows / seconds)
                    print(
                        f"  {variant:16} {seconds:6.2f}s  {args.rows / seconds:9,.0f} rows/s  "
                        f"server CPU {server:5.2f}s  {sizes[shape]:.0f} bytes/row",
                        flush=True,
                    )
        engine.dispose()
    medians = " ".join(f"{variant}_rows_per_s={statistics.median(r):.0f}" for variant, r in rates.items())
    print(
        f"RESULT rows={args.rows} {medians} staged_row_bytes={sizes['staged']:.0f} "
        f"canonical_row_bytes={sizes['canonical']:.0f} repeats={args.repeat}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
