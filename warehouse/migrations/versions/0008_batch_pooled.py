"""batch pooled mark: when a publish took a batch's staged records into the pool; shown to auditors

A pool run refreshes the cases of re-staged records (a status update) only for the batches it is told
about. With this mark, a batch whose pool run failed for good stays unpooled, and the next run catches
it up instead of leaving its cases' status behind.

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

_BATCH_COLUMNS = ("b.batch_id, b.source, b.window_start, b.window_end, b.run_id, b.status, b.fetched, b.landed, "
                  "b.unchanged, b.quarantined, b.started_at, b.note, b.held_gate, b.held_reason")
_DOC = ("When a pool run took the batch's staged records into the pool (placed the new ones, refreshed the "
        "cases of re-staged ones); NULL while a run still has to (staged again, or its pool run failed).")
_DOCS = sa.table("view_column_doc", sa.column("view_name"), sa.column("column_name"), sa.column("description"))


def upgrade() -> None:
    op.add_column("batch", sa.Column("pooled_at", sa.DateTime(timezone=True), nullable=True))
    # Batches staged before the mark existed are taken as pooled: which of them a failed run left behind
    # cannot be told any more (their unplaced records are still caught up, as before).
    op.execute("UPDATE batch SET pooled_at = CURRENT_TIMESTAMP WHERE status IN ('staged', 'released')")
    _audit_batch_view(f"{_BATCH_COLUMNS}, b.pooled_at")
    op.bulk_insert(_DOCS, [{"view_name": "v_audit_batch", "column_name": "pooled_at", "description": _DOC}])
    if op.get_bind().dialect.name == "postgresql":
        quoted = _DOC.replace("'", "''")
        op.execute(f"COMMENT ON COLUMN v_audit_batch.pooled_at IS '{quoted}'")


def downgrade() -> None:
    op.execute(_DOCS.delete().where(_DOCS.c.view_name == "v_audit_batch", _DOCS.c.column_name == "pooled_at"))
    _audit_batch_view(_BATCH_COLUMNS, replace=False)
    op.drop_column("batch", "pooled_at")  # SQLite >= 3.35 drops a column in place


def _audit_batch_view(columns: str, replace: bool = True) -> None:
    """(Re)define ``v_audit_batch``. On PostgreSQL a column added at the end replaces the view in place,
    keeping its comments and the auditor's grant; removing one needs a new view (grants set up again)."""
    body = f"SELECT {columns} FROM batch b"
    if replace and op.get_bind().dialect.name == "postgresql":
        op.execute(f"CREATE OR REPLACE VIEW v_audit_batch AS {body}")
        return
    op.execute("DROP VIEW IF EXISTS v_audit_batch")
    op.execute(f"CREATE VIEW v_audit_batch AS {body}")
