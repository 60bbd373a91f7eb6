"""plan matters: what inside its topic a record's dispute is over, stored with the pool plan's records

The matcher compares the matters two descriptions name (matching/_topics.py: the heating, the lift, a
child's support), which the ``dispute_matters`` standardiser writes as ``content_matters``. The plan stores
every standardised column so the partitions need not standardise the records again; this is the new one.
Plans are transient (a pool run deletes its own), so nothing is backfilled.

Revision ID: 0015
Revises: 0014
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("match_run_record") as batch:
        batch.add_column(sa.Column("content_matters", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("match_run_record") as batch:
        batch.drop_column("content_matters")
