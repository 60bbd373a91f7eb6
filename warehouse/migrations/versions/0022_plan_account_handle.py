"""plan account handle: the board account a record's name field holds, stored with the pool plan's records

A message board's post carries its writer's handle, not a name. A handle with a number or letters and
digits (游客36667, lz_cgwq936) is one account's: the ``account_handle`` standardiser writes it as
``name_handle``, and two posts under one are compared and blocked on it. The plan stores every
standardised column so the partitions need not standardise the records again; this is the new one.
Plans are transient (a pool run deletes its own), so nothing is backfilled.

Revision ID: 0022
Revises: 0021
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("match_run_record") as batch:
        batch.add_column(sa.Column("name_handle", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("match_run_record") as batch:
        batch.drop_column("name_handle")
