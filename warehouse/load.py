"""Batches, raw landing and staging: each function is one transaction, and re-running it changes nothing."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from itertools import islice
from typing import Any

import sqlalchemy as sa

from warehouse._dialect import chunks, upsert
from warehouse.bulk import bulk_upsert
from warehouse.models import Batch, DqResult, LandingRecord, QuarantineRecord, StagedRecord, table_of

LAND_CHUNK = 20_000
STAGED_COLUMNS: tuple[str, ...] = tuple(c.name for c in table_of(StagedRecord).columns)


class AccountingError(RuntimeError):
    """Counts that do not reconcile: something would be lost or double counted, so nothing is committed."""


@dataclass(frozen=True)
class LandingStats:
    """What one landing pass did: ``pending`` rows await validation, ``unchanged`` matched what was held."""

    fetched: int
    pending: int
    unchanged: int
    new_versions: int


def batch_id_for(source: str, window_key: str) -> str:
    """The deterministic id of a source's batch for one window, so a re-run reuses it."""
    return f"{source}:{window_key}"


def open_batch(engine: sa.Engine, source: str, window_key: str, start: datetime, end: datetime,
               run_id: str | None = None) -> str:
    """Create (or reopen, on a re-run) the batch row for ``source`` and the window; return its id."""
    batch_id = batch_id_for(source, window_key)
    row = {"batch_id": batch_id, "source": source, "window_start": start, "window_end": end, "run_id": run_id,
           "status": "extracting", "fetched": 0, "landed": 0, "unchanged": 0, "quarantined": 0}
    with engine.begin() as conn:
        upsert(conn, table_of(Batch), [row], ["batch_id"], update_columns=[])
    return batch_id


def land_batch(engine: sa.Engine, batch_id: str, source: str,
               rows: Iterable[tuple[str, str, dict[str, Any]]]) -> LandingStats:
    """Land ``(source_record_id, payload_hash, payload)`` rows verbatim, streaming in chunks.

    A record identical to the version already held is ``unchanged`` (nothing written); a new or changed
    one becomes a new version owned by this batch. Rows this same batch landed on an earlier try count
    as pending again, so a re-run reproduces the batch exactly. Everything commits in one transaction.

    Args:
        engine: the warehouse.
        batch_id: from :func:`open_batch`.
        source: the source name.
        rows: the fetched rows, in the source's order.

    Returns:
        The counts; ``fetched == pending + unchanged``.
    """
    table = table_of(LandingRecord)
    fetched = new_versions = 0
    latest: dict[str, tuple[int, str, str]] = {}  # source_record_id -> (version, hash, batch) seen so far
    pending: set[str] = set()
    iterator = iter(rows)
    with engine.begin() as conn:
        while chunk := list(islice(iterator, LAND_CHUNK)):
            fetched += len(chunk)
            unknown = list({rid for rid, _, _ in chunk if rid not in latest})
            for part in chunks(unknown):
                query = sa.select(table.c.source_record_id, table.c.version, table.c.payload_hash,
                                  table.c.batch_id).where(table.c.source == source,
                                                          table.c.source_record_id.in_(part))
                for rid, version, digest, owner in conn.execute(query):
                    if rid not in latest or version > latest[rid][0]:
                        latest[rid] = (version, digest, owner)
            inserts = []
            for rid, digest, payload in chunk:
                version, held_digest, owner = latest.get(rid, (0, "", ""))
                if held_digest == digest:
                    if owner == batch_id:
                        pending.add(rid)
                    continue
                latest[rid] = (version + 1, digest, batch_id)
                pending.add(rid)
                inserts.append({"source": source, "source_record_id": rid, "version": version + 1,
                                "batch_id": batch_id, "payload_hash": digest, "payload": payload})
            if inserts:
                bulk_upsert(conn, table, inserts, ["source", "source_record_id", "version"], update_columns=[])
                new_versions += len(inserts)
        stats = LandingStats(fetched, len(pending), fetched - len(pending), new_versions)
        conn.execute(sa.update(Batch).where(Batch.batch_id == batch_id).values(
            status="landed", fetched=stats.fetched, unchanged=stats.unchanged, landed=0, quarantined=0))
    return stats


def read_landed(engine: sa.Engine, batch_id: str) -> list[tuple[int, str, dict[str, Any]]]:
    """The latest version of each record this batch landed: ``(landing_id, source_record_id, payload)``."""
    t = table_of(LandingRecord)
    newest = (sa.select(t.c.source_record_id, sa.func.max(t.c.version).label("version"))
              .where(t.c.batch_id == batch_id).group_by(t.c.source_record_id).subquery())
    query = (sa.select(t.c.landing_id, t.c.source_record_id, t.c.payload)
             .join(newest, sa.and_(t.c.source_record_id == newest.c.source_record_id,
                                   t.c.version == newest.c.version))
             .where(t.c.batch_id == batch_id).order_by(t.c.landing_id))
    with engine.connect() as conn:
        return [(lid, rid, payload) for lid, rid, payload in conn.execute(query)]


def stage_batch(engine: sa.Engine, batch_id: str, records: Sequence[dict[str, Any]],
                quarantined: Sequence[dict[str, Any]], dq_results: Sequence[dict[str, Any]]) -> dict[str, int]:
    """Publish a validated batch to staging and quarantine in one transaction, and close its accounting.

    Args:
        engine: the warehouse.
        batch_id: the batch.
        records: canonical records (``StagedRecord`` columns) that passed validation.
        quarantined: ``{landing_id, source_record_id, reasons, payload}`` for every row held back.
        dq_results: one dict per expectation outcome (``DqResult`` columns, without ids).

    Returns:
        The batch's final counts.

    Raises:
        AccountingError: if staged + quarantined differs from the rows the batch landed.
    """
    with engine.begin() as conn:
        batch = conn.execute(sa.select(Batch).where(Batch.batch_id == batch_id)).mappings().one()
        expected = batch["fetched"] - batch["unchanged"]
        if len(records) + len(quarantined) != expected:
            raise AccountingError(f"batch {batch_id}: {len(records)} staged + {len(quarantined)} quarantined "
                                  f"!= {expected} landed for validation")
        staged_rows = [{**{c: r.get(c) for c in STAGED_COLUMNS}, "batch_id": batch_id} for r in records]
        bulk_upsert(conn, table_of(StagedRecord), staged_rows, ["record_id"])
        q = table_of(QuarantineRecord)
        # A row quarantined on an earlier try that now passes (rules fixed) leaves the quarantine.
        for part in chunks([r["source_record_id"] for r in staged_rows]):
            conn.execute(sa.delete(q).where(q.c.batch_id == batch_id, q.c.source_record_id.in_(part)))
        upsert(conn, q, [{**row, "batch_id": batch_id, "source": batch["source"]} for row in quarantined],
               ["batch_id", "source_record_id"], update_columns=["landing_id", "reasons", "payload"])
        upsert(conn, table_of(DqResult), [{**row, "batch_id": batch_id} for row in dq_results],
               ["batch_id", "suite", "expectation", "column_name"])
        counts = {"fetched": batch["fetched"], "landed": len(records), "unchanged": batch["unchanged"],
                  "quarantined": len(quarantined)}
        conn.execute(sa.update(Batch).where(Batch.batch_id == batch_id).values(status="staged", **counts))
    return counts


def batch_counts(engine: sa.Engine, batch_ids: Sequence[str]) -> list[dict[str, Any]]:
    """The accounting of the given batches, as stored."""
    with engine.connect() as conn:
        rows = conn.execute(sa.select(Batch).where(Batch.batch_id.in_(list(batch_ids)))
                            .order_by(Batch.batch_id)).mappings()
        return [dict(row) for row in rows]
