"""plan proxy flag: whether a record is a report filed for someone else, stored with the pool plan's records

The matcher reads, on a report a relative or agent filed for the person it names (信访人系当事人李博财的女儿，
代为来访), the phone, home and district as the filer's own: their disagreement there is no evidence. The
``proxy_report`` standardiser writes the flag as ``content_proxy``. The plan stores every standardised
column so the partitions need not standardise the records again; this is the new one. Plans are
transient (a pool run deletes its own), so nothing is backfilled.

Revision ID: 0016
Revises: 0015
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("match_run_record") as batch:
        batch.add_column(sa.Column("content_proxy", sa.Boolean(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("match_run_record") as batch:
        batch.drop_column("content_proxy")
