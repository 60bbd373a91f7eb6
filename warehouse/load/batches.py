"""Batches, raw landing and staging: each function is one transaction, and re-running it changes nothing."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from itertools import islice
from typing import Any

import sqlalchemy as sa

from warehouse.engine import values_left_out
from warehouse.load.bulk import BackgroundInserts
from warehouse.load.events import stage_events
from warehouse.load.stage_copy import stage_rows
from warehouse.schema import Batch, DqResult, LandingRecord, QuarantineRecord, StagedRecord, table_of
from warehouse.schema.dialect import latest_versions, upsert

# A held batch released by a reviewer (warehouse.quality.holds) is staged with this status.
RELEASED = "released"
# Statuses of a batch whose records are in staging (published to it): what a pool run takes in, and
# the batches whose size counts as normal to the volume gate.
STAGED_STATUSES = ("staged", RELEASED)

LAND_CHUNK = 20_000


class AccountingError(RuntimeError):
    """Counts that do not reconcile: something would be lost or double counted, so nothing is committed."""


@dataclass(frozen=True)
class LandingStats:
    """What one landing pass did: ``pending`` rows await validation, ``unchanged`` matched what was held
    (or repeated a record the same fetch already returned); ``carried`` rows an earlier try of the batch
    landed that this try's fetch no longer returned (included in ``fetched`` and ``pending``)."""

    fetched: int
    pending: int
    unchanged: int
    new_versions: int
    carried: int = 0


def batch_id_for(source: str, window_key: str) -> str:
    """The deterministic id of a source's batch for one window, so a re-run reuses it."""
    return f"{source}:{window_key}"


def open_batch(
    engine: sa.Engine, source: str, window_key: str, start: datetime, end: datetime, run_id: str | None = None
) -> str:
    """Create (or reopen, on a re-run) the batch row for ``source`` and the window; return its id."""
    batch_id = batch_id_for(source, window_key)
    row = {
        "batch_id": batch_id,
        "source": source,
        "window_start": start,
        "window_end": end,
        "run_id": run_id,
        "status": "extracting",
        "fetched": 0,
        "landed": 0,
        "unchanged": 0,
        "quarantined": 0,
    }
    with engine.begin() as conn:
        upsert(conn, table_of(Batch), [row], ["batch_id"], update_columns=[])
    return batch_id


def land_batch(
    engine: sa.Engine, batch_id: str, source: str, rows: Iterable[tuple[str, str, dict[str, Any]]]
) -> LandingStats:
    """Land ``(source_record_id, payload_hash, payload)`` rows verbatim, streaming in chunks, in one transaction.

    A record identical to the version already held is ``unchanged`` (nothing written); a new or changed
    one becomes a new version owned by this batch; a record the same fetch returns again is counted once.
    A re-run of the batch counts the rows it landed on an earlier try as pending again, so it reproduces
    the batch; if the source no longer returns one of them, that row is *carried* (kept in the batch and
    its counts) rather than silently dropped from the accounting.

    Memory stays bounded by the chunk, whatever the window: what a chunk needs to know about earlier
    rows is read back from the landing table (the rows of earlier chunks are visible to the same
    transaction). Only a re-run keeps the ids it has counted.

    Args:
        engine: the warehouse.
        batch_id: from :func:`open_batch`.
        source: the source name.
        rows: the fetched rows, in the source's order.

    Returns:
        The counts; ``fetched == pending + unchanged``.
    """
    with engine.begin() as conn:
        return land_in(conn, batch_id, source, rows)


@values_left_out()  # the rows are raw payloads: a failed write's message must not quote them
def land_in(
    conn: sa.Connection, batch_id: str, source: str, rows: Iterable[tuple[str, str, dict[str, Any]]]
) -> LandingStats:
    """:func:`land_batch` inside the caller's transaction (the file registry lands a file with its rows)."""
    table = table_of(LandingRecord)
    rerun = conn.execute(sa.select(table.c.landing_id).where(table.c.batch_id == batch_id).limit(1)).first()
    # On a first try every row this batch owns was landed by this very fetch, so "owned by us" means
    # "already counted". A re-run cannot tell its own earlier rows apart that way: it remembers ids.
    counted: set[str] | None = set() if rerun else None
    fetched = pending = new_versions = 0
    iterator = iter(rows)
    # The next chunk is fetched while the previous one is copied in (PostgreSQL); its lookup waits for it.
    with BackgroundInserts(conn, table) as inserter:
        while chunk := list(islice(iterator, LAND_CHUNK)):
            fetched += len(chunk)
            inserter.wait()
            held = latest_versions(conn, table, source, sorted({rid for rid, _, _ in chunk}))
            inserts = []
            for rid, digest, payload in chunk:
                version, held_digest, owner = held.get(rid, (0, "", ""))
                ours = owner == batch_id
                if held_digest != digest:
                    held[rid] = (version + 1, digest, batch_id)
                    inserts.append(
                        {
                            "source": source,
                            "source_record_id": rid,
                            "version": version + 1,
                            "batch_id": batch_id,
                            "payload_hash": digest,
                            "payload": payload,
                        }
                    )
                elif not ours:
                    continue  # unchanged since the batch that landed it
                if counted is None:
                    pending += not ours
                elif rid not in counted:
                    counted.add(rid)
                    pending += 1
            if inserts:  # versions computed in this transaction: a conflict means a concurrent try, so fail
                inserter.submit(inserts)
                new_versions += len(inserts)
    carried = _current_count(conn, batch_id) - pending if rerun else 0
    stats = LandingStats(fetched + carried, pending + carried, fetched - pending, new_versions, carried)
    conn.execute(
        sa.update(Batch)
        .where(Batch.batch_id == batch_id)
        .values(status="landed", fetched=stats.fetched, unchanged=stats.unchanged, landed=0, quarantined=0)
    )
    return stats


def _current(batch_id: str) -> Any:
    """The batch's rows that are still the latest version of their record (none newer in any batch)."""
    t, newer = table_of(LandingRecord), table_of(LandingRecord).alias("newer")
    superseded = sa.exists().where(
        newer.c.source == t.c.source,
        newer.c.source_record_id == t.c.source_record_id,
        newer.c.version > t.c.version,
    )
    return sa.and_(t.c.batch_id == batch_id, ~superseded)


def _current_count(conn: sa.Connection, batch_id: str) -> int:
    t = table_of(LandingRecord)
    return int(conn.execute(sa.select(sa.func.count()).select_from(t).where(_current(batch_id))).scalar_one())


def read_landed(engine: sa.Engine, batch_id: str) -> list[tuple[int, str, dict[str, Any]]]:
    """The rows this batch hands to validation: ``(landing_id, source_record_id, payload)``.

    That is, per record, the version this batch landed if it is still the record's latest: a version a
    later batch has since superseded is not validated again (a backfill never rolls staging back).
    """
    t = table_of(LandingRecord)
    query = (
        sa.select(t.c.landing_id, t.c.source_record_id, t.c.payload)
        .where(_current(batch_id))
        .order_by(t.c.landing_id)
    )
    with engine.connect() as conn:
        return [(lid, rid, payload) for lid, rid, payload in conn.execute(query)]


def stage_batch(
    engine: sa.Engine,
    batch_id: str,
    records: Sequence[dict[str, Any]],
    quarantined: Sequence[dict[str, Any]],
    dq_results: Sequence[dict[str, Any]],
) -> dict[str, int]:
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
        return stage_in(conn, batch_id, records, quarantined, dq_results)


@values_left_out()  # the records hold identities: a failed write's message must not quote them
def stage_in(
    conn: sa.Connection,
    batch_id: str,
    records: Sequence[dict[str, Any]],
    quarantined: Sequence[dict[str, Any]],
    dq_results: Sequence[dict[str, Any]],
    status: str = "staged",
) -> dict[str, int]:
    """:func:`stage_batch` inside the caller's transaction, leaving the batch with ``status``."""
    batch = conn.execute(sa.select(Batch).where(Batch.batch_id == batch_id)).mappings().one()
    expected = batch["fetched"] - batch["unchanged"]
    if len(records) + len(quarantined) != expected:
        raise AccountingError(
            f"batch {batch_id}: {len(records)} staged + {len(quarantined)} quarantined "
            f"!= {expected} landed for validation"
        )
    stage_rows(conn, records, batch_id)  # with the derived columns: keyed hashes, topic, masked description
    stage_events(conn, records, batch_id)  # the records' handling events replace their earlier lists
    q = table_of(QuarantineRecord)
    # A row quarantined on an earlier try that now passes (rules fixed) leaves the quarantine: one
    # statement, probing the staged record by its key (``source:source_record_id``).
    if records:
        r = table_of(StagedRecord)
        conn.execute(
            sa.delete(q).where(
                q.c.batch_id == batch_id,
                sa.exists().where(
                    r.c.record_id == q.c.source + ":" + q.c.source_record_id, r.c.batch_id == batch_id
                ),
            )
        )
    upsert(
        conn,
        q,
        [{**row, "batch_id": batch_id, "source": batch["source"]} for row in quarantined],
        ["batch_id", "source_record_id"],
        update_columns=["landing_id", "reasons", "payload"],
    )
    upsert(
        conn,
        table_of(DqResult),
        [{**row, "batch_id": batch_id} for row in dq_results],
        ["batch_id", "suite", "expectation", "column_name"],
    )
    counts = {
        "fetched": batch["fetched"],
        "landed": len(records),
        "unchanged": batch["unchanged"],
        "quarantined": len(quarantined),
    }
    # Staged (again): the pool has yet to take this version of the batch in (see ``Batch.pooled_at``). A
    # rejected batch stages nothing for the pool: its mark stays as it was.
    pooled = {"pooled_at": None} if status in STAGED_STATUSES else {}
    conn.execute(sa.update(Batch).where(Batch.batch_id == batch_id).values(status=status, **pooled, **counts))
    return counts


def batch_counts(engine: sa.Engine, batch_ids: Sequence[str]) -> list[dict[str, Any]]:
    """The accounting of the given batches, as stored."""
    with engine.connect() as conn:
        rows = conn.execute(
            sa.select(Batch).where(Batch.batch_id.in_(list(batch_ids))).order_by(Batch.batch_id)
        ).mappings()
        return [dict(row) for row in rows]
