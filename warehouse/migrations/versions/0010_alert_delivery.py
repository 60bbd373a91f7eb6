"""alert delivery: the log of alert events delivered to districts (idempotency key, attempts, errors) and its audit view

Revision ID: 0010
Revises: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from warehouse.contract.documented_views import create_documented_views, drop_documented_views
from warehouse.contract.v0010 import VIEW_DOCS, VIEWS, column_doc, view_sql

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)  # a frozen copy of the model type


def upgrade() -> None:
    op.create_table(
        "alert_delivery",
        sa.Column("delivery_id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("delivery_key", sa.String(64), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(40), nullable=False),
        sa.Column("address", sa.String(400), nullable=False),
        sa.Column("recipient", sa.String(160), nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("last_attempt_at", TS, nullable=True),
        sa.Column("delivered_at", TS, nullable=True),
        sa.ForeignKeyConstraint(
            ["event_id"], ["alert_event.event_id"], name=op.f("fk_alert_delivery_event_id_alert_event")
        ),
        sa.PrimaryKeyConstraint("delivery_id", name=op.f("pk_alert_delivery")),
        sa.UniqueConstraint("delivery_key", name=op.f("uq_alert_delivery_delivery_key")),
    )
    op.create_index(op.f("ix_alert_delivery_event_id"), "alert_delivery", ["event_id"])
    op.create_index(op.f("ix_alert_delivery_status"), "alert_delivery", ["status"])
    bind = op.get_bind()
    create_documented_views(bind, view_sql(bind.dialect.name), VIEWS, VIEW_DOCS, column_doc)


def downgrade() -> None:
    drop_documented_views(VIEWS)
    op.drop_index(op.f("ix_alert_delivery_status"), table_name="alert_delivery")
    op.drop_index(op.f("ix_alert_delivery_event_id"), table_name="alert_delivery")
    op.drop_table("alert_delivery")
