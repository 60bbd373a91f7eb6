"""initial schema: batches, landing, staging, quarantine, dq results, pool

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

# Frozen copies of the model types: a migration must not change when models.py does.
JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "batch",
        sa.Column("batch_id", sa.String(length=160), nullable=False),
        sa.Column("source", sa.String(length=40), nullable=False),
        sa.Column("window_start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("window_end", sa.DateTime(timezone=True), nullable=False),
        sa.Column("run_id", sa.String(length=250), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("fetched", sa.Integer(), nullable=False),
        sa.Column("landed", sa.Integer(), nullable=False),
        sa.Column("unchanged", sa.Integer(), nullable=False),
        sa.Column("quarantined", sa.Integer(), nullable=False),
        sa.Column(
            "started_at",
            sa.DateTime(timezone=True),
            server_default=sa.func.current_timestamp(),
            nullable=True,
        ),
        sa.Column("note", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("batch_id", name=op.f("pk_batch")),
    )
    with op.batch_alter_table("batch", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_batch_source"), ["source"], unique=False)

    op.create_table(
        "match_key",
        sa.Column("rule", sa.String(length=80), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("record_id", sa.String(length=170), nullable=False),
        sa.PrimaryKeyConstraint("rule", "key", "record_id", name=op.f("pk_match_key")),
    )
    op.create_table(
        "review_decision",
        sa.Column("record_id_l", sa.String(length=170), nullable=False),
        sa.Column("record_id_r", sa.String(length=170), nullable=False),
        sa.Column("decision", sa.String(length=20), nullable=False),
        sa.Column("reviewer", sa.String(length=80), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column(
            "decided_at",
            sa.DateTime(timezone=True),
            server_default=sa.func.current_timestamp(),
            nullable=True,
        ),
        sa.PrimaryKeyConstraint("record_id_l", "record_id_r", name=op.f("pk_review_decision")),
    )
    op.create_table(
        "case_history",
        sa.Column("history_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("case_id", sa.String(length=40), nullable=False),
        sa.Column("event", sa.String(length=30), nullable=False),
        sa.Column("related_id", sa.String(length=170), nullable=False),
        sa.Column("batch_id", sa.String(length=160), nullable=False),
        sa.Column("detail", JSON, nullable=True),
        sa.Column(
            "recorded_at",
            sa.DateTime(timezone=True),
            server_default=sa.func.current_timestamp(),
            nullable=True,
        ),
        sa.ForeignKeyConstraint(
            ["batch_id"], ["batch.batch_id"], name=op.f("fk_case_history_batch_id_batch")
        ),
        sa.PrimaryKeyConstraint("history_id", name=op.f("pk_case_history")),
        sa.UniqueConstraint(
            "case_id", "event", "related_id", name=op.f("uq_case_history_case_id_event_related_id")
        ),
    )
    with op.batch_alter_table("case_history", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_history_case_id"), ["case_id"], unique=False)

    op.create_table(
        "complaint_case",
        sa.Column("case_id", sa.String(length=40), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("merged_into", sa.String(length=40), nullable=True),
        sa.Column("category", sa.String(length=40), nullable=True),
        sa.Column("district", sa.String(length=40), nullable=True),
        sa.Column("first_reported_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_reported_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("n_records", sa.Integer(), nullable=False),
        sa.Column("n_channels", sa.Integer(), nullable=False),
        sa.Column("created_batch_id", sa.String(length=160), nullable=False),
        sa.Column("updated_batch_id", sa.String(length=160), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_batch_id"], ["batch.batch_id"], name=op.f("fk_complaint_case_created_batch_id_batch")
        ),
        sa.ForeignKeyConstraint(
            ["updated_batch_id"], ["batch.batch_id"], name=op.f("fk_complaint_case_updated_batch_id_batch")
        ),
        sa.PrimaryKeyConstraint("case_id", name=op.f("pk_complaint_case")),
    )
    with op.batch_alter_table("complaint_case", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_complaint_case_status"), ["status"], unique=False)

    op.create_table(
        "dq_result",
        sa.Column("dq_result_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("batch_id", sa.String(length=160), nullable=False),
        sa.Column("suite", sa.String(length=80), nullable=False),
        sa.Column("expectation", sa.String(length=120), nullable=False),
        sa.Column("column_name", sa.String(length=80), nullable=False),
        sa.Column("success", sa.Boolean(), nullable=False),
        sa.Column("element_count", sa.Integer(), nullable=False),
        sa.Column("unexpected_count", sa.Integer(), nullable=False),
        sa.Column("unexpected_percent", sa.Double(), nullable=False),
        sa.Column("sample", JSON, nullable=True),
        sa.Column("exception", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["batch_id"], ["batch.batch_id"], name=op.f("fk_dq_result_batch_id_batch")),
        sa.PrimaryKeyConstraint("dq_result_id", name=op.f("pk_dq_result")),
        sa.UniqueConstraint(
            "batch_id",
            "suite",
            "expectation",
            "column_name",
            name=op.f("uq_dq_result_batch_id_suite_expectation_column_name"),
        ),
    )
    with op.batch_alter_table("dq_result", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_dq_result_batch_id"), ["batch_id"], unique=False)

    op.create_table(
        "landing_record",
        sa.Column("landing_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("source", sa.String(length=40), nullable=False),
        sa.Column("source_record_id", sa.String(length=120), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.String(length=160), nullable=False),
        sa.Column("payload_hash", sa.String(length=64), nullable=False),
        sa.Column("payload", JSON, nullable=False),
        sa.Column(
            "fetched_at",
            sa.DateTime(timezone=True),
            server_default=sa.func.current_timestamp(),
            nullable=True,
        ),
        sa.ForeignKeyConstraint(
            ["batch_id"], ["batch.batch_id"], name=op.f("fk_landing_record_batch_id_batch")
        ),
        sa.PrimaryKeyConstraint("landing_id", name=op.f("pk_landing_record")),
        sa.UniqueConstraint(
            "source",
            "source_record_id",
            "version",
            name=op.f("uq_landing_record_source_source_record_id_version"),
        ),
    )
    with op.batch_alter_table("landing_record", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_landing_record_batch_id"), ["batch_id"], unique=False)

    op.create_table(
        "match_pair",
        sa.Column("record_id_l", sa.String(length=170), nullable=False),
        sa.Column("record_id_r", sa.String(length=170), nullable=False),
        sa.Column("match_weight", sa.Double(), nullable=False),
        sa.Column("match_probability", sa.Double(), nullable=False),
        sa.Column("levels", JSON, nullable=False),
        sa.Column("decision", sa.String(length=20), nullable=False),
        sa.Column("batch_id", sa.String(length=160), nullable=False),
        sa.ForeignKeyConstraint(["batch_id"], ["batch.batch_id"], name=op.f("fk_match_pair_batch_id_batch")),
        sa.PrimaryKeyConstraint("record_id_l", "record_id_r", name=op.f("pk_match_pair")),
    )
    with op.batch_alter_table("match_pair", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_match_pair_decision"), ["decision"], unique=False)

    op.create_table(
        "complaint_record",
        sa.Column("record_id", sa.String(length=170), nullable=False),
        sa.Column("source", sa.String(length=40), nullable=False),
        sa.Column("source_record_id", sa.String(length=120), nullable=False),
        sa.Column("batch_id", sa.String(length=160), nullable=False),
        sa.Column("landing_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("reported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=True),
        sa.Column("phone", sa.String(length=40), nullable=True),
        sa.Column("id_number", sa.String(length=40), nullable=True),
        sa.Column("address", sa.Text(), nullable=True),
        sa.Column("district", sa.String(length=40), nullable=True),
        sa.Column("street", sa.String(length=80), nullable=True),
        sa.Column("community", sa.String(length=80), nullable=True),
        sa.Column("grid", sa.String(length=80), nullable=True),
        sa.Column("category", sa.String(length=40), nullable=True),
        sa.Column("source_category", sa.String(length=80), nullable=True),
        sa.Column("content", sa.Text(), nullable=True),
        sa.Column("status", sa.String(length=40), nullable=True),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("contacted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("dispatched_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("followed_up_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["batch_id"], ["batch.batch_id"], name=op.f("fk_complaint_record_batch_id_batch")
        ),
        sa.ForeignKeyConstraint(
            ["landing_id"],
            ["landing_record.landing_id"],
            name=op.f("fk_complaint_record_landing_id_landing_record"),
        ),
        sa.PrimaryKeyConstraint("record_id", name=op.f("pk_complaint_record")),
    )
    with op.batch_alter_table("complaint_record", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_complaint_record_batch_id"), ["batch_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_complaint_record_reported_at"), ["reported_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_complaint_record_source"), ["source"], unique=False)

    op.create_table(
        "quarantine_record",
        sa.Column("quarantine_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("batch_id", sa.String(length=160), nullable=False),
        sa.Column("source", sa.String(length=40), nullable=False),
        sa.Column("source_record_id", sa.String(length=120), nullable=False),
        sa.Column("landing_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("reasons", JSON, nullable=False),
        sa.Column("payload", JSON, nullable=False),
        sa.Column(
            "quarantined_at",
            sa.DateTime(timezone=True),
            server_default=sa.func.current_timestamp(),
            nullable=True,
        ),
        sa.ForeignKeyConstraint(
            ["batch_id"], ["batch.batch_id"], name=op.f("fk_quarantine_record_batch_id_batch")
        ),
        sa.ForeignKeyConstraint(
            ["landing_id"],
            ["landing_record.landing_id"],
            name=op.f("fk_quarantine_record_landing_id_landing_record"),
        ),
        sa.PrimaryKeyConstraint("quarantine_id", name=op.f("pk_quarantine_record")),
        sa.UniqueConstraint(
            "batch_id", "source_record_id", name=op.f("uq_quarantine_record_batch_id_source_record_id")
        ),
    )
    with op.batch_alter_table("quarantine_record", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_quarantine_record_batch_id"), ["batch_id"], unique=False)

    op.create_table(
        "case_member",
        sa.Column("record_id", sa.String(length=170), nullable=False),
        sa.Column("case_id", sa.String(length=40), nullable=False),
        sa.Column("match_probability", sa.Double(), nullable=True),
        sa.Column("matched_record_id", sa.String(length=170), nullable=True),
        sa.Column("batch_id", sa.String(length=160), nullable=False),
        sa.ForeignKeyConstraint(["batch_id"], ["batch.batch_id"], name=op.f("fk_case_member_batch_id_batch")),
        sa.ForeignKeyConstraint(
            ["case_id"], ["complaint_case.case_id"], name=op.f("fk_case_member_case_id_complaint_case")
        ),
        sa.ForeignKeyConstraint(
            ["record_id"],
            ["complaint_record.record_id"],
            name=op.f("fk_case_member_record_id_complaint_record"),
        ),
        sa.PrimaryKeyConstraint("record_id", name=op.f("pk_case_member")),
    )
    with op.batch_alter_table("case_member", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_member_case_id"), ["case_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("case_member", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_member_case_id"))

    op.drop_table("case_member")
    with op.batch_alter_table("quarantine_record", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_quarantine_record_batch_id"))

    op.drop_table("quarantine_record")
    with op.batch_alter_table("complaint_record", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_complaint_record_source"))
        batch_op.drop_index(batch_op.f("ix_complaint_record_reported_at"))
        batch_op.drop_index(batch_op.f("ix_complaint_record_batch_id"))

    op.drop_table("complaint_record")
    with op.batch_alter_table("match_pair", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_match_pair_decision"))

    op.drop_table("match_pair")
    with op.batch_alter_table("landing_record", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_landing_record_batch_id"))

    op.drop_table("landing_record")
    with op.batch_alter_table("dq_result", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_dq_result_batch_id"))

    op.drop_table("dq_result")
    with op.batch_alter_table("complaint_case", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_complaint_case_status"))

    op.drop_table("complaint_case")
    with op.batch_alter_table("case_history", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_history_case_id"))

    op.drop_table("case_history")
    op.drop_table("review_decision")
    op.drop_table("match_key")
    with op.batch_alter_table("batch", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_batch_source"))

    op.drop_table("batch")
