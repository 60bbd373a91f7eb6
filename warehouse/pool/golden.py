"""Golden case records, set-based: every survivorship rule in one SQL statement over the cases in scope.

One sort does it all. Members are ordered once per case (latest report first); each field's rule
becomes an integer key ``rule_rank * 2**20 + position`` that is smallest for the member that wins, so
a per-case ``min`` finds the winner and a per-case ``max(CASE ...)`` reads its value and record id.
That is a single window sort plus hash/group aggregates, the same SQL on SQLite (>= 3.28) and
PostgreSQL, and it never loops over cases in Python.

The caller fills ``tmp_scope`` (:func:`create_scope`): which cases to refresh, the batch to credit
with a change, and whether their membership changed (``touched``).
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from warehouse.derive.survivorship import Survivorship, load_survivorship
from warehouse.pool._golden_sql import golden_select, json_object, null_safe_differs

SCOPE = "tmp_scope"
GOLDEN = "tmp_golden"
SUMMARY = (
    "n_records",
    "n_channels",
    "channels",
    "n_complainants",
    "first_reported_at",
    "last_reported_at",
    "group_key",
)


def create_scope(conn: sa.Connection) -> None:
    """(Re)create the empty scope table ``tmp_scope(case_id, batch_id, touched, fresh)`` for this
    transaction; ``fresh`` cases were inserted complete by :func:`insert_new_cases`."""
    conn.execute(sa.text(f"DROP TABLE IF EXISTS {SCOPE}"))
    conn.execute(
        sa.text(
            f"CREATE TEMPORARY TABLE {SCOPE} (case_id VARCHAR(40) PRIMARY KEY, "
            "batch_id VARCHAR(160) NOT NULL, touched INTEGER NOT NULL, fresh INTEGER DEFAULT 0)"
        )
    )


def add_to_scope(conn: sa.Connection, select_sql: str, params: dict[str, Any] | None = None) -> None:
    """Add ``(case_id, batch_id, touched)`` rows from ``select_sql``; a case already in scope keeps its
    row but becomes touched if the new row says so."""
    conn.execute(
        sa.text(
            f"INSERT INTO {SCOPE} (case_id, batch_id, touched) {select_sql} "
            "ON CONFLICT (case_id) DO UPDATE SET touched = "
            f"CASE WHEN excluded.touched > {SCOPE}.touched THEN excluded.touched "
            f"ELSE {SCOPE}.touched END, batch_id = CASE WHEN excluded.touched > {SCOPE}.touched "
            f"THEN excluded.batch_id ELSE {SCOPE}.batch_id END"
        ),
        params or {},
    )


def refresh_golden(conn: sa.Connection, settings: Survivorship | None = None) -> dict[str, int]:
    """Recompute the summary and golden fields of the open cases in ``tmp_scope``; record status changes.

    A case is written only when it was touched or something it shows changed, so re-publishing the
    same batch writes nothing and leaves ``updated_batch_id`` / ``updated_at`` as they were.

    Args:
        conn: the publish's connection (its transaction).
        settings: survivorship settings (default: the packaged ones).

    Returns:
        ``{"cases": refreshed, "status_changes": events written}``.
    """
    settings = settings or load_survivorship()
    dialect = conn.dialect.name
    _golden_table(conn, settings, f"(SELECT case_id FROM {SCOPE} WHERE fresh = 0)", "case_member")
    changes = _status_changes(conn, dialect)
    fields = [f.name for f in settings.fields]
    sources = json_object(dialect, [(f, f"g.{f}__src") for f in fields])
    assignments = ", ".join([f"{c} = g.{c}" for c in (*SUMMARY, *fields)] + [f"golden_sources = {sources}"])
    differs = " OR ".join(
        [null_safe_differs(dialect, f"complaint_case.{c}", f"g.{c}") for c in (*SUMMARY, *fields)]
        + [null_safe_differs(dialect, "complaint_case.golden_sources", sources)]
    )
    result = conn.execute(
        sa.text(
            f"UPDATE complaint_case SET {assignments}, updated_batch_id = s.batch_id, updated_at = CURRENT_TIMESTAMP "
            f"FROM {GOLDEN} g JOIN {SCOPE} s ON s.case_id = g.case_id "
            f"WHERE complaint_case.case_id = g.case_id AND complaint_case.status <> 'merged' "
            f"AND (s.touched = 1 OR {differs})"
        )
    )
    return {"cases": result.rowcount, "status_changes": changes}


def insert_new_cases(
    conn: sa.Connection, new_cases: str, members: str, settings: Survivorship | None = None
) -> int:
    """Insert cases that do not exist yet with their golden record computed, instead of inserting
    empty rows and updating them (half the writes on a large publish).

    Args:
        conn: the publish's connection.
        new_cases: a table of ``(case_id, batch_id)``: the cases to create and the batch creating each.
        members: a table of ``(record_id, case_id)`` holding every member of those cases.
        settings: survivorship settings (default: the packaged ones).

    Returns:
        How many cases were inserted. They join ``tmp_scope`` as touched and fresh (complete).
    """
    settings = settings or load_survivorship()
    dialect = conn.dialect.name
    if dialect == "postgresql":  # straight from the SELECT: no wide work table written and read back
        golden = f"({golden_select(settings, dialect, new_cases, members)})"
    else:  # SQLite fills ``channels`` by a second statement over the work table
        _golden_table(conn, settings, new_cases, members)
        golden = GOLDEN
    fields = [f.name for f in settings.fields]
    sources = json_object(dialect, [(f, f"g.{f}__src") for f in fields])
    columns = (*SUMMARY, *fields)
    inserted = conn.execute(
        sa.text(
            "INSERT INTO complaint_case (case_id, status, created_batch_id, updated_batch_id, created_at, updated_at, "
            f"{', '.join(columns)}, golden_sources) SELECT g.case_id, 'open', n.batch_id, n.batch_id, "
            f"CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, {', '.join(f'g.{c}' for c in columns)}, {sources} "
            f"FROM {golden} g JOIN {new_cases} n ON n.case_id = g.case_id"
        )
    ).rowcount
    # An anti-join rather than ON CONFLICT (which probes the key before every row), in key order so the
    # scope's primary key grows at its right edge.
    conn.execute(
        sa.text(
            f"INSERT INTO {SCOPE} (case_id, batch_id, touched, fresh) "
            f"SELECT n.case_id, n.batch_id, 1, 1 FROM {new_cases} n WHERE NOT EXISTS "
            f"(SELECT 1 FROM {SCOPE} s WHERE s.case_id = n.case_id) ORDER BY n.case_id"
        )
    )
    return int(inserted or 0)


def _golden_table(conn: sa.Connection, settings: Survivorship, cases: str, members: str) -> None:
    """``tmp_golden``: the golden row of each case in ``cases`` from its members in ``members``."""
    conn.execute(sa.text(f"DROP TABLE IF EXISTS {GOLDEN}"))
    select = golden_select(settings, conn.dialect.name, cases, members)
    conn.execute(sa.text(f"CREATE TEMPORARY TABLE {GOLDEN} AS {select}"))
    if conn.dialect.name != "postgresql":  # SQLite has no ordered string_agg before 3.44: sort in a subquery
        conn.execute(
            sa.text(
                f"UPDATE {GOLDEN} SET channels = (SELECT group_concat(source, ',') FROM (SELECT DISTINCT r.source "
                f"FROM {members} m JOIN complaint_record r ON r.record_id = m.record_id "
                f"WHERE m.case_id = {GOLDEN}.case_id ORDER BY r.source))"
            )
        )


def _status_changes(conn: sa.Connection, dialect: str) -> int:
    """A ``status_changed`` event for each open case whose golden status moves (before it is overwritten)."""
    detail = json_object(dialect, [("from", "c.current_status"), ("to", "g.current_status")])
    related = "g.current_status || '@' || s.batch_id"
    result = conn.execute(
        sa.text(
            "INSERT INTO case_history (case_id, event, related_id, batch_id, detail) "
            f"SELECT c.case_id, 'status_changed', {related}, s.batch_id, {detail} "
            f"FROM complaint_case c JOIN {GOLDEN} g ON g.case_id = c.case_id JOIN {SCOPE} s ON s.case_id = c.case_id "
            "WHERE c.status <> 'merged' AND c.current_status IS NOT NULL AND g.current_status IS NOT NULL "
            "AND c.current_status <> g.current_status "
            "ON CONFLICT (case_id, event, related_id) DO NOTHING"
        )
    )
    return int(result.rowcount or 0)


def drop_work_tables(conn: sa.Connection) -> None:
    """Drop the scope and golden work tables (SQLite keeps temporary tables for the connection's life)."""
    for table in (GOLDEN, SCOPE):
        conn.execute(sa.text(f"DROP TABLE IF EXISTS {table}"))
