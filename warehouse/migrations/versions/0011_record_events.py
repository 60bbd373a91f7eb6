"""record events: the handling events of staged records, and v_case_event, each case's stream across channels

Revision ID: 0011
Revises: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from warehouse.contract.documented_views import create_documented_views, drop_documented_views
from warehouse.contract.v0011 import VIEW_DOCS, VIEWS, column_doc, view_sql

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

# Frozen copies of the model types: a migration must not change when the models do.
JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "record_event",
        sa.Column("record_id", sa.String(170), nullable=False),
        sa.Column("seq", sa.SmallInteger(), nullable=False),
        sa.Column("source", sa.String(40), nullable=False),
        sa.Column("event_type", sa.String(30), nullable=False),
        sa.Column("at", TS, nullable=False),
        sa.Column("actor", sa.String(100), nullable=True),
        sa.Column("unit", sa.String(120), nullable=True),
        sa.Column("level", sa.String(20), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("days", sa.SmallInteger(), nullable=True),
        sa.Column("satisfaction", sa.String(10), nullable=True),
        sa.Column("score", sa.SmallInteger(), nullable=True),
        sa.Column("detail", JSON, nullable=True),
        sa.Column("batch_id", sa.String(160), nullable=False),
        sa.ForeignKeyConstraint(
            ["record_id"],
            ["complaint_record.record_id"],
            name=op.f("fk_record_event_record_id_complaint_record"),
        ),
        sa.ForeignKeyConstraint(
            ["batch_id"], ["batch.batch_id"], name=op.f("fk_record_event_batch_id_batch")
        ),
        sa.PrimaryKeyConstraint("record_id", "seq", name=op.f("pk_record_event")),
    )
    op.create_index(op.f("ix_record_event_batch_id"), "record_event", ["batch_id"])
    op.create_index("ix_record_event_type_at", "record_event", ["event_type", "at"])
    bind = op.get_bind()
    create_documented_views(bind, view_sql(bind.dialect.name), VIEWS, VIEW_DOCS, column_doc)


def downgrade() -> None:
    drop_documented_views(VIEWS)
    op.drop_index("ix_record_event_type_at", table_name="record_event")
    op.drop_index(op.f("ix_record_event_batch_id"), table_name="record_event")
    op.drop_table("record_event")
