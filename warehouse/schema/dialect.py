"""Dialect-specific SQL kept in one place: upserts and chunked IN-lists that work on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

# Values per IN (...) list: well under SQLite's 32,766 bound parameters per statement.
IN_CHUNK = 900


def _insert(conn: sa.Connection, table: sa.Table) -> Any:
    if conn.dialect.name == "postgresql":
        return postgresql.insert(table)
    if conn.dialect.name == "sqlite":
        return sqlite.insert(table)
    raise NotImplementedError(f"no upsert for dialect {conn.dialect.name}")


def upsert(
    conn: sa.Connection,
    table: sa.Table,
    rows: Sequence[dict[str, Any]],
    index_elements: Sequence[str],
    update_columns: Sequence[str] | None = None,
) -> None:
    """INSERT … ON CONFLICT (index_elements) DO UPDATE (or DO NOTHING when ``update_columns`` is empty).

    Args:
        conn: an open connection inside the caller's transaction.
        table: the target table.
        rows: dicts keyed by column name; all dicts have the same keys.
        index_elements: the conflict target (a unique key).
        update_columns: columns to overwrite on conflict; ``None`` means every non-key column given.
    """
    if not rows:
        return
    columns = list(rows[0])
    if update_columns is None:
        update_columns = [c for c in columns if c not in index_elements]
    stmt = _insert(conn, table)
    if update_columns:
        stmt = stmt.on_conflict_do_update(
            index_elements=list(index_elements),
            set_={c: stmt.excluded[c] for c in update_columns},
        )
    else:
        stmt = stmt.on_conflict_do_nothing(index_elements=list(index_elements))
    # One statement compiled once and executed for many parameter sets: sqlite3's executemany, and
    # SQLAlchemy's batched "insertmanyvalues" on psycopg2. A multi-row VALUES clause built per call
    # spends its time in the SQL compiler instead.
    conn.execute(stmt, list(rows))


def chunks(values: Sequence[Any], size: int = IN_CHUNK) -> Iterator[Sequence[Any]]:
    """Split a list for ``IN (...)`` clauses."""
    for start in range(0, len(values), size):
        yield values[start : start + size]


def string_agg(column: Any, conn: sa.Connection) -> Any:
    """A comma-joined aggregate of distinct values on either engine."""
    if conn.dialect.name == "postgresql":
        return sa.func.string_agg(sa.distinct(column), sa.literal_column("','"))
    return sa.func.group_concat(sa.distinct(column))


def latest_versions(
    conn: sa.Connection, table: sa.Table, source: str, ids: Sequence[str]
) -> dict[str, tuple[int, str, str]]:
    """``source_record_id -> (version, payload_hash, batch_id)`` of the latest landed version of each id.

    On PostgreSQL one statement per call probes the ``(source, source_record_id, version)`` index once
    per id (``LATERAL … ORDER BY version DESC LIMIT 1``): a plain IN-list is planned as a sequential
    scan while a large load is still uncommitted and unanalysed, which made landing quadratic.
    """
    held: dict[str, tuple[int, str, str]] = {}
    if conn.dialect.name == "postgresql":
        probe = sa.text(
            f"SELECT i.id, l.version, l.payload_hash, l.batch_id FROM unnest(CAST(:ids AS text[])) AS i(id) "
            f"CROSS JOIN LATERAL (SELECT version, payload_hash, batch_id FROM {table.name} "
            f"WHERE source = :source AND source_record_id = i.id ORDER BY version DESC LIMIT 1) AS l"
        )
        for rid, version, digest, owner in conn.execute(probe, {"ids": list(ids), "source": source}):
            held[rid] = (version, digest, owner)
        return held
    for part in chunks(list(ids)):
        query = sa.select(
            table.c.source_record_id, table.c.version, table.c.payload_hash, table.c.batch_id
        ).where(table.c.source == source, table.c.source_record_id.in_(part))
        for rid, version, digest, owner in conn.execute(query):
            if rid not in held or version > held[rid][0]:
                held[rid] = (version, digest, owner)
    return held
