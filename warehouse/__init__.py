"""The warehouse: schema and migrations, landing and staging, and the pool."""

from __future__ import annotations

from warehouse.engine import database_url, make_engine, migrate, with_driver
from warehouse.load import (
    AccountingError,
    LandingStats,
    batch_counts,
    land_batch,
    open_batch,
    read_landed,
    stage_batch,
)
from warehouse.pool import (
    CANDIDATE_COLUMNS,
    pool_candidates,
    publish_matches,
    record_review,
    review_decisions,
    unmatched_records,
)

__all__ = [
    "CANDIDATE_COLUMNS",
    "AccountingError",
    "LandingStats",
    "batch_counts",
    "database_url",
    "land_batch",
    "make_engine",
    "migrate",
    "open_batch",
    "pool_candidates",
    "publish_matches",
    "read_landed",
    "record_review",
    "review_decisions",
    "stage_batch",
    "unmatched_records",
    "with_driver",
]
