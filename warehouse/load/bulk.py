"""Bulk paths: PostgreSQL ``COPY`` into a temporary table then one set-based upsert; the portable path elsewhere."""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from types import TracebackType
from typing import Any

import sqlalchemy as sa

from warehouse.load.pg_copy import fast_copy
from warehouse.schema.dialect import upsert

# Below this many rows a multi-row INSERT is as fast and keeps the statement simple.
COPY_THRESHOLD = 2_000


def bulk_upsert(
    conn: sa.Connection,
    table: sa.Table,
    rows: Sequence[dict[str, Any]],
    index_elements: Sequence[str],
    update_columns: Sequence[str] | None = None,
) -> None:
    """Upsert ``rows`` into ``table`` inside the caller's transaction, by COPY on PostgreSQL when large.

    Args:
        conn: an open connection; the caller owns the transaction.
        table: the target table.
        rows: dicts with the same keys.
        index_elements: the conflict target.
        update_columns: columns overwritten on conflict (``None``: all given non-key columns; empty: do nothing).
    """
    if conn.dialect.name != "postgresql" or len(rows) < COPY_THRESHOLD:
        upsert(conn, table, rows, index_elements, update_columns)
        return
    columns = list(rows[0])
    if update_columns is None:
        update_columns = [c for c in columns if c not in index_elements]
    staging = f"tmp_copy_{table.name}"
    conn.execute(
        sa.text(f'CREATE TEMPORARY TABLE "{staging}" (LIKE "{table.name}" INCLUDING DEFAULTS) ON COMMIT DROP')
    )
    # A serial key column must not be copied as NULL: drop NOT NULL so omitted columns stay empty.
    for column in table.columns:
        if column.name not in columns and not column.nullable:
            conn.execute(sa.text(f'ALTER TABLE "{staging}" ALTER COLUMN "{column.name}" DROP NOT NULL'))
    fast_copy(conn, table, rows, columns, target=staging)
    names = ", ".join(f'"{c}"' for c in columns)
    target = ", ".join(f'"{c}"' for c in index_elements)
    if update_columns:
        sets = ", ".join(f'"{c}" = EXCLUDED."{c}"' for c in update_columns)
        action = f"DO UPDATE SET {sets}"
    else:
        action = "DO NOTHING"
    conn.execute(
        sa.text(
            f'INSERT INTO "{table.name}" ({names}) SELECT {names} FROM "{staging}" '
            f"ON CONFLICT ({target}) {action}"
        )
    )
    conn.execute(sa.text(f'DROP TABLE "{staging}"'))


def bulk_insert(conn: sa.Connection, table: sa.Table, rows: Sequence[dict[str, Any]]) -> None:
    """Insert ``rows`` that cannot conflict, by COPY straight into ``table`` on PostgreSQL when large.

    A row that does conflict fails the statement (and the caller's transaction) instead of being
    skipped, which is what a caller that has just computed the keys wants to hear.
    """
    if conn.dialect.name != "postgresql" or len(rows) < COPY_THRESHOLD:
        conn.execute(sa.insert(table), list(rows))
        return
    fast_copy(conn, table, rows, list(rows[0]))


class BackgroundInserts:
    """:func:`bulk_insert` of one chunk at a time in a background thread, on PostgreSQL.

    While the server digests a COPY (parsing JSONB, updating indexes) the caller fetches and hashes
    the next chunk, so the two cores work at once. The caller must :meth:`wait` before it uses the
    connection again; leaving the block waits too, so a failing caller never rolls back under a
    running COPY. Elsewhere (SQLite connections belong to their thread) inserts run in line.
    """

    def __init__(self, conn: sa.Connection, table: sa.Table) -> None:
        self._conn, self._table = conn, table
        self._pool = ThreadPoolExecutor(1, "bulk-insert") if conn.dialect.name == "postgresql" else None
        self._pending: Future[None] | None = None

    def submit(self, rows: Sequence[dict[str, Any]]) -> None:
        """Insert ``rows`` (after the previous chunk is in)."""
        self.wait()
        if self._pool is None:
            bulk_insert(self._conn, self._table, rows)
        else:
            self._pending = self._pool.submit(bulk_insert, self._conn, self._table, rows)

    def wait(self) -> None:
        """Block until the chunk in flight is inserted; re-raise its error."""
        pending, self._pending = self._pending, None
        if pending is not None:
            pending.result()

    def __enter__(self) -> BackgroundInserts:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        try:
            if exc is None:
                self.wait()
            elif self._pending is not None:
                self._pending.exception()  # let the COPY end; the caller's own error is the one to report
        finally:
            if self._pool is not None:
                self._pool.shutdown(wait=True)
