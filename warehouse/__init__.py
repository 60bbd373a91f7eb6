"""The warehouse: schema and migrations, landing and staging, and the pool."""

from __future__ import annotations

from warehouse.engine import database_url, make_engine, migrate, with_driver
from warehouse.files import file_registry, land_files, loaded_files, mark_archived, new_files
from warehouse.holds import BatchHeld, apply_gates, reject_batch, release_batch
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
    refresh_pool,
    review_decisions,
    unmatched_records,
    unpooled_batches,
)
from warehouse.quality import batch_profile

__all__ = [
    "CANDIDATE_COLUMNS",
    "AccountingError",
    "BatchHeld",
    "LandingStats",
    "apply_gates",
    "batch_counts",
    "batch_profile",
    "database_url",
    "file_registry",
    "land_batch",
    "land_files",
    "loaded_files",
    "make_engine",
    "mark_archived",
    "migrate",
    "new_files",
    "open_batch",
    "pool_candidates",
    "publish_matches",
    "read_landed",
    "record_review",
    "refresh_pool",
    "reject_batch",
    "release_batch",
    "review_decisions",
    "stage_batch",
    "unmatched_records",
    "unpooled_batches",
    "with_driver",
]
