"""Staging canonical records: derived columns, then a straight COPY into ``complaint_record`` when they
are new, the upsert otherwise."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa

from warehouse.access.hashing import check_key, hash_key
from warehouse.derive.columns import derive_columns
from warehouse.load.bulk import COPY_THRESHOLD, bulk_upsert
from warehouse.load.bulk_mode import deferred_constraints
from warehouse.load.pg_copy import fast_copy
from warehouse.schema import StagedRecord, table_of

STAGED_COLUMNS: tuple[str, ...] = tuple(c.name for c in table_of(StagedRecord).columns)


def _restricted(rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows with exactly the staging table's columns (what the upsert statements are built from)."""
    return [{c: r.get(c) for c in STAGED_COLUMNS} for r in rows]


def stage_rows(conn: sa.Connection, rows: Sequence[dict[str, Any]], batch_id: str) -> None:
    """Stage canonical records for ``batch_id``: add the derived columns and upsert them by ``record_id``.

    The records are completed in place (``batch_id`` and the derived columns are set on them; keys the
    staging table does not have are ignored): at a million records, copying each dict first costs more
    than the COPY itself.

    On PostgreSQL a large set is first tried as one COPY straight into the table, in a savepoint: most
    staged records are new, and a COPY writes each row once where the upsert writes it to a temporary
    table first and then probes and inserts it with ``ON CONFLICT``. The derived columns are computed
    chunk by chunk as the COPY streams, while the server digests what was sent. A record staged before
    (a re-run, a changed record) makes the COPY fail; the savepoint is rolled back and the upsert does
    the work.

    Raises:
        warehouse.access.hashing.HashKeyMismatch: if the configured hash key is not the warehouse's.
    """
    if not rows:
        return
    table, key = table_of(StagedRecord), hash_key()
    check_key(conn, key)

    def prepare(chunk: Sequence[dict[str, Any]]) -> None:
        for row in chunk:
            row["batch_id"] = batch_id
        derive_columns(conn, chunk, key, check=False)

    if conn.dialect.name != "postgresql" or len(rows) < COPY_THRESHOLD:
        prepare(rows)
        bulk_upsert(conn, table, _restricted(rows), ["record_id"])
        return
    with deferred_constraints(conn, [table], len(rows)):
        savepoint = conn.begin_nested()
        try:
            fast_copy(conn, table, rows, STAGED_COLUMNS, prepare=prepare)
        except conn.dialect.dbapi.IntegrityError:  # type: ignore[union-attr]
            savepoint.rollback()
            prepare([row for row in rows if row.get("batch_id") != batch_id])  # chunks the COPY never reached
            bulk_upsert(conn, table, _restricted(rows), ["record_id"])
        else:
            savepoint.commit()
