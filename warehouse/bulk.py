"""Bulk paths: PostgreSQL ``COPY`` into a temporary table then one set-based upsert; the portable path elsewhere."""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from warehouse._dialect import upsert

# Below this many rows a multi-row INSERT is as fast and keeps the statement simple.
COPY_THRESHOLD = 2_000
# Rows per COPY buffer: bounds memory to a few tens of MB whatever the batch size.
COPY_CHUNK = 100_000

_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


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


def copy_rows(conn: sa.Connection, table_name: str, columns: Sequence[str], rows: Sequence[dict[str, Any]],
              typed_like: sa.Table) -> None:
    """``COPY table_name (columns) FROM STDIN`` in text format, in bounded chunks.

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
        for start in range(0, len(rows), COPY_CHUNK):
            buffer = io.StringIO()
            write = buffer.write
            for row in rows[start : start + COPY_CHUNK]:
                write("\t".join(_render(row[c], c in json_columns) for c in columns))
                write("\n")
            buffer.seek(0)
            cursor.copy_expert(sql, buffer)
    finally:
        cursor.close()


def _render(value: Any, as_json: bool) -> str:
    if value is None:
        return "\\N"
    if as_json:
        return json.dumps(value, ensure_ascii=False, default=str).translate(_ESCAPES)
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r} refused: the warehouse stores aware times only")
        return value.astimezone(UTC).isoformat()
    if isinstance(value, bool):
        return "t" if value else "f"
    return str(value).translate(_ESCAPES)
