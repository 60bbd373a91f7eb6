"""Staging canonical records: derived columns, then a straight COPY into ``complaint_record`` when they
are new, the upsert otherwise."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa

from warehouse._bulk_mode import deferred_constraints
from warehouse._copy import fast_copy
from warehouse.bulk import COPY_THRESHOLD, bulk_upsert
from warehouse.derived import DERIVED_COLUMNS, derive_columns
from warehouse.hashing import check_key, hash_key
from warehouse.models import StagedRecord, table_of


def stage_rows(conn: sa.Connection, rows: Sequence[dict[str, Any]]) -> None:
    """Add the derived columns to staged rows (in place) and upsert them by ``record_id``.

    On PostgreSQL a large set is first tried as one COPY straight into the table, in a savepoint: most
    staged records are new, and a COPY writes each row once where the upsert writes it to a temporary
    table first and then probes and inserts it with ``ON CONFLICT``. The derived columns are computed
    chunk by chunk as the COPY streams, while the server digests what was sent. A record staged before
    (a re-run, a changed record) makes the COPY fail; the savepoint is rolled back and the upsert does
    the work.

    Raises:
        warehouse.hashing.HashKeyMismatch: if the configured hash key is not the warehouse's.
    """
    if not rows:
        return
    table, key = table_of(StagedRecord), hash_key()
    check_key(conn, key)

    def prepare(chunk: Sequence[dict[str, Any]]) -> None:
        derive_columns(conn, chunk, key, check=False)

    if conn.dialect.name != "postgresql" or len(rows) < COPY_THRESHOLD:
        prepare(rows)
        bulk_upsert(conn, table, rows, ["record_id"])
        return
    columns = [c for c in dict.fromkeys([*rows[0], *DERIVED_COLUMNS]) if c in table.c]
    with deferred_constraints(conn, [table], len(rows)):
        savepoint = conn.begin_nested()
        try:
            fast_copy(conn, table, rows, columns, prepare=prepare)
        except conn.dialect.dbapi.IntegrityError:  # type: ignore[union-attr]
            savepoint.rollback()
            prepare([row for row in rows if "content_masked" not in row])  # chunks the COPY never reached
            bulk_upsert(conn, table, rows, ["record_id"])
        else:
            savepoint.commit()
