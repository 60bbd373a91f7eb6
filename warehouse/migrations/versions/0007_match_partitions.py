"""match partitions: work tables of a partitioned matching pass (plan with standardised records, partition
members, scored pairs)

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

# Frozen copies of the model types: a migration must not change when the models do.
JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
TS = sa.DateTime(timezone=True)
NOW = sa.func.current_timestamp()


def _run_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["run_id"], ["match_run.run_id"], ondelete="CASCADE", name=op.f(f"fk_{table}_run_id_match_run")
    )


def upgrade() -> None:
    op.create_table(
        "match_run",
        sa.Column("run_id", sa.String(250), nullable=False),
        sa.Column("partitions", sa.Integer(), nullable=False),
        sa.Column("batch_ids", JSON, nullable=False),
        sa.Column("planned_at", TS, server_default=NOW, nullable=True),
        sa.PrimaryKeyConstraint("run_id", name=op.f("pk_match_run")),
    )
    op.create_table(
        "match_run_record",
        sa.Column("run_id", sa.String(250), nullable=False),
        sa.Column("record_id", sa.String(170), nullable=False),
        sa.Column("is_new", sa.Boolean(), nullable=False),
        sa.Column("source", sa.String(40), nullable=True),
        sa.Column("reported_at", TS, nullable=True),
        sa.Column("name", sa.String(100), nullable=True),
        sa.Column("phone", sa.String(40), nullable=True),
        sa.Column("id_number", sa.String(40), nullable=True),
        sa.Column("address", sa.Text(), nullable=True),
        sa.Column("district", sa.String(40), nullable=True),
        sa.Column("street", sa.String(80), nullable=True),
        sa.Column("community", sa.String(80), nullable=True),
        sa.Column("category", sa.String(40), nullable=True),
        sa.Column("content", sa.Text(), nullable=True),
        sa.Column("case_id", sa.String(40), nullable=True),
        sa.Column("case_first_reported_at", TS, nullable=True),
        # The plan's standardised columns, read by the partitions and the publish.
        sa.Column("name_norm", sa.Text(), nullable=True),
        sa.Column("name_pinyin", sa.Text(), nullable=True),
        sa.Column("name_fuzzy", sa.Text(), nullable=True),
        sa.Column("name_surname", sa.Text(), nullable=True),
        sa.Column("phone_norm", sa.Text(), nullable=True),
        sa.Column("phone_mobile", sa.Boolean(), nullable=True),
        sa.Column("id_norm", sa.Text(), nullable=True),
        sa.Column("id_valid", sa.Boolean(), nullable=True),
        sa.Column("address_norm", sa.Text(), nullable=True),
        sa.Column("address_key", sa.Text(), nullable=True),
        sa.Column("address_place", sa.Text(), nullable=True),
        sa.Column("address_road", sa.Text(), nullable=True),
        sa.Column("address_district", sa.Text(), nullable=True),
        sa.Column("district_norm", sa.Text(), nullable=True),
        sa.Column("category_norm", sa.Text(), nullable=True),
        sa.Column("content_facts", sa.Text(), nullable=True),
        sa.Column("reported_days", sa.Double(), nullable=True),
        _run_fk("match_run_record"),
        sa.PrimaryKeyConstraint("run_id", "record_id", name=op.f("pk_match_run_record")),
    )
    op.create_table(
        "match_run_member",
        sa.Column("run_id", sa.String(250), nullable=False),
        sa.Column("shard", sa.Integer(), nullable=False),
        sa.Column("record_id", sa.String(170), nullable=False),
        _run_fk("match_run_member"),
        sa.PrimaryKeyConstraint("run_id", "shard", "record_id", name=op.f("pk_match_run_member")),
    )
    op.create_table(
        "match_run_pair",
        sa.Column("run_id", sa.String(250), nullable=False),
        sa.Column("shard", sa.Integer(), nullable=False),
        sa.Column("record_id_l", sa.String(170), nullable=False),
        sa.Column("record_id_r", sa.String(170), nullable=False),
        sa.Column("rule_bits", sa.BigInteger(), nullable=False),
        sa.Column("levels", JSON, nullable=False),
        sa.Column("person_weight", sa.Double(), nullable=False),
        sa.Column("dispute_weight", sa.Double(), nullable=False),
        sa.Column("match_weight", sa.Double(), nullable=False),
        sa.Column("match_probability", sa.Double(), nullable=False),
        _run_fk("match_run_pair"),
        sa.PrimaryKeyConstraint(
            "run_id", "shard", "record_id_l", "record_id_r", name=op.f("pk_match_run_pair")
        ),
    )


def downgrade() -> None:
    op.drop_table("match_run_pair")
    op.drop_table("match_run_member")
    op.drop_table("match_run_record")
    op.drop_table("match_run")
