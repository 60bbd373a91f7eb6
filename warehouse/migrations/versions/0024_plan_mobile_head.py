"""plan mobile head: a mobile's first seven digits, stored with the pool plan's records

Some boards hide the last four digits of a writer's mobile (1381234****): the ``masked_phone`` standardisers
write such a number's first seven digits, and every whole mobile's, as ``phone_head``, and a blocking rule
pairs each masked number with the whole ones sharing them on its topic. The plan stores every standardised
column so the partitions need not standardise the records again; this is the new one. Plans are transient
(a pool run deletes its own), so nothing is backfilled.

Revision ID: 0024
Revises: 0023
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0024"
down_revision = "0023"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("match_run_record") as batch:
        batch.add_column(sa.Column("phone_head", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("match_run_record") as batch:
        batch.drop_column("phone_head")
