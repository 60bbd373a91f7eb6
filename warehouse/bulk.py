"""Bulk paths: PostgreSQL ``COPY`` into a temporary table then one set-based upsert; the portable path elsewhere."""

from __future__ import annotations

import json
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import UTC, datetime
from types import TracebackType
from typing import Any

import sqlalchemy as sa

from warehouse._dialect import upsert

# Below this many rows a multi-row INSERT is as fast and keeps the statement simple.
COPY_THRESHOLD = 2_000
# Characters psycopg2 asks for per read of a COPY: big enough to cross into C rarely, small enough that
# the server starts parsing while the rest is still being rendered.
COPY_READ = 256 * 1024
# One encoder for every row (json.dumps with options builds one per call).
_JSON = json.JSONEncoder(ensure_ascii=False, default=str, check_circular=False).encode



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
    conn.execute(sa.text(f'CREATE TEMPORARY TABLE "{staging}" (LIKE "{table.name}" INCLUDING DEFAULTS) '
                         "ON COMMIT DROP"))
    # A serial key column must not be copied as NULL: drop NOT NULL so omitted columns stay empty.
    for column in table.columns:
        if column.name not in columns and not column.nullable:
            conn.execute(sa.text(f'ALTER TABLE "{staging}" ALTER COLUMN "{column.name}" DROP NOT NULL'))
    copy_rows(conn, staging, columns, rows, table)
    names = ", ".join(f'"{c}"' for c in columns)
    target = ", ".join(f'"{c}"' for c in index_elements)
    if update_columns:
        sets = ", ".join(f'"{c}" = EXCLUDED."{c}"' for c in update_columns)
        action = f"DO UPDATE SET {sets}"
    else:
        action = "DO NOTHING"
    conn.execute(sa.text(f'INSERT INTO "{table.name}" ({names}) SELECT {names} FROM "{staging}" '
                         f"ON CONFLICT ({target}) {action}"))
    conn.execute(sa.text(f'DROP TABLE "{staging}"'))


def bulk_insert(conn: sa.Connection, table: sa.Table, rows: Sequence[dict[str, Any]]) -> None:
    """Insert ``rows`` that cannot conflict, by COPY straight into ``table`` on PostgreSQL when large.

    A row that does conflict fails the statement (and the caller's transaction) instead of being
    skipped, which is what a caller that has just computed the keys wants to hear.
    """
    if conn.dialect.name != "postgresql" or len(rows) < COPY_THRESHOLD:
        conn.execute(sa.insert(table), list(rows))
        return
    copy_rows(conn, table.name, list(rows[0]), rows, table)


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

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        try:
            if exc is None:
                self.wait()
            elif self._pending is not None:
                self._pending.exception()  # let the COPY end; the caller's own error is the one to report
        finally:
            if self._pool is not None:
                self._pool.shutdown(wait=True)


def copy_rows(conn: sa.Connection, table_name: str, columns: Sequence[str], rows: Sequence[dict[str, Any]],
              typed_like: sa.Table) -> None:
    """``COPY table_name (columns) FROM STDIN`` in text format, rendered as the server reads it.

    Args:
        conn: a PostgreSQL connection (psycopg2 underneath).
        table_name: where to copy.
        columns: the columns, in order.
        rows: the rows.
        typed_like: the table whose column types say how to render each value.
    """
    json_columns = {c.name for c in typed_like.columns if isinstance(c.type, sa.JSON)}
    cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    sql = f'COPY "{table_name}" ({", ".join(chr(34) + c + chr(34) for c in columns)}) FROM STDIN'
    try:
        cursor.copy_expert(sql, _CopySource(rows, columns, json_columns), size=COPY_READ)
    finally:
        cursor.close()


class _CopySource:
    """The rows as COPY text, rendered a read at a time: the server parses one part while the next is
    rendered, and memory holds one read (``COPY_READ`` characters) whatever the number of rows."""

    def __init__(self, rows: Sequence[dict[str, Any]], columns: Sequence[str], json_columns: set[str]) -> None:
        self._rows = iter(rows)
        self._columns = [(c, c in json_columns) for c in columns]

    def read(self, size: int = -1) -> str:
        parts: list[str] = []
        total = 0
        for row in self._rows:
            line = "\t".join([_render(row[c], as_json) for c, as_json in self._columns]) + "\n"
            parts.append(line)
            total += len(line)
            if 0 < size <= total:
                break
        return "".join(parts)


def _render(value: Any, as_json: bool) -> str:
    if value is None:
        return "\\N"
    if as_json:
        return _escape(_JSON(value))
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r} refused: the warehouse stores aware times only")
        return value.astimezone(UTC).isoformat()
    if isinstance(value, bool):
        return "t" if value else "f"
    return _escape(str(value))


def _escape(text: str) -> str:
    # COPY's text format escapes. Chained replace() runs in C; str.translate with a dict maps each
    # character through Python and took two thirds of the landing time on long Chinese payloads.
    if "\\" in text:
        text = text.replace("\\", "\\\\")
    return text.replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
