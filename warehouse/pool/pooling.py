"""The pool: reading what matching needs, and publishing its decisions as cases, members and history."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from warehouse.access.hashing import hash_blocking_key, hash_key
from warehouse.load.batches import STAGED_STATUSES
from warehouse.pool.golden import add_to_scope, create_scope, drop_work_tables, refresh_golden
from warehouse.pool.groups import refresh_groups
from warehouse.pool.publish import pool_version, publish
from warehouse.schema import (
    Batch,
    CaseMember,
    ComplaintCase,
    MatchKey,
    ReviewDecision,
    StagedRecord,
    table_of,
)
from warehouse.schema.base import UtcDateTime
from warehouse.schema.dialect import chunks, upsert

MATCH_COLUMNS = (
    "record_id",
    "source",
    "reported_at",
    "name",
    "phone",
    "id_number",
    "address",
    "district",
    "street",
    "community",
    "category",
    "content",
)
CANDIDATE_COLUMNS = (*MATCH_COLUMNS, "case_id", "case_first_reported_at")


def unmatched_records(
    engine: sa.Engine, batch_ids: Sequence[str], catch_up: bool = True
) -> list[dict[str, Any]]:
    """Staged records not yet in any case (what the matcher must place).

    Args:
        engine: the warehouse.
        batch_ids: the run's batches.
        catch_up: also take staged records of earlier batches that no matching placed yet: a batch
            released from hold after its run, or the other batches of a run whose matching did not
            run because one batch was held. A held batch stages nothing, so it is never matched.

    Returns:
        One dict per record: the match columns and its batch id.
    """
    r, m = table_of(StagedRecord), table_of(CaseMember)
    scope = sa.true() if catch_up else r.c.batch_id.in_(list(batch_ids))
    query = (
        sa.select(*[r.c[c] for c in MATCH_COLUMNS], r.c.batch_id)
        .outerjoin(m, m.c.record_id == r.c.record_id)
        .where(scope, m.c.record_id.is_(None))
        .order_by(r.c.record_id)
    )
    with engine.connect() as conn:
        return [dict(row) for row in conn.execute(query).mappings()]


def pool_candidates(engine: sa.Engine, keys: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Pooled records sharing at least one blocking key with ``keys``, with their current case.

    Only the records a new batch could match are read, never the whole pool. A key row may carry
    ``since`` (``matching.probe_keys``: its rule's time window reaches no further back): only pooled
    records reported since then are read for it. One that carries ``nearest`` and ``until`` too (a rule
    pairing each record with the latest few of its block before it) reads only that many of those reported
    by ``until``, the latest, and any reported after ``after`` (the new record's own time: a late report is
    what their reports reach back to): a common sum's key reads its last few claims, not its months.
    """
    if not keys:
        return []
    r, m, c, k = (table_of(StagedRecord), table_of(CaseMember), table_of(ComplaintCase), table_of(MatchKey))
    probe = sa.Table(
        "tmp_probe_key",
        sa.MetaData(),
        sa.Column("probe_id", sa.Integer),
        sa.Column("rule", sa.String(80)),
        sa.Column("key", sa.String(200)),
        sa.Column("since", UtcDateTime()),
        sa.Column("until", UtcDateTime()),
        sa.Column("after", UtcDateTime()),
        sa.Column("nearest", sa.Integer),
        prefixes=["TEMPORARY"],
    )
    with engine.begin() as conn:
        probe.create(conn)
        try:
            conn.execute(sa.insert(probe), _probe_rows(keys))
            reported = r.alias("reported")
            joined = (
                sa.select(k.c.record_id)
                .join(probe, sa.and_(probe.c.rule == k.c.rule, probe.c.key == k.c.key))
                .join(reported, reported.c.record_id == k.c.record_id)
                .where(sa.or_(probe.c.since.is_(None), reported.c.reported_at >= probe.c.since))
            )
            before = sa.case((reported.c.reported_at <= probe.c.until, 1), else_=0)
            ranked = (
                joined.add_columns(
                    reported.c.reported_at,
                    probe.c.after,
                    probe.c.nearest,
                    before.label("before"),
                    sa.func.row_number()
                    .over(
                        partition_by=(probe.c.probe_id, before),
                        order_by=(reported.c.reported_at.desc(), k.c.record_id.desc()),
                    )
                    .label("latest"),
                )  # fmt: skip
                .where(probe.c.nearest.is_not(None))
                .subquery()
            )
            limited = sa.select(ranked.c.record_id).where(
                sa.or_(
                    sa.and_(ranked.c.before == 1, ranked.c.latest <= ranked.c.nearest),
                    ranked.c.reported_at > ranked.c.after,
                )
            )
            hits = sa.union(joined.where(probe.c.nearest.is_(None)), limited).subquery()
            query = (
                sa.select(
                    *[r.c[col] for col in MATCH_COLUMNS],
                    m.c.case_id,
                    c.c.first_reported_at.label("case_first_reported_at"),
                )
                .join(hits, hits.c.record_id == r.c.record_id)
                .join(m, m.c.record_id == r.c.record_id)
                .join(c, c.c.case_id == m.c.case_id)
                .order_by(r.c.record_id)
            )
            return [dict(row) for row in conn.execute(query).mappings()]
        finally:
            probe.drop(conn)


def pool_value_counts(engine: sa.Engine, keys: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """How many pooled records carry each of ``keys`` (``{rule, key}``, e.g. the matcher's frequency keys
    of a new batch: ``frequency:address_key`` / ``永昌路88号``), counted in ``match_key`` by its keyed hash.

    One grouped count over the keys' index, never a read of the records.

    Returns:
        ``{rule, key, records}`` per distinct key asked (the raw key back; ``records`` 0 where none carry it).
    """
    if not keys:
        return []
    secret = hash_key()
    raw = {(str(row["rule"]), str(row["key"])) for row in keys}
    hashed = {(rule, hash_blocking_key(rule, key, secret)): key for rule, key in raw}
    k = table_of(MatchKey)
    probe = sa.Table(
        "tmp_count_key",
        sa.MetaData(),
        sa.Column("rule", sa.String(80)),
        sa.Column("key", sa.String(200)),
        prefixes=["TEMPORARY"],
    )
    with engine.begin() as conn:
        probe.create(conn)
        try:
            conn.execute(sa.insert(probe), [{"rule": rule, "key": key} for rule, key in sorted(hashed)])
            query = (
                sa.select(probe.c.rule, probe.c.key, sa.func.count(k.c.record_id).label("records"))
                .outerjoin(k, sa.and_(k.c.rule == probe.c.rule, k.c.key == probe.c.key))
                .group_by(probe.c.rule, probe.c.key)
            )
            counted = {(row.rule, row.key): int(row.records) for row in conn.execute(query)}
        finally:
            probe.drop(conn)
    return [
        {"rule": rule, "key": hashed[(rule, key)], "records": counted.get((rule, key), 0)}
        for rule, key in sorted(hashed)
    ]


def _probe_rows(keys: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """One probe row per (rule, hashed key): match_key holds keyed hashes of the blocking keys, so the
    probe is hashed the same way; its ``since`` is the earliest of its rows' (``None`` if any has none).
    A row with ``nearest`` stays a probe of its own (each new record reaches back to its own latest few)."""
    secret = hash_key()
    since: dict[tuple[str, str], datetime | None] = {}
    limited: dict[tuple[str, str, Any, Any, Any, int], None] = {}
    for row in keys:
        probe = (str(row["rule"]), hash_blocking_key(str(row["rule"]), str(row["key"]), secret))
        value = _bound(row.get("since"))
        nearest, until = row.get("nearest"), _bound(row.get("until"))
        if nearest is not None and nearest == nearest and until is not None:
            limited[(*probe, value, until, _bound(row.get("after")), int(nearest))] = None
            continue
        if probe not in since:
            since[probe] = value
        elif since[probe] is not None:
            since[probe] = None if value is None else min(since[probe], value)
    rows: list[dict[str, Any]] = [
        {"rule": rule, "key": key, "since": value, "until": None, "after": None, "nearest": None}
        for (rule, key), value in since.items()
    ]
    rows += [{"rule": rule, "key": key, "since": value, "until": until, "after": after, "nearest": nearest}
             for rule, key, value, until, after, nearest in limited]  # fmt: skip
    return [{"probe_id": i, **row} for i, row in enumerate(rows)]


def _bound(value: Any) -> Any:
    """A time bound as given, ``None`` for none (NaT, NaN)."""
    return None if value is None or value != value else value


def review_decisions(engine: sa.Engine) -> list[dict[str, Any]]:
    """Every reviewer decision, to override the model."""
    t = table_of(ReviewDecision)
    with engine.connect() as conn:
        return [
            dict(row)
            for row in conn.execute(sa.select(t.c.record_id_l, t.c.record_id_r, t.c.decision)).mappings()
        ]


def record_review(
    engine: sa.Engine,
    record_id_l: str,
    record_id_r: str,
    decision: str,
    reviewer: str,
    reason: str | None = None,
) -> None:
    """Store a reviewer's same/different/unsure verdict (pair order does not matter); nothing else changes
    (:func:`warehouse.review.decide` also checks the records and merges on ``same``)."""
    if decision not in ("same", "different", "unsure"):
        raise ValueError(f"decision must be 'same', 'different' or 'unsure', not {decision!r}")
    left, right = sorted((record_id_l, record_id_r))
    with engine.begin() as conn:
        upsert(
            conn,
            table_of(ReviewDecision),
            [
                {
                    "record_id_l": left,
                    "record_id_r": right,
                    "decision": decision,
                    "reviewer": reviewer,
                    "reason": reason,
                }
            ],
            ["record_id_l", "record_id_r"],
        )


def publish_matches(
    engine: sa.Engine,
    assignments: Sequence[dict[str, Any]],
    merges: Sequence[dict[str, Any]],
    pairs: Sequence[dict[str, Any]],
    keys: Sequence[dict[str, str]],
    batch_ids: Sequence[str] = (),
    read_at_version: int | None = None,
) -> dict[str, int]:
    """Apply one matching pass to the pool in a single transaction: a reader sees all of it or none.

    Set-based (work tables, COPY on PostgreSQL), idempotent, and it ends by refreshing the golden
    records and groups of exactly the cases that changed (:mod:`warehouse.pool.publish`).

    Args:
        engine: the warehouse.
        assignments: ``{record_id, case_id, match_probability, matched_record_id, is_new_case}`` per record.
        merges: ``{surviving_case_id, absorbed_case_id, bridging_record_id}``; the surviving case is the older.
        pairs: scored pairs to keep as evidence (``record_id_l, record_id_r, match_weight,
            match_probability, decision`` and a ``gamma_<comparison>`` level per comparison).
        keys: ``{record_id, rule, key}`` blocking keys of the assigned records (stored as keyed hashes).
        batch_ids: the run's batches: cases whose pooled records they re-staged (a status update) are
            refreshed too.
        read_at_version: the pool's version (:func:`current_pool_version`) when the pass read it; a
            reviewer's correction since makes the publish refuse (``PoolChanged``), writing nothing.

    Returns:
        Counts of what was written.
    """
    return publish(engine, assignments, merges, pairs, keys, batch_ids, read_at_version)


def current_pool_version(engine: sa.Engine) -> int:
    """The pool's version for :func:`publish_matches`: the last membership-changing correction's id."""
    with engine.connect() as conn:
        return pool_version(conn)


def unpooled_batches(engine: sa.Engine) -> list[str]:
    """Staged batches no publish has taken in yet: a pool run adds them to its own batches, so that a batch
    whose run failed for good still gets its records placed and its re-staged records' cases refreshed."""
    b = table_of(Batch)
    query = (
        sa.select(b.c.batch_id)
        .where(b.c.pooled_at.is_(None), b.c.status.in_(STAGED_STATUSES))
        .order_by(b.c.batch_id)
    )
    with engine.connect() as conn:
        return list(conn.execute(query).scalars())


def refresh_pool(engine: sa.Engine, batch_ids: Sequence[str]) -> dict[str, int]:
    """Refresh the cases whose pooled records ``batch_ids`` re-staged, when matching had nothing to place."""
    return publish_matches(engine, [], [], [], [], batch_ids)


def refresh_cases(conn: sa.Connection, case_ids: Sequence[str]) -> None:
    """Recompute the summary, golden fields and groups of ``case_ids`` from their members, set-based."""
    create_scope(conn)
    for part in chunks(list(case_ids)):
        marks = ", ".join(f":c{i}" for i in range(len(part)))
        add_to_scope(
            conn,
            f"SELECT case_id, updated_batch_id, 0 FROM complaint_case WHERE case_id IN ({marks})",
            {f"c{i}": c for i, c in enumerate(part)},
        )
    refresh_golden(conn)
    refresh_groups(conn)
    drop_work_tables(conn)
