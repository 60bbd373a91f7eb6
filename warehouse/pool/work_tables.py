"""Temporary work tables of a publish, loaded by COPY on PostgreSQL (executemany on SQLite), and its session."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from warehouse.load.bulk import COPY_THRESHOLD
from warehouse.load.pg_copy import CHUNK_ROWS, _Stream, fast_copy
from warehouse.load.pg_copy_binary import HEADER, TRAILER, binary_encoders, encode_chunk, paused_gc

_META = sa.MetaData()
ASSIGN = sa.Table(
    "tmp_assign",
    _META,
    sa.Column("record_id", sa.String(170), primary_key=True),
    sa.Column("case_id", sa.String(40), nullable=False),
    sa.Column("is_new_case", sa.Integer, nullable=False),
    sa.Column("match_probability", sa.Float),
    sa.Column("matched_record_id", sa.String(170)),
    prefixes=["TEMPORARY"],
)
KEYS = sa.Table(
    "tmp_keys",
    _META,
    sa.Column("rule", sa.String(80), nullable=False),
    sa.Column("key", sa.String(200), nullable=False),
    sa.Column("record_id", sa.String(170), nullable=False),
    prefixes=["TEMPORARY"],
)
PAIRS = sa.Table(
    "tmp_pairs",
    _META,
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


@dataclass(frozen=True)
class CopyPayload:
    """A work table's rows already rendered as binary COPY tuples, chunk by chunk (no header or trailer)."""

    rows: int
    chunks: list[bytes]

    def __len__(self) -> int:
        return self.rows


def render_rows(
    table: sa.Table, rows: Sequence[dict[str, Any]], dialect: sa.Dialect
) -> Sequence[dict[str, Any]] | CopyPayload:
    """The rows as :func:`load_work_table` will COPY them, rendered now (on a helper thread, say), or the
    rows themselves when they will not be copied in binary (SQLite, a small load, an unencoded type)."""
    names = [c.name for c in table.columns]
    encoders = binary_encoders(table, names, dialect) if dialect.name == "postgresql" else None
    if encoders is None or len(rows) < COPY_THRESHOLD:
        return rows
    with paused_gc():
        chunks = [
            encode_chunk(rows[i : i + CHUNK_ROWS], names, encoders) for i in range(0, len(rows), CHUNK_ROWS)
        ]
    return CopyPayload(len(rows), chunks)


def load_work_table(
    conn: sa.Connection, table: sa.Table, rows: Sequence[dict[str, Any]] | CopyPayload
) -> None:
    """(Re)create ``table`` for this transaction and fill it with ``rows``; ANALYZE it on PostgreSQL."""
    table.drop(conn, checkfirst=True)
    table.create(conn)
    if not rows:
        return
    if isinstance(rows, CopyPayload):
        _copy_payload(conn, table, rows)
    elif conn.dialect.name == "postgresql" and len(rows) >= COPY_THRESHOLD:
        fast_copy(conn, table, rows)
    else:
        conn.execute(sa.insert(table), [{c.name: row.get(c.name) for c in table.columns} for row in rows])
    if conn.dialect.name == "postgresql":
        # Temporary tables are never auto-analysed; without statistics the planner guesses 1,000 rows.
        conn.execute(sa.text(f"ANALYZE {table.name}"))


def drop_work_table(conn: sa.Connection, table: sa.Table) -> None:
    """Drop a work table (SQLite keeps temporary tables for the connection's life)."""
    table.drop(conn, checkfirst=True)


def _copy_payload(conn: sa.Connection, table: sa.Table, payload: CopyPayload) -> None:
    quoted = ", ".join(f'"{c.name}"' for c in table.columns)
    cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.copy_expert(
            f'COPY "{table.name}" ({quoted}) FROM STDIN (FORMAT binary)',
            _Stream(iter([HEADER, *payload.chunks, TRAILER]), binary=True),
            size=1 << 18,
        )
    finally:
        cursor.close()
