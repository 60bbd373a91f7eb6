"""plan masked phone: a mobile shown with digits hidden and its key, stored with the pool plan's records

A message board prints its writer's number masked (138****6658); the hotline logged the whole number. The
``masked_phone`` standardiser writes the masked number's places as ``phone_masked`` and the key a masked
and a whole number share (first three and last four digits) as ``phone_key``. The plan stores every
standardised column so the partitions need not standardise the records again; these are the new ones.
Plans are transient (a pool run deletes its own), so nothing is backfilled.

Revision ID: 0021
Revises: 0020
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("match_run_record") as batch:
        batch.add_column(sa.Column("phone_masked", sa.Text(), nullable=True))
        batch.add_column(sa.Column("phone_key", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("match_run_record") as batch:
        batch.drop_column("phone_key")
        batch.drop_column("phone_masked")
