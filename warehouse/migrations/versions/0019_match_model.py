"""match model: the matcher's model as fitted on the pool's own records

The pool's passes scored every batch with the packaged model (plus what reviewers' verdicts taught it),
so a city's data was weighed with the simulator's m and u; ``dedupe`` estimates them on its input. The
pool now fits the model on its own most recent records, keeps each fit here, and scores with the newest
one made under the running settings; it fits again when the pool has grown enough since. An empty
table is the state before: the first pass on a pool large enough to fit makes the first fit.

Revision ID: 0019
Revises: 0018
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "match_model",
        sa.Column(
            "fit_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False
        ),
        sa.Column("settings_digest", sa.String(length=64), nullable=False),
        sa.Column("records", sa.Integer(), nullable=False),
        sa.Column("pool_records", sa.Integer(), nullable=False),
        sa.Column("parameters", JSON, nullable=False),
        sa.Column("unreliable", JSON, nullable=False),
        sa.Column("seconds", sa.Float(), nullable=False),
        sa.Column(
            "fitted_at", sa.DateTime(timezone=True), server_default=sa.func.current_timestamp(), nullable=True
        ),
        sa.PrimaryKeyConstraint("fit_id", name=op.f("pk_match_model")),
    )
    with op.batch_alter_table("match_model") as batch:
        batch.create_index(batch.f("ix_match_model_settings_digest"), ["settings_digest"], unique=False)


def downgrade() -> None:
    op.drop_table("match_model")
