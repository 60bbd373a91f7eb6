"""plan mobile ends: a mobile's first three and last three digits, stored with the pool plan's records

Some boards and apps hide five digits of a writer's mobile (139*****928), not the middle four: the
``masked_phone`` standardisers write such a number's first three and last three digits, and every whole
mobile's, as ``phone_ends``, and a blocking rule pairs each masked number with the whole ones sharing them.
The plan stores every standardised column so the partitions need not standardise the records again; this is
the new one. Plans are transient (a pool run deletes its own), so nothing is backfilled.

Revision ID: 0023
Revises: 0022
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("match_run_record") as batch:
        batch.add_column(sa.Column("phone_ends", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("match_run_record") as batch:
        batch.drop_column("phone_ends")
