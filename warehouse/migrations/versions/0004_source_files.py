"""source files: the registry of file-drop exports (each loaded once, by content hash)

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

NOW = sa.func.current_timestamp()


def upgrade() -> None:
    op.create_table(
        "source_file",
        sa.Column("source", sa.String(length=40), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("file_name", sa.String(length=255), nullable=False),
        sa.Column("size_bytes", sa.BigInteger(), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.String(length=160), nullable=False),
        sa.Column("loaded_at", sa.DateTime(timezone=True), server_default=NOW, nullable=True),
        sa.Column("archived_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("archived_as", sa.String(length=255), nullable=True),
        sa.ForeignKeyConstraint(["batch_id"], ["batch.batch_id"], name=op.f("fk_source_file_batch_id_batch")),
        sa.PrimaryKeyConstraint("source", "sha256", name=op.f("pk_source_file")),
    )
    op.create_index(op.f("ix_source_file_batch_id"), "source_file", ["batch_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_source_file_batch_id"), table_name="source_file")
    op.drop_table("source_file")
