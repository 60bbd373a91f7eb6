"""quality gates: validation runs, batch gates, held rows, release/reject decisions

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

# Frozen copies of the model types: a migration must not change when models.py does.
JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
BIGINT_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
NOW = sa.func.current_timestamp()


def upgrade() -> None:
    # Plain ADD COLUMN on both engines: recreating ``batch`` on SQLite would trip over the read-contract
    # views and the foreign keys pointing at it.
    with op.batch_alter_table("batch", recreate="never") as batch_op:
        batch_op.add_column(sa.Column("held_gate", sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column("held_reason", sa.Text(), nullable=True))
    with op.batch_alter_table("dq_result", recreate="never") as batch_op:
        batch_op.add_column(sa.Column("run_id", sa.String(length=64), nullable=True))

    op.create_table(
        "validation_run",
        sa.Column("run_id", sa.String(length=64), nullable=False),
        sa.Column("batch_id", sa.String(length=160), nullable=False),
        sa.Column("suite", sa.String(length=80), nullable=False),
        sa.Column("suite_hash", sa.String(length=64), nullable=False),
        sa.Column("gx_version", sa.String(length=20), nullable=False),
        sa.Column("success", sa.Boolean(), nullable=False),
        sa.Column("expectations", sa.Integer(), nullable=False),
        sa.Column("failed_expectations", sa.Integer(), nullable=False),
        sa.Column("rows_checked", sa.Integer(), nullable=False),
        sa.Column("rows_quarantined", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("result", JSON, nullable=True),
        sa.ForeignKeyConstraint(
            ["batch_id"], ["batch.batch_id"], name=op.f("fk_validation_run_batch_id_batch")
        ),
        sa.PrimaryKeyConstraint("run_id", name=op.f("pk_validation_run")),
        sa.UniqueConstraint(
            "batch_id", "suite", "suite_hash", name=op.f("uq_validation_run_batch_id_suite_suite_hash")
        ),
    )
    op.create_index(op.f("ix_validation_run_batch_id"), "validation_run", ["batch_id"], unique=False)

    op.create_table(
        "batch_gate",
        sa.Column("batch_id", sa.String(length=160), nullable=False),
        sa.Column("gate", sa.String(length=40), nullable=False),
        sa.Column("passed", sa.Boolean(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("detail", JSON, nullable=True),
        sa.Column("checked_at", sa.DateTime(timezone=True), server_default=NOW, nullable=True),
        sa.ForeignKeyConstraint(["batch_id"], ["batch.batch_id"], name=op.f("fk_batch_gate_batch_id_batch")),
        sa.PrimaryKeyConstraint("batch_id", "gate", name=op.f("pk_batch_gate")),
    )

    op.create_table(
        "held_record",
        sa.Column("batch_id", sa.String(length=160), nullable=False),
        sa.Column("source_record_id", sa.String(length=120), nullable=False),
        sa.Column("landing_id", BIGINT_ID, nullable=False),
        sa.Column("record", JSON, nullable=True),
        sa.Column("reasons", JSON, nullable=True),
        sa.ForeignKeyConstraint(["batch_id"], ["batch.batch_id"], name=op.f("fk_held_record_batch_id_batch")),
        sa.ForeignKeyConstraint(
            ["landing_id"],
            ["landing_record.landing_id"],
            name=op.f("fk_held_record_landing_id_landing_record"),
        ),
        sa.PrimaryKeyConstraint("batch_id", "source_record_id", name=op.f("pk_held_record")),
    )

    op.create_table(
        "batch_decision",
        sa.Column("decision_id", BIGINT_ID, nullable=False),
        sa.Column("batch_id", sa.String(length=160), nullable=False),
        sa.Column("decision", sa.String(length=20), nullable=False),
        sa.Column("gate", sa.String(length=40), nullable=True),
        sa.Column("decided_by", sa.String(length=80), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), server_default=NOW, nullable=True),
        sa.ForeignKeyConstraint(
            ["batch_id"], ["batch.batch_id"], name=op.f("fk_batch_decision_batch_id_batch")
        ),
        sa.PrimaryKeyConstraint("decision_id", name=op.f("pk_batch_decision")),
    )
    op.create_index(op.f("ix_batch_decision_batch_id"), "batch_decision", ["batch_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_batch_decision_batch_id"), table_name="batch_decision")
    op.drop_table("batch_decision")
    op.drop_table("held_record")
    op.drop_table("batch_gate")
    op.drop_index(op.f("ix_validation_run_batch_id"), table_name="validation_run")
    op.drop_table("validation_run")
    # SQLite (3.35+) drops a column in place, as PostgreSQL does; no table rebuild needed.
    with op.batch_alter_table("dq_result", recreate="never") as batch_op:
        batch_op.drop_column("run_id")
    with op.batch_alter_table("batch", recreate="never") as batch_op:
        batch_op.drop_column("held_reason")
        batch_op.drop_column("held_gate")
