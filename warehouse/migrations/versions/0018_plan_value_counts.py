"""plan value counts: how many records of the pool and the pass carry each value the matcher weighs by frequency

The matcher splits the name's exact level by how common the name is, and reads an address more than ten
other records write as crowded (a group dispute's site). A pass sees only the pool records sharing a key
with its batch, so the plan asks the pool for the counts (from the frequency keys stored in
``match_key``) and stores them with the plan, for every partition to score with the same ones. Plans
are transient (a pool run deletes its own), so nothing is backfilled; pooled records get their
frequency keys from ``python -m warehouse reblock``.

Revision ID: 0018
Revises: 0017
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    with op.batch_alter_table("match_run") as batch:
        batch.add_column(sa.Column("value_counts", JSON, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("match_run") as batch:
        batch.drop_column("value_counts")
