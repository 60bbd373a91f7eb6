"""plan address flat: the flat a record's address names down to its unit, stored with the pool plan's records

The matcher reads a flat named in the address (14号楼5单元1403) as the household's: two reports naming one
flat are found by blocking on it with the road and number, and two full names that disagree are one
household, not strangers, when their reports name one flat. The ``address`` standardiser writes it as
``address_flat``. The plan stores every standardised column so the partitions need not standardise the
records again; this is the new one. Plans are transient (a pool run deletes its own), so nothing is
backfilled; pooled records get the new rule's blocking keys from ``python -m warehouse reblock``.

Revision ID: 0017
Revises: 0016
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("match_run_record") as batch:
        batch.add_column(sa.Column("address_flat", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("match_run_record") as batch:
        batch.drop_column("address_flat")
