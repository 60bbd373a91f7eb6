"""Migration 0005's data step, frozen with it: derive and hash what records staged before 0005 lack.

It no longer goes through :mod:`warehouse.pool.rehash` (key rotation may change; this step must not). It
still calls the primitives 0005 introduced and that define those columns: :func:`derive_columns`
(hashes, topic, masked text), the keyed blocking-key hash, and the golden-record and group refresh.
"""

from __future__ import annotations

import sqlalchemy as sa

from warehouse.access.hashing import hash_blocking_key
from warehouse.derive.columns import DERIVED_COLUMNS, derive_columns
from warehouse.pool.golden import add_to_scope, create_scope, drop_work_tables, refresh_golden
from warehouse.pool.groups import refresh_groups
from warehouse.pool.work_tables import KEYS, drop_work_table, load_work_table

CHUNK = 50_000
_DERIVED = sa.Table(
    "tmp_derived_0005",
    sa.MetaData(),
    sa.Column("record_id", sa.String(170), primary_key=True),
    # The columns as 0005 adds them (its RECORD_COLUMNS); the order is DERIVED_COLUMNS'.
    sa.Column("phone_hash", sa.String(64)),
    sa.Column("id_number_hash", sa.String(64)),
    sa.Column("topic", sa.String(80)),
    sa.Column("topic_rank", sa.SmallInteger),
    sa.Column("content_masked", sa.Text),
    prefixes=["TEMPORARY"],
)


def backfill(conn: sa.Connection, key: bytes) -> None:
    """Derive the 0005 columns of every staged record, hash the raw blocking keys, refresh every case.

    Args:
        conn: the migration's connection.
        key: the warehouse's hash key.
    """
    rederive_records(conn, key)
    hash_raw_match_keys(conn, key)
    refresh_all_cases(conn)


def rederive_records(conn: sa.Connection, key: bytes) -> int:
    """Compute the derived columns (hashes, topic, masked text) of every staged record under ``key``."""
    select = sa.text(
        "SELECT record_id, phone, id_number, category, content, address FROM complaint_record "
        "WHERE record_id > :last ORDER BY record_id LIMIT :limit"
    )
    total, last = 0, ""
    while True:  # keyset pages: bounded memory whatever the warehouse's size
        rows = [dict(row) for row in conn.execute(select, {"last": last, "limit": CHUNK}).mappings()]
        if not rows:
            break
        last = rows[-1]["record_id"]
        derive_columns(conn, rows, key)
        load_work_table(conn, _DERIVED, rows)
        sets = ", ".join(f"{c} = d.{c}" for c in DERIVED_COLUMNS)
        conn.execute(
            sa.text(
                f"UPDATE complaint_record SET {sets} FROM {_DERIVED.name} d "
                "WHERE complaint_record.record_id = d.record_id"
            )
        )
        total += len(rows)
    drop_work_table(conn, _DERIVED)
    return total


def hash_raw_match_keys(conn: sa.Connection, key: bytes) -> int:
    """The raw blocking keys stored before 0005 become keyed hashes, in place."""
    rows = [
        dict(row) for row in conn.execute(sa.text("SELECT rule, key, record_id FROM match_key")).mappings()
    ]
    if not rows:
        return 0
    hashed = {
        (row["rule"], hash_blocking_key(row["rule"], row["key"], key), row["record_id"]) for row in rows
    }
    conn.execute(sa.text("DELETE FROM match_key"))
    load_work_table(conn, KEYS, [{"rule": a, "key": b, "record_id": c} for a, b, c in sorted(hashed)])
    conn.execute(
        sa.text(f"INSERT INTO match_key (rule, key, record_id) SELECT rule, key, record_id FROM {KEYS.name}")
    )
    drop_work_table(conn, KEYS)
    return len(hashed)


def refresh_all_cases(conn: sa.Connection) -> dict[str, int]:
    """Recompute every open case's golden record and every group (each case credited to its last batch)."""
    create_scope(conn)
    add_to_scope(conn, "SELECT case_id, updated_batch_id, 0 FROM complaint_case WHERE status = 'open'")
    counts = refresh_golden(conn)
    counts.update(refresh_groups(conn))
    drop_work_tables(conn)
    return counts
