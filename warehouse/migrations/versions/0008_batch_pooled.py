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

_BATCH_COLUMNS = (
    "b.batch_id, b.source, b.window_start, b.window_end, b.run_id, b.status, b.fetched, b.landed, "
    "b.unchanged, b.quarantined, b.started_at, b.note, b.held_gate, b.held_reason"
)
_DOC = (
    "When a pool run took the batch's staged records into the pool (placed the new ones, refreshed the "
    "cases of re-staged ones); NULL while a run still has to (staged again, or its pool run failed)."
)
_DOCS = sa.table(
    "view_column_doc", sa.column("view_name"), sa.column("column_name"), sa.column("description")
)


def upgrade() -> None:
    op.add_column("batch", sa.Column("pooled_at", sa.DateTime(timezone=True), nullable=True))
    # Batches staged before the mark existed are taken as pooled: which of them a failed run left behind
    # cannot be told any more (their unplaced records are still caught up, as before).
    op.execute("UPDATE batch SET pooled_at = CURRENT_TIMESTAMP WHERE status IN ('staged', 'released')")
    _audit_batch_view(f"{_BATCH_COLUMNS}, b.pooled_at")
    op.bulk_insert(_DOCS, [{"view_name": "v_audit_batch", "column_name": "pooled_at", "description": _DOC}])
    _comment_view()


def downgrade() -> None:
    op.execute(_DOCS.delete().where(_DOCS.c.view_name == "v_audit_batch", _DOCS.c.column_name == "pooled_at"))
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        _audit_batch_view(_BATCH_COLUMNS, replace=False)
    else:  # a column can only go with the view: its readers' grants and its comments are put back
        grantees = (
            bind.execute(
                sa.text(
                    "SELECT DISTINCT grantee FROM information_schema.role_table_grants WHERE table_name = 'v_audit_batch' "
                    "AND privilege_type = 'SELECT' AND grantee <> (SELECT viewowner FROM pg_views "
                    "WHERE viewname = 'v_audit_batch')"
                )
            )
            .scalars()
            .all()
        )
        _audit_batch_view(_BATCH_COLUMNS, replace=False)
        for grantee in grantees:
            op.execute(f'GRANT SELECT ON v_audit_batch TO "{grantee}"')
        _comment_view()
    op.drop_column("batch", "pooled_at")  # SQLite >= 3.35 drops a column in place


def _audit_batch_view(columns: str, replace: bool = True) -> None:
    """(Re)define ``v_audit_batch``. On PostgreSQL a column added at the end replaces the view in place,
    keeping its comments and grants; removing one needs a new view."""
    body = f"SELECT {columns} FROM batch b"
    if replace and op.get_bind().dialect.name == "postgresql":
        op.execute(f"CREATE OR REPLACE VIEW v_audit_batch AS {body}")
        return
    op.execute("DROP VIEW IF EXISTS v_audit_batch")
    op.execute(f"CREATE VIEW v_audit_batch AS {body}")


def _comment_view() -> None:
    """On PostgreSQL, ``COMMENT ON`` the view and each of its columns as ``view_column_doc`` describes them."""
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    docs = bind.execute(
        sa.text("SELECT column_name, description FROM view_column_doc WHERE view_name = 'v_audit_batch'")
    ).all()
    for column, text in docs:
        target = "VIEW v_audit_batch" if not column else f"COLUMN v_audit_batch.{column}"
        quoted = text.replace("'", "''")
        op.execute(f"COMMENT ON {target} IS '{quoted}'")
