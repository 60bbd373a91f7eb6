"""Landing helpers for connector tests: a migrated warehouse, land → stage, and the accounting checks."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from connectors.base import BaseConnector, Window
from warehouse import land_batch, make_engine, migrate, open_batch, read_landed, stage_batch
from warehouse.load.batches import LandingStats

_TEMPLATE: dict[str, Path] = {}


def sqlite_warehouse(directory: Path) -> sa.Engine:
    """A migrated SQLite warehouse in ``directory`` (migrated once per session, then copied)."""
    if "db" not in _TEMPLATE:
        template = Path(directory.parent) / "template-hub.db"
        migrate(f"sqlite:///{template}")
        _TEMPLATE["db"] = template
    target = directory / "hub.db"
    shutil.copy(_TEMPLATE["db"], target)
    return make_engine(f"sqlite:///{target}")


def land(engine: sa.Engine, connector: BaseConnector, window: Window) -> tuple[str, LandingStats]:
    """Open the window's batch and land what the connector fetches for it."""
    batch_id = open_batch(engine, connector.source, window.key, window.start, window.end)
    return batch_id, land_batch(
        engine, batch_id, connector.source, connector.keyed(connector.fetch_raw(window))
    )


def stage_mappable(engine: sa.Engine, batch_id: str, connector: type[BaseConnector]) -> dict[str, int]:
    """Stage what maps to a record with a report time, quarantine the rest (without GX, to keep tests fast).

    ``stage_batch`` refuses a split that does not add up to the rows landed, so this doubles as the
    accounting check of the landing.
    """
    landed = read_landed(engine, batch_id)
    by_id = {rid: (lid, payload) for lid, rid, payload in landed}
    result = connector.standardise((rid, payload) for _, rid, payload in landed)
    good = [
        r.as_dict() | {"landing_id": by_id[r.source_record_id][0]}
        for r in result.records
        if r.reported_at is not None
    ]
    reasons = dict(result.errors) | {
        r.source_record_id: "reported_at: missing" for r in result.records if r.reported_at is None
    }
    held = [
        {"source_record_id": rid, "landing_id": by_id[rid][0], "payload": by_id[rid][1], "reasons": [why]}
        for rid, why in sorted(reasons.items())
    ]
    return stage_batch(engine, batch_id, good, held, [])


def batch_row(engine: sa.Engine, batch_id: str) -> dict[str, Any]:
    with engine.connect() as conn:
        return dict(
            conn.execute(sa.text("SELECT * FROM batch WHERE batch_id = :b"), {"b": batch_id}).mappings().one()
        )


def assert_reconciled(engine: sa.Engine, batch_id: str) -> dict[str, Any]:
    """The batch's stored counts add up: fetched = landed + unchanged + quarantined."""
    row = batch_row(engine, batch_id)
    assert row["fetched"] == row["landed"] + row["unchanged"] + row["quarantined"], row
    return row


def landing(engine: sa.Engine, source: str) -> list[tuple[str, int, str]]:
    """``(source_record_id, version, payload_hash)`` of every landed version of ``source``."""
    with engine.connect() as conn:
        return [
            tuple(r)
            for r in conn.execute(
                sa.text(
                    "SELECT source_record_id, version, payload_hash FROM landing_record WHERE source = :s "
                    "ORDER BY source_record_id, version"
                ),
                {"s": source},
            )
        ]


def assert_nothing_lost_or_duplicated(engine: sa.Engine, source: str, expected_ids: set[str]) -> None:
    """Every expected record is landed, nothing else is, and no payload is landed twice."""
    rows = landing(engine, source)
    assert {rid for rid, _, _ in rows} == expected_ids
    twice = [key for key, n in Counter((rid, digest) for rid, _, digest in rows).items() if n > 1]
    assert not twice, twice
