"""Temporary work tables of a publish, loaded by COPY on PostgreSQL (executemany on SQLite), and its session."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa

from warehouse._copy import fast_copy
from warehouse.bulk import COPY_THRESHOLD

_META = sa.MetaData()
ASSIGN = sa.Table(
    "tmp_assign", _META,
    sa.Column("record_id", sa.String(170), primary_key=True),
    sa.Column("case_id", sa.String(40), nullable=False),
    sa.Column("is_new_case", sa.Integer, nullable=False),
    sa.Column("match_probability", sa.Float),
    sa.Column("matched_record_id", sa.String(170)),
    prefixes=["TEMPORARY"],
)
KEYS = sa.Table(
    "tmp_keys", _META,
    sa.Column("rule", sa.String(80), nullable=False),
    sa.Column("key", sa.String(200), nullable=False),
    sa.Column("record_id", sa.String(170), nullable=False),
    prefixes=["TEMPORARY"],
)
PAIRS = sa.Table(
    "tmp_pairs", _META,
    sa.Column("record_id_l", sa.String(170), primary_key=True),
    sa.Column("record_id_r", sa.String(170), primary_key=True),
    sa.Column("match_weight", sa.Float, nullable=False),
    sa.Column("match_probability", sa.Float, nullable=False),
    sa.Column("levels", sa.Text),  # JSON text, cast on insert (each level combination rendered once)
    sa.Column("decision", sa.String(20), nullable=False),
    prefixes=["TEMPORARY"],
)
# One publish at a time: concurrent publishes would each see the other's cases as absent.
_PUBLISH_LOCK = 0x6875_6270  # "hubp"


def publish_session(conn: sa.Connection) -> None:
    """Serialise publishes and give the big set-based statements room, for this transaction only.

    PostgreSQL: a transaction-scoped advisory lock; more ``work_mem`` so the golden-record sort and the
    hash joins stay in memory; no JIT, whose compile time exceeds what it saves on these statements.
    SQLite: a no-op write first, so the transaction holds the write lock before it reads anything.
    """
    if conn.dialect.name == "postgresql":
        conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PUBLISH_LOCK})
        # A bulk publish sorts a million members' golden-record columns at once: in memory, not on disk.
        conn.execute(sa.text("SET LOCAL work_mem = '1GB'"))
        conn.execute(sa.text("SET LOCAL jit = off"))
    else:
        conn.execute(sa.text("UPDATE hash_key SET retired_at = retired_at WHERE 1 = 0"))


def load_work_table(conn: sa.Connection, table: sa.Table, rows: Sequence[dict[str, Any]]) -> None:
    """(Re)create ``table`` for this transaction and fill it with ``rows``; ANALYZE it on PostgreSQL."""
    table.drop(conn, checkfirst=True)
    table.create(conn)
    if not rows:
        return
    if conn.dialect.name == "postgresql" and len(rows) >= COPY_THRESHOLD:
        fast_copy(conn, table, rows)
    else:
        conn.execute(sa.insert(table), [{c.name: row.get(c.name) for c in table.columns} for row in rows])
    if conn.dialect.name == "postgresql":
        # Temporary tables are never auto-analysed; without statistics the planner guesses 1,000 rows.
        conn.execute(sa.text(f"ANALYZE {table.name}"))


def drop_work_table(conn: sa.Connection, table: sa.Table) -> None:
    """Drop a work table (SQLite keeps temporary tables for the connection's life)."""
    table.drop(conn, checkfirst=True)
