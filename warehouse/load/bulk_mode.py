"""Bulk mode on PostgreSQL: a load that is large against its tables defers their foreign keys and indexes.

Checking a foreign key costs a trigger and an index probe per inserted row, and maintaining a secondary
index an insertion per row; for a million rows that is most of a load. When a transaction writes at
least :data:`BULK_MIN_ROWS` rows and a :data:`BULK_SHARE` of what the tables already hold, it drops the
tables' foreign keys and non-unique indexes, loads, and builds them again: one sort per index and one
join per foreign key, validated before commit. Primary keys and unique constraints stay (the loads rely
on them). It is all one transaction: a failure or a killed process leaves the tables as they were.
Readers of those tables wait for the commit instead of reading around the load.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import sqlalchemy as sa
from sqlalchemy.schema import AddConstraint, CreateIndex, DropConstraint, DropIndex

BULK_MIN_ROWS = 200_000
BULK_SHARE = 0.5


def _estimated_rows(conn: sa.Connection, tables: Sequence[sa.Table]) -> int:
    names = [t.name for t in tables]
    marks = ", ".join(f":t{i}" for i in range(len(names)))
    query = sa.text(
        f"SELECT coalesce(max(greatest(reltuples, 0)), 0) FROM pg_class WHERE relname IN ({marks})"
    )
    return int(conn.execute(query, {f"t{i}": n for i, n in enumerate(names)}).scalar_one())


@contextmanager
def deferred_constraints(
    conn: sa.Connection, tables: Sequence[sa.Table], rows: int, primary_keys: Sequence[sa.Table] = ()
) -> Iterator[bool]:
    """Drop ``tables``' foreign keys and non-unique indexes for the block when ``rows`` makes it a bulk load.

    Args:
        conn: the load's connection, inside its transaction.
        tables: the tables the block writes.
        rows: how many rows the block writes.
        primary_keys: tables (among ``tables``) whose primary key may go too, because the block's own
            statements never insert a duplicate (they insert only rows no existing row matches) and
            never rely on the key for ``ON CONFLICT``. It comes back as a unique index built by one sort,
            which also proves the block kept its word.

    Yields:
        Whether bulk mode is on.
    """
    bulk = (
        conn.dialect.name == "postgresql"
        and rows >= BULK_MIN_ROWS
        and rows >= BULK_SHARE * _estimated_rows(conn, tables)
    )
    if not bulk:
        yield False
        return
    pks = [t.primary_key for t in primary_keys]
    referenced = {t.name for t in primary_keys}
    keys = list({id(fk): fk for t in tables for fk in t.foreign_key_constraints}.values())
    # A key that another table's foreign key points at can only go with that foreign key.
    keys += [
        fk
        for t in _all_tables(tables)
        for fk in t.foreign_key_constraints
        if fk.referred_table.name in referenced and fk not in keys
    ]
    indexes = [ix for t in tables for ix in t.indexes if not ix.unique]
    for fk in keys:
        conn.execute(DropConstraint(fk))
    for ix in indexes:
        conn.execute(DropIndex(ix))
    for pk in pks:
        conn.execute(DropConstraint(pk))
    yield True
    conn.execute(sa.text("SET LOCAL maintenance_work_mem = '512MB'"))
    for pk in pks:
        conn.execute(AddConstraint(pk))
    for ix in indexes:
        conn.execute(CreateIndex(ix))
    for fk in keys:
        conn.execute(AddConstraint(fk))


def _all_tables(tables: Sequence[sa.Table]) -> list[sa.Table]:
    """Every table of the metadata the given tables belong to."""
    return list(tables[0].metadata.tables.values()) if tables else []
