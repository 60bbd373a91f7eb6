"""plan fact anchors: the largest sum and the flat a record quotes, stored with the pool plan's records

The matcher's blocking pairs reports that quote the same sum or the same flat (matching.facts.fact_anchors:
``content_sum``, ``content_flat``), which the facts standardiser writes beside ``content_facts``. The plan
stores every standardised column so the partitions need not standardise the records again; these are the
new ones. Plans are transient (a pool run deletes its own), so nothing is backfilled.

Revision ID: 0014
Revises: 0013
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("match_run_record") as batch:
        batch.add_column(sa.Column("content_sum", sa.Text(), nullable=True))
        batch.add_column(sa.Column("content_flat", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("match_run_record") as batch:
        batch.drop_column("content_flat")
        batch.drop_column("content_sum")
