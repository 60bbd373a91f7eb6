"""plan mobile tail: a mobile's last four digits, stored with the pool plan's records

Some systems show a writer's mobile by its last four digits alone (*******6658): the ``tail_phone``
standardiser writes such a number's last four, and every whole mobile's, as ``phone_tail``, and the number
shown so as ``phone_tail_only``; a blocking rule pairs each such number with the whole ones ending so on its
topic, and the ``masked_tail`` comparison weighs the agreement. The plan stores every standardised column
so the partitions need not standardise the records again; these are the new ones. Plans are transient (a
pool run deletes its own), so nothing is backfilled.

Revision ID: 0026
Revises: 0025
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0026"
down_revision = "0025"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("match_run_record") as batch:
        batch.add_column(sa.Column("phone_tail", sa.Text(), nullable=True))
        batch.add_column(sa.Column("phone_tail_only", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("match_run_record") as batch:
        batch.drop_column("phone_tail_only")
        batch.drop_column("phone_tail")
