"""plan topics: the topics a record's words name, stored with the pool plan's standardised records

The matcher compares what each description is about (matching/_topics.py: wages, housing, noise ...).
The plan stores every standardised column so the partitions and the publish need not standardise the
records again; this is the new one. Plans are transient (a pool run deletes its own), so nothing is
backfilled: a plan written before this migration is gone by the time it runs.

Revision ID: 0013
Revises: 0012
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("match_run_record") as batch:
        batch.add_column(sa.Column("content_topics", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("match_run_record") as batch:
        batch.drop_column("content_topics")
