"""plan agent flag: whether a record is a report an agent filed for a resident, stored with the pool plan's records

A grid worker or a residents' committee files residents' reports from its own line (网格员陈平庆代居民董某某反
映): the ``proxy_report`` standardiser flags such a report as ``content_agent``, and the matcher does not
compare the phone on a pair with one, whose agreement says only that one agent filed both. The plan stores
every standardised column so the partitions need not standardise the records again; this is the new one.
Plans are transient (a pool run deletes its own), so nothing is backfilled.

Revision ID: 0025
Revises: 0024
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0025"
down_revision = "0024"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("match_run_record") as batch:
        batch.add_column(sa.Column("content_agent", sa.Boolean(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("match_run_record") as batch:
        batch.drop_column("content_agent")
