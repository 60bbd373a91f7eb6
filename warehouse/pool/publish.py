"""Publishing a matching pass to the pool, set-based, in one transaction: all of it or none of it.

The pass arrives in work tables (COPY on PostgreSQL when large, executemany otherwise); every change
is then one SQL statement over them: new cases, new and moved members, history, blocking keys (keyed
hashes), evidence, and finally the golden records and groups of exactly the cases that changed.
Re-publishing the same pass finds nothing new and writes nothing (the pool stays as it was).
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import sqlalchemy as sa

from warehouse.access.hashing import check_key, hash_key
from warehouse.load.batches import STAGED_STATUSES
from warehouse.load.bulk_mode import deferred_constraints
from warehouse.pool._evidence_rows import assignment_rows, key_rows, null_if_nan, pair_rows
from warehouse.pool._golden_sql import json_object, null_safe_differs
from warehouse.pool.golden import (
    add_to_scope,
    create_scope,
    drop_work_tables,
    insert_new_cases,
    refresh_golden,
)
from warehouse.pool.groups import refresh_groups
from warehouse.pool.work_tables import (
    ASSIGN,
    KEYS,
    PAIRS,
    CopyPayload,
    drop_work_table,
    load_work_table,
    publish_session,
    render_rows,
)
from warehouse.schema import Batch, CaseHistory, CaseMember, ComplaintCase, MatchKey, MatchPair, table_of
from warehouse.schema.dialect import upsert

_CHANGED, _NEW = "tmp_changed", "tmp_new_case"


class PoolChanged(RuntimeError):
    """A reviewer corrected the pool after the pass read it: the pass must read the pool again."""


def pool_version(conn: sa.Connection) -> int:
    """The last correction that changed membership (``case_correction``; 0 before any): a pass remembers
    it when it reads the pool and publishes only if it is still the same."""
    value = conn.execute(
        sa.text("SELECT max(correction_id) FROM case_correction WHERE kind <> 'confirm'")
    ).scalar_one_or_none()
    return int(value or 0)


def publish(
    engine: sa.Engine,
    assignments: Sequence[dict[str, Any]],
    merges: Sequence[dict[str, Any]],
    pairs: Sequence[dict[str, Any]],
    keys: Sequence[dict[str, str]],
    batch_ids: Sequence[str] = (),
    read_at_version: int | None = None,
) -> dict[str, int]:
    """Apply one matching pass (see :func:`warehouse.pool.pooling.publish_matches` for the arguments).

    Args:
        batch_ids: batches whose re-staged records (a status update of a pooled record) should refresh
            their cases' golden records even though no assignment names them; the pass takes them in,
            so they are marked pooled (``batch.pooled_at``).
        read_at_version: the :func:`pool_version` the pass read the pool at; if a correction came since,
            nothing is written and :class:`PoolChanged` is raised.

    Returns:
        Counts of records, new cases, merges, refreshed cases, status changes and new groups.
    """
    merges = _nulls(merges)  # assignments and pairs are cleaned as they are copied
    pool = [table_of(m) for m in (CaseMember, ComplaintCase, CaseHistory, MatchPair, MatchKey)]
    # Tables whose rows this module inserts only where no row matches (anti-joins), never by ON CONFLICT:
    # in bulk mode their primary keys are rebuilt at the end rather than maintained row by row.
    insert_only = [table_of(m) for m in (CaseMember, ComplaintCase, MatchPair, MatchKey)]
    with (
        ThreadPoolExecutor(max_workers=1, thread_name_prefix="publish-rows") as helper,
        engine.begin() as conn,
    ):
        publish_session(conn)  # the publish lock comes before any DDL of bulk mode
        if read_at_version is not None and pool_version(conn) != read_at_version:
            raise PoolChanged("a reviewer corrected the pool since this pass read it: read it again")
        with deferred_constraints(conn, pool, len(assignments), primary_keys=insert_only):
            check_key(conn, hash_key())
            create_scope(conn)
            if assignments:
                load_work_table(conn, ASSIGN, assignment_rows(assignments))
            # The keys' and pairs' rows are hashed and rendered on a helper thread while the server places
            # the records (the client waits on the socket then, with the GIL released), so the two sides
            # overlap. It starts after the assignments' COPY, whose rendering would compete for the GIL.
            evidence = helper.submit(_evidence, engine.dialect, keys, pairs)
            new_cases = _place_records(conn) if assignments else 0
            for merge in merges:
                _apply_merge(conn, merge)
            key_table, pair_table = evidence.result()
            if keys:
                _store_keys(conn, key_table)
            if pairs:
                _store_pairs(conn, pair_table, _CHANGED if assignments else None)
            if batch_ids:  # cases whose members were re-staged by these batches: their status may have moved
                marks = ", ".join(f":b{i}" for i in range(len(batch_ids)))
                add_to_scope(
                    conn,
                    "SELECT m.case_id, max(r.batch_id), 0 FROM case_member m "
                    "JOIN complaint_record r ON r.record_id = m.record_id "
                    f"WHERE r.batch_id IN ({marks}) GROUP BY m.case_id",
                    {f"b{i}": b for i, b in enumerate(batch_ids)},
                )
            golden = refresh_golden(conn)
            groups = refresh_groups(conn)
            drop_work_tables(conn)
            for table in (ASSIGN, KEYS, PAIRS):
                drop_work_table(conn, table)
        if batch_ids:
            # Last, after bulk mode has put back the foreign key on complaint_record: a staging of one of
            # these batches running meanwhile holds that table and then updates its batch row, so locking
            # the row any earlier could deadlock the two. (That staging clears the mark when it commits
            # first; committing between the refresh above and this line, its Asset event still names it
            # to the next run.)
            mark_pooled(conn, batch_ids)
    return {
        "records": len(assignments),
        "new_cases": new_cases,
        "merges": len(merges),
        "cases_refreshed": golden["cases"],
        "status_changes": golden["status_changes"],
        "new_groups": groups["new_groups"],
    }


def mark_pooled(conn: sa.Connection, batch_ids: Sequence[str]) -> None:
    """Record that the pool has taken these batches in (new records placed, re-staged ones refreshed).

    A batch keeps the time of the first publish that took it in; staging it again clears the mark.
    """
    batch = table_of(Batch)
    conn.execute(
        sa.update(batch)
        .where(
            batch.c.batch_id.in_(list(batch_ids)),
            batch.c.pooled_at.is_(None),
            batch.c.status.in_(STAGED_STATUSES),
        )
        .values(pooled_at=sa.func.current_timestamp())
    )


def _place_records(conn: sa.Connection) -> int:
    """New cases, new and moved members and their history from the assignments loaded in ``tmp_assign``;
    returns how many cases were created."""
    dialect = conn.dialect.name
    for table in (_CHANGED, _NEW):
        conn.execute(sa.text(f"DROP TABLE IF EXISTS {table}"))
    # What differs from the pool: a member that is new, moved to another case, or re-scored (and, with no
    # batch, an assigned record that was never staged).
    conn.execute(
        sa.text(
            f"CREATE TEMPORARY TABLE {_CHANGED} AS SELECT a.record_id, a.case_id, a.is_new_case, a.match_probability, "
            "a.matched_record_id, r.batch_id, m.case_id AS old_case_id "
            f"FROM {ASSIGN.name} a LEFT JOIN complaint_record r ON r.record_id = a.record_id "
            "LEFT JOIN case_member m ON m.record_id = a.record_id "
            "WHERE r.record_id IS NULL OR m.record_id IS NULL OR m.case_id <> a.case_id OR "
            f"{null_safe_differs(dialect, 'm.match_probability', 'a.match_probability')} OR "
            f"{null_safe_differs(dialect, 'm.matched_record_id', 'a.matched_record_id')}"
        )
    )
    _analyze(conn, _CHANGED)
    missing = conn.execute(sa.text(f"SELECT count(*) FROM {_CHANGED} WHERE batch_id IS NULL")).scalar_one()
    if missing:
        raise ValueError(f"{missing} assigned record(s) are not staged: nothing published")
    founding = (
        "jsonb_agg(record_id ORDER BY record_id)"
        if dialect == "postgresql"
        else "json_group_array(record_id)"
    )
    conn.execute(
        sa.text(
            f"CREATE TEMPORARY TABLE {_NEW} AS SELECT case_id, min(batch_id) AS batch_id, "
            f"{json_object(dialect, [('records', founding)])} AS detail FROM {_CHANGED} "
            f"WHERE NOT EXISTS (SELECT 1 FROM complaint_case c WHERE c.case_id = {_CHANGED}.case_id) "
            "GROUP BY case_id HAVING max(is_new_case) = 1 ORDER BY case_id"
        )
    )
    _analyze(conn, _NEW)
    created = insert_new_cases(conn, _NEW, _CHANGED)
    # A case's founding records are listed in its 'created' event; later arrivals each get 'record_added'.
    conn.execute(
        sa.text(
            "INSERT INTO case_history (case_id, event, related_id, batch_id, detail) "
            f"SELECT case_id, 'created', case_id, batch_id, detail FROM {_NEW}"
        )
    )
    detail = json_object(
        dialect, [("match_probability", "x.match_probability"), ("matched_record_id", "x.matched_record_id")]
    )
    conn.execute(
        sa.text(
            "INSERT INTO case_history (case_id, event, related_id, batch_id, detail) "
            f"SELECT x.case_id, 'record_added', x.record_id, x.batch_id, {detail} FROM {_CHANGED} x "
            f"WHERE (x.old_case_id IS NULL OR x.old_case_id <> x.case_id) "
            f"AND NOT EXISTS (SELECT 1 FROM {_NEW} n WHERE n.case_id = x.case_id) "
            "ON CONFLICT (case_id, event, related_id) DO NOTHING"
        )
    )
    conn.execute(
        sa.text(
            "UPDATE case_member SET case_id = x.case_id, match_probability = x.match_probability, "
            f"matched_record_id = x.matched_record_id, batch_id = x.batch_id FROM {_CHANGED} x "
            "WHERE case_member.record_id = x.record_id AND x.old_case_id IS NOT NULL"
        )
    )
    conn.execute(
        sa.text(
            "INSERT INTO case_member (record_id, case_id, match_probability, matched_record_id, batch_id) "
            f"SELECT record_id, case_id, match_probability, matched_record_id, batch_id FROM {_CHANGED} "
            "WHERE old_case_id IS NULL"
        )
    )
    # A case that gained or lost a member is touched: refreshed and credited to the batch that did it.
    add_to_scope(
        conn,
        f"SELECT case_id, max(batch_id), 1 FROM {_CHANGED} x WHERE (old_case_id IS NULL "
        f"OR old_case_id <> case_id) AND NOT EXISTS (SELECT 1 FROM {_NEW} n WHERE n.case_id = x.case_id) "
        "GROUP BY case_id",
    )
    add_to_scope(
        conn,
        f"SELECT old_case_id, max(batch_id), 1 FROM {_CHANGED} WHERE old_case_id IS NOT NULL "
        "AND old_case_id <> case_id GROUP BY old_case_id",
    )
    return created


def _analyze(conn: sa.Connection, table: str) -> None:
    # Temporary tables are never auto-analysed: without statistics the planner guesses a few hundred
    # rows and picks nested loops over a million members.
    if conn.dialect.name == "postgresql":
        conn.execute(sa.text(f"ANALYZE {table}"))


def _apply_merge(conn: sa.Connection, merge: dict[str, Any]) -> None:
    keep, gone = merge["surviving_case_id"], merge["absorbed_case_id"]
    batch_id = conn.execute(
        sa.text("SELECT batch_id FROM complaint_record WHERE record_id = :r"),
        {"r": merge["bridging_record_id"]},
    ).scalar_one()
    conn.execute(sa.update(CaseMember).where(CaseMember.case_id == gone).values(case_id=keep))
    conn.execute(
        sa.update(ComplaintCase)
        .where(ComplaintCase.case_id == gone)
        .values(
            status="merged",
            merged_into=keep,
            n_records=0,
            group_id=None,
            updated_batch_id=batch_id,
            updated_at=sa.func.current_timestamp(),
        )
    )
    # Earlier merges into the absorbed case now point at the survivor, so no alert ever dangles.
    conn.execute(sa.update(ComplaintCase).where(ComplaintCase.merged_into == gone).values(merged_into=keep))
    detail = {"bridging_record_id": merge["bridging_record_id"]}
    upsert(
        conn,
        table_of(CaseHistory),
        [
            {"case_id": keep, "event": "merged", "related_id": gone, "batch_id": batch_id, "detail": detail},
            {
                "case_id": gone,
                "event": "merged_into",
                "related_id": keep,
                "batch_id": batch_id,
                "detail": detail,
            },
        ],
        ["case_id", "event", "related_id"],
        update_columns=[],
    )
    add_to_scope(conn, "SELECT :keep, :batch, 1 WHERE 1 = 1", {"keep": keep, "batch": batch_id})


WorkRows = Sequence[dict[str, Any]] | CopyPayload


def _evidence(
    dialect: sa.Dialect, keys: Sequence[dict[str, str]], pairs: Sequence[dict[str, Any]]
) -> tuple[WorkRows, WorkRows]:
    """The keys' and pairs' work-table rows, rendered for COPY where they will be copied (helper thread)."""
    return (
        render_rows(KEYS, key_rows(keys, hash_key()), dialect) if keys else [],
        render_rows(PAIRS, pair_rows(pairs), dialect) if pairs else [],
    )


def _store_keys(conn: sa.Connection, rows: WorkRows) -> None:
    """Blocking keys as keyed hashes (the raw phone, id or name never reaches ``match_key``)."""
    load_work_table(conn, KEYS, rows)
    conn.execute(
        sa.text(
            f"INSERT INTO match_key (rule, key, record_id) SELECT k.rule, k.key, k.record_id "
            f"FROM {KEYS.name} k "
            "WHERE NOT EXISTS (SELECT 1 FROM match_key m WHERE m.rule = k.rule AND m.key = k.key "
            "AND m.record_id = k.record_id)"
        )
    )


def _nulls(rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: null_if_nan(v) for k, v in row.items()} for row in rows]


def _store_pairs(conn: sa.Connection, rows: WorkRows, placed: str | None) -> None:
    """Scored pairs as evidence, credited to the batch of their newer record; a re-scored pair is updated.

    ``placed`` (the records this publish placed, with their batch) answers most batch look-ups from a
    narrow work table; the others are read from ``complaint_record`` one by one.
    """
    load_work_table(conn, PAIRS, rows)
    # The newer record is the right one: its batch is usually the pair's, and usually just placed.
    placed_join = f"LEFT JOIN {placed} x ON x.record_id = p.record_id_r" if placed else ""
    placed_batch = "x.batch_id, " if placed else ""
    dialect = conn.dialect.name
    as_json = "CAST(p.levels AS JSONB)" if dialect == "postgresql" else "p.levels"
    values = {
        "match_weight": "p.match_weight",
        "match_probability": "p.match_probability",
        "levels": as_json,
        "decision": "p.decision",
    }
    differs = " OR ".join(null_safe_differs(dialect, f"match_pair.{c}", v) for c, v in values.items())
    conn.execute(
        sa.text(
            f"UPDATE match_pair SET {', '.join(f'{c} = {v}' for c, v in values.items())} FROM {PAIRS.name} p "
            "WHERE match_pair.record_id_l = p.record_id_l AND match_pair.record_id_r = p.record_id_r "
            f"AND ({differs})"
        )
    )
    conn.execute(
        sa.text(
            "INSERT INTO match_pair (record_id_l, record_id_r, match_weight, match_probability, levels, decision, "
            f"batch_id) SELECT p.record_id_l, p.record_id_r, p.match_weight, p.match_probability, {as_json}, "
            f"p.decision, coalesce({placed_batch}{_batch_of('p.record_id_r')}, {_batch_of('p.record_id_l')}) "
            f"FROM {PAIRS.name} p {placed_join} "
            "WHERE NOT EXISTS (SELECT 1 FROM match_pair m WHERE m.record_id_l = p.record_id_l "
            "AND m.record_id_r = p.record_id_r)"
        )
    )


def _batch_of(record: str) -> str:
    """The batch of ``record`` as a look-up that runs only for the rows that reach it (inside coalesce)."""
    return f"(SELECT r.batch_id FROM complaint_record r WHERE r.record_id = {record})"
