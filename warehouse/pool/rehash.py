"""Recomputing what the warehouse derives under a new hash key (rotation).

``rehash`` moves every keyed hash to a new key in one transaction: record hashes, the golden records'
hashes, and the blocking keys (recomputed from the pooled records by the caller's ``blocking_keys``,
since ``match_key`` keeps only hashes). Readers see the old hashes or the new ones, never a mix.
Migration 0005's step for records staged before it is frozen apart (:mod:`warehouse.contract.backfill_0005`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa

from warehouse.access.hashing import check_key, fingerprint, hash_blocking_key, hash_key
from warehouse.derive.columns import DERIVED_COLUMNS, derive_columns
from warehouse.pool.pooling import MATCH_COLUMNS
from warehouse.pool.work_tables import KEYS, drop_work_table, load_work_table, publish_session
from warehouse.schema import CaseMember, HashKey, StagedRecord, table_of

CHUNK = 50_000
BlockingKeys = Callable[[list[dict[str, Any]]], list[dict[str, str]]]
_DERIVED = sa.Table(
    "tmp_derived",
    sa.MetaData(),
    sa.Column("record_id", sa.String(170), primary_key=True),
    *(sa.Column(c, table_of(StagedRecord).c[c].type) for c in DERIVED_COLUMNS),
    prefixes=["TEMPORARY"],
)


def rederive_records(conn: sa.Connection, key: bytes, check: bool = True) -> int:
    """Recompute the derived columns (hashes, topic, masked text) of every staged record under ``key``.

    Args:
        conn: the caller's transaction.
        key: the hash key.
        check: require ``key`` to be the warehouse's active key (a rotation, which is moving to a new
            key, passes False).
    """
    r = table_of(StagedRecord)
    query = sa.select(r.c.record_id, r.c.phone, r.c.id_number, r.c.category, r.c.content, r.c.address)
    total, last = 0, ""
    while True:  # keyset pages: bounded memory whatever the warehouse's size
        rows = [
            dict(row)
            for row in conn.execute(
                query.where(r.c.record_id > last).order_by(r.c.record_id).limit(CHUNK)
            ).mappings()
        ]
        if not rows:
            return total
        last = rows[-1]["record_id"]
        derive_columns(conn, rows, key, check=check)
        load_work_table(conn, _DERIVED, rows)
        sets = ", ".join(f"{c} = d.{c}" for c in DERIVED_COLUMNS)
        conn.execute(
            sa.text(
                f"UPDATE complaint_record SET {sets} FROM {_DERIVED.name} d "
                "WHERE complaint_record.record_id = d.record_id"
            )
        )
        total += len(rows)


def rekey_match_keys(conn: sa.Connection, key: bytes, blocking_keys: BlockingKeys) -> int:
    """Replace every blocking key with the keyed hash under ``key`` of the key recomputed from its record."""
    r, cols = table_of(StagedRecord), [table_of(StagedRecord).c[c] for c in MATCH_COLUMNS]
    conn.execute(sa.text("DELETE FROM match_key"))
    query = sa.select(*cols).where(r.c.record_id.in_(sa.select(table_of(CaseMember).c.record_id)))
    total, last = 0, ""
    while True:
        rows = [
            dict(row)
            for row in conn.execute(
                query.where(r.c.record_id > last).order_by(r.c.record_id).limit(CHUNK)
            ).mappings()
        ]
        if not rows:
            return total
        last = rows[-1]["record_id"]
        hashed = {
            (k["rule"], hash_blocking_key(k["rule"], str(k["key"]), key), k["record_id"])
            for k in blocking_keys(rows)
        }
        load_work_table(conn, KEYS, [{"rule": a, "key": b, "record_id": c} for a, b, c in sorted(hashed)])
        conn.execute(
            sa.text(
                f"INSERT INTO match_key (rule, key, record_id) SELECT rule, key, record_id FROM {KEYS.name}"
            )
        )
        total += len(hashed)


def rehash(engine: sa.Engine, new_key: bytes, blocking_keys: BlockingKeys) -> dict[str, int]:
    """Move the warehouse to ``new_key`` in one transaction (see the module docstring).

    Args:
        engine: the warehouse.
        new_key: the new key (32+ bytes).
        blocking_keys: records (the matcher's input columns) -> ``{record_id, rule, key}`` raw blocking keys.

    Returns:
        Counts of records rehashed and blocking keys written.
    """
    h = table_of(HashKey)
    with engine.begin() as conn:
        publish_session(conn)  # no publish may run against half-moved hashes
        records = rederive_records(conn, new_key, check=False)
        # The golden hashes follow their supplying record; nothing a reader sees changes otherwise.
        for column in ("phone_hash", "id_number_hash"):
            source = (
                f"complaint_case.golden_sources ->> '{column}'"
                if conn.dialect.name == "postgresql"
                else f"json_extract(complaint_case.golden_sources, '$.{column}')"
            )
            conn.execute(
                sa.text(
                    f"UPDATE complaint_case SET {column} = (SELECT r.{column} FROM complaint_record r "
                    f"WHERE r.record_id = {source}) WHERE golden_sources IS NOT NULL"
                )
            )
        keys = rekey_match_keys(conn, new_key, blocking_keys)
        drop_work_table(conn, KEYS)
        drop_work_table(conn, _DERIVED)
        conn.execute(
            sa.update(h).where(h.c.retired_at.is_(None)).values(retired_at=sa.func.current_timestamp())
        )
        mine = fingerprint(new_key)
        conn.execute(sa.delete(h).where(h.c.fingerprint == mine))  # a key used before, now used again
        conn.execute(sa.insert(h).values(fingerprint=mine))
    return {"records": records, "match_keys": keys}


def reblock(engine: sa.Engine, blocking_keys: BlockingKeys) -> dict[str, int]:
    """Recompute every pooled record's blocking keys under the warehouse's current key, in one transaction.

    The pool finds a new batch's candidates by the keys stored when each record was pooled; when the
    matcher's blocking rules change (a rule added, a column's standardisation changed), the records
    pooled before would be found only through the old rules. Run after such an upgrade.

    Args:
        engine: the warehouse.
        blocking_keys: records (the matcher's input columns) -> ``{record_id, rule, key}`` raw blocking keys.

    Returns:
        ``{"match_keys": n, "rules": r}``: blocking keys written, and how many rules they fall under.
    """
    with engine.begin() as conn:
        publish_session(conn)  # no publish may read the keys half rewritten
        key = hash_key()
        check_key(conn, key)  # keys under another key would find nothing, silently
        keys = rekey_match_keys(conn, key, blocking_keys)
        drop_work_table(conn, KEYS)
        rules = conn.execute(sa.text("SELECT COUNT(DISTINCT rule) FROM match_key")).scalar_one()
    return {"match_keys": keys, "rules": int(rules)}
