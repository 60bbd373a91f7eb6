"""The matcher's fits on the pool's own records (``match_model``): what the pool's passes score with.

The warehouse stores and reads the fits and the records they are made on; when to fit, and the fitting
itself, belong to the matcher and the orchestration (``orchestration.pool``), which joins the two.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa

from warehouse.pool.pooling import MATCH_COLUMNS
from warehouse.schema import CaseMember, MatchModel, StagedRecord, table_of


def latest_fit(engine: sa.Engine, settings_digest: str) -> dict[str, Any] | None:
    """The newest fit made under the settings of ``settings_digest``, or ``None``.

    Returns:
        ``fit_id``, ``records``, ``pool_records``, ``parameters``, ``unreliable``, ``seconds``, ``fitted_at``.
    """
    t = table_of(MatchModel)
    query = (
        sa.select(t.c.fit_id, t.c.records, t.c.pool_records, t.c.parameters, t.c.unreliable, t.c.seconds,
                  t.c.fitted_at)
        .where(t.c.settings_digest == settings_digest)
        .order_by(t.c.fit_id.desc())
        .limit(1)
    )  # fmt: skip
    with engine.connect() as conn:
        row = conn.execute(query).mappings().first()
    return dict(row) if row else None


def store_fit(
    engine: sa.Engine,
    settings_digest: str,
    records: int,
    pool_records: int,
    parameters: dict[str, Any],
    unreliable: Sequence[str],
    seconds: float,
) -> int:
    """Keep a fit (earlier fits stay, for the record of what the pool scored with when); returns its id."""
    t = table_of(MatchModel)
    row = {
        "settings_digest": settings_digest,
        "records": int(records),
        "pool_records": int(pool_records),
        "parameters": parameters,
        "unreliable": list(unreliable),
        "seconds": float(seconds),
    }
    with engine.begin() as conn:
        return int(conn.execute(sa.insert(t).values(**row).returning(t.c.fit_id)).scalar_one())


def pooled_count(engine: sa.Engine) -> int:
    """How many records the pool holds (placed in a case)."""
    with engine.connect() as conn:
        return int(conn.execute(sa.select(sa.func.count()).select_from(table_of(CaseMember))).scalar_one())


def recent_pooled_records(engine: sa.Engine, limit: int) -> list[dict[str, Any]]:
    """The ``limit`` most recently reported pooled records, with the columns the matcher reads
    (ties and unknown report times broken by record id, so the same pool gives the same records)."""
    r, m = table_of(StagedRecord), table_of(CaseMember)
    query = (
        sa.select(*[r.c[c] for c in MATCH_COLUMNS])
        .join(m, m.c.record_id == r.c.record_id)
        .order_by(r.c.reported_at.desc().nulls_last(), r.c.record_id)
        .limit(limit)
    )
    with engine.connect() as conn:
        return [dict(row) for row in conn.execute(query).mappings()]
