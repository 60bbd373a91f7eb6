"""The warehouse: schema and migrations, landing and staging, and the pool.

This module is the facade callers import from. Its rooms, in layers (each imports only those before
it): ``engine`` (where the warehouse is, how to connect and migrate), ``schema`` (models, dialect
helpers), ``access`` (keyed hashes, roles, data dictionary), ``derive`` (derived columns, topics,
survivorship rules), ``load`` (landing, staging, bulk COPY, file drops), ``pool`` (matcher I/O,
publish, golden records, groups, lineage, match runs, rehash), ``quality`` (validation runs, holds,
audit report), ``contract`` (what old migrations froze), ``queries`` (dashboard SQL) and ``cli`` (the
operator commands ``python -m warehouse`` runs). tests/warehouse/test_layout.py holds the layers.
"""

from __future__ import annotations

from warehouse.engine import database_url, make_engine, migrate, with_driver
from warehouse.load.batches import (
    AccountingError,
    LandingStats,
    batch_counts,
    land_batch,
    open_batch,
    read_landed,
    stage_batch,
)
from warehouse.load.files import (
    file_registry,
    land_files,
    loaded_files,
    mark_archived,
    new_files,
    release_file,
    set_aside_files,
)
from warehouse.pool.pooling import (
    CANDIDATE_COLUMNS,
    current_pool_version,
    pool_candidates,
    pool_value_counts,
    publish_matches,
    record_review,
    refresh_pool,
    review_decisions,
    unmatched_records,
    unpooled_batches,
)
from warehouse.pool.publish import PoolChanged
from warehouse.quality.holds import BatchHeld, apply_gates, reject_batch, release_batch
from warehouse.quality.validation import batch_profile

__all__ = [
    "CANDIDATE_COLUMNS",
    "AccountingError",
    "BatchHeld",
    "LandingStats",
    "PoolChanged",
    "apply_gates",
    "batch_counts",
    "batch_profile",
    "current_pool_version",
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
    "pool_value_counts",
    "publish_matches",
    "read_landed",
    "record_review",
    "refresh_pool",
    "reject_batch",
    "release_batch",
    "release_file",
    "review_decisions",
    "set_aside_files",
    "stage_batch",
    "unmatched_records",
    "unpooled_batches",
    "with_driver",
]
