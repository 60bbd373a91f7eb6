"""A partitioned matching pass in the warehouse: the plan's snapshot, each partition's records and scored pairs.

The plan, the partitions and the publish are separate Airflow tasks, possibly on different workers:
they hand each other only the run id, and the data goes through the ``match_run*`` work tables. Each
write replaces what an earlier try of the same step wrote, in one transaction, so retries are safe.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa

from warehouse.schema import table_of
from warehouse.schema.dialect import chunks
from warehouse.schema.match_runs import MatchRun, MatchRunMember, MatchRunPair, MatchRunRecord

RECORD_COLUMNS = (
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
    "case_id",
    "case_first_reported_at",
)
# The plan's standardised columns (what matching.normalize.standardise writes with the packaged settings):
# stored with the records so the partitions and the publish need not standardise again.
STANDARDISED_COLUMNS = (
    "name_norm",
    "name_pinyin",
    "name_fuzzy",
    "name_surname",
    "name_handle",
    "phone_norm",
    "phone_mobile",
    "phone_masked",
    "phone_key",
    "phone_ends",
    "phone_head",
    "phone_tail",
    "phone_tail_only",
    "id_norm",
    "id_valid",
    "address_norm",
    "address_key",
    "address_place",
    "address_road",
    "address_district",
    "address_flat",
    "district_norm",
    "category_norm",
    "content_facts",
    "content_sum",
    "content_flat",
    "content_topics",
    "content_matters",
    "content_proxy",
    "content_agent",
    "content_group",
    "reported_days",
)
STORED_COLUMNS = (*RECORD_COLUMNS, *STANDARDISED_COLUMNS)
SCORE_COLUMNS = ("person_weight", "dispute_weight", "match_weight", "match_probability")
_TABLES = (MatchRunPair, MatchRunMember, MatchRunRecord, MatchRun)  # children first


def _delete_runs(conn: sa.Connection, where: Any) -> None:
    for model in _TABLES:
        table = table_of(model)
        conn.execute(sa.delete(table).where(where(table.c.run_id)))


def save_plan(
    engine: sa.Engine,
    run_id: str,
    partitions: int,
    batch_ids: Sequence[str],
    records: Sequence[dict[str, Any]],
    members: Sequence[tuple[int, str]],
    parameters: dict[str, Any] | None = None,
    pool_version: int | None = None,
    value_counts: dict[str, dict[str, int]] | None = None,
) -> None:
    """Store a pass's plan in one transaction, replacing any earlier plan of ``run_id``.

    Work rows of other runs are deleted too: the pool DAG runs one pass at a time, so they are what a
    failed pass left behind.

    Args:
        engine: the warehouse.
        run_id: the Airflow run of the pass.
        partitions: the partition count.
        batch_ids: the batches whose staging triggered the pass.
        records: the pass's records: :data:`RECORD_COLUMNS`, ``is_new`` and those of
            :data:`STANDARDISED_COLUMNS` the plan computed (missing ones are stored as null).
        members: ``(shard, record_id)``: the records each partition reads.
        parameters: the model every partition scores with (``None``: the packaged one).
        pool_version: the pool's version the plan read (``warehouse.current_pool_version``).
        value_counts: ``{column: {value: records}}`` over the pool and the pass
            (``matching.frequencies.value_totals``), for every partition to weigh names and places alike.
    """
    with engine.begin() as conn:
        _delete_runs(conn, lambda column: sa.true())
        conn.execute(
            sa.insert(table_of(MatchRun)),
            [
                {
                    "run_id": run_id,
                    "partitions": partitions,
                    "batch_ids": list(batch_ids),
                    "parameters": parameters,
                    "pool_version": pool_version,
                    "value_counts": value_counts,
                }
            ],
        )
        rows = [
            {**{c: r.get(c) for c in STORED_COLUMNS}, "is_new": bool(r["is_new"]), "run_id": run_id}
            for r in records
        ]
        for part in chunks(rows, 5000):
            conn.execute(sa.insert(table_of(MatchRunRecord)), list(part))
        links = [{"run_id": run_id, "shard": int(s), "record_id": r} for s, r in members]
        for part in chunks(links, 10000):
            conn.execute(sa.insert(table_of(MatchRunMember)), list(part))


def match_run(engine: sa.Engine, run_id: str) -> dict[str, Any] | None:
    """The pass's plan header (``partitions``, ``batch_ids``, ``parameters``, ``pool_version``,
    ``value_counts``), or ``None``."""
    t = table_of(MatchRun)
    with engine.connect() as conn:
        row = (
            conn.execute(
                sa.select(
                    t.c.partitions, t.c.batch_ids, t.c.parameters, t.c.pool_version, t.c.value_counts
                ).where(t.c.run_id == run_id)
            )
            .mappings()
            .first()
        )
    return dict(row) if row else None


def run_records(engine: sa.Engine, run_id: str, shard: int | None = None) -> list[dict[str, Any]]:
    """The pass's records (or, with ``shard``, only that partition's), sorted by record id: :data:`STORED_COLUMNS`
    and ``is_new``."""
    t, m = table_of(MatchRunRecord), table_of(MatchRunMember)
    query = sa.select(*[t.c[c] for c in STORED_COLUMNS], t.c.is_new).where(t.c.run_id == run_id)
    if shard is not None:
        query = query.join(m, sa.and_(m.c.run_id == t.c.run_id, m.c.record_id == t.c.record_id)).where(
            m.c.shard == shard
        )
    with engine.connect() as conn:
        return [dict(row) for row in conn.execute(query.order_by(t.c.record_id)).mappings()]


def save_partition_pairs(engine: sa.Engine, run_id: str, shard: int, pairs: Sequence[dict[str, Any]]) -> int:
    """Replace one partition's scored pairs in one transaction.

    Args:
        engine: the warehouse.
        run_id: the pass.
        shard: the partition.
        pairs: ``record_id_l, record_id_r, rule_bits, levels`` (comparison name -> level) and the weights.

    Returns:
        How many pairs were written.
    """
    t = table_of(MatchRunPair)
    rows = [
        {
            "run_id": run_id,
            "shard": shard,
            "record_id_l": p["record_id_l"],
            "record_id_r": p["record_id_r"],
            "rule_bits": int(p["rule_bits"]),
            "levels": {k: int(v) for k, v in p["levels"].items()},
            **{c: float(p[c]) for c in SCORE_COLUMNS},
        }
        for p in pairs
    ]
    with engine.begin() as conn:
        conn.execute(sa.delete(t).where(t.c.run_id == run_id, t.c.shard == shard))
        for part in chunks(rows, 5000):
            conn.execute(sa.insert(t), list(part))
    return len(rows)


def partition_pairs(engine: sa.Engine, run_id: str) -> list[dict[str, Any]]:
    """Every partition's scored pairs of the pass (a pair two partitions found appears twice)."""
    t = table_of(MatchRunPair)
    query = (
        sa.select(
            t.c.shard,
            t.c.record_id_l,
            t.c.record_id_r,
            t.c.rule_bits,
            t.c.levels,
            *[t.c[c] for c in SCORE_COLUMNS],
        )
        .where(t.c.run_id == run_id)
        .order_by(t.c.record_id_l, t.c.record_id_r, t.c.shard)
    )
    with engine.connect() as conn:
        return [dict(row) for row in conn.execute(query).mappings()]


def drop_match_run(engine: sa.Engine, run_id: str) -> None:
    """Delete the pass's work rows (after its publish committed)."""
    with engine.begin() as conn:
        _delete_runs(conn, lambda column: column == run_id)
