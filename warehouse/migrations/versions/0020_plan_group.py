"""plan group flag: whether a record's text speaks for many people's money, stored with the pool plan's records

A worker says his own sum on one channel and the crew's on another (拖欠其及13名工友工资331000元); the facts
guard does not hold such a text's sums against another report's. The ``group_report`` standardiser writes the
flag as ``content_group``. The plan stores every standardised column so the partitions need not standardise
the records again; this is the new one. Plans are transient (a pool run deletes its own), so nothing is
backfilled.

Revision ID: 0020
Revises: 0019
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("match_run_record") as batch:
        batch.add_column(sa.Column("content_group", sa.Boolean(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("match_run_record") as batch:
        batch.drop_column("content_group")
