"""alert delivery: the log of alert events delivered to districts (idempotency key, attempts, errors) and its audit view

Revision ID: 0010
Revises: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

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
    for view, body in view_sql(bind.dialect.name).items():
        op.execute(f"CREATE VIEW {view} AS {body}")
    docs = sa.table(
        "view_column_doc", sa.column("view_name"), sa.column("column_name"), sa.column("description")
    )
    rows = []
    for view in VIEWS:
        rows.append({"view_name": view, "column_name": "", "description": VIEW_DOCS[view]})
        for column in sa.inspect(bind).get_columns(view):
            text = column_doc(view, column["name"])
            if text is not None:  # an undocumented column is what the dictionary test must catch
                rows.append({"view_name": view, "column_name": column["name"], "description": text})
    op.bulk_insert(docs, rows)
    if bind.dialect.name == "postgresql":
        for row in rows:
            quoted = row["description"].replace("'", "''")
            target = (
                f"VIEW {row['view_name']}"
                if not row["column_name"]
                else f"COLUMN {row['view_name']}.{row['column_name']}"
            )
            op.execute(f"COMMENT ON {target} IS '{quoted}'")


def downgrade() -> None:
    for view in reversed(VIEWS):
        op.execute(f"DROP VIEW IF EXISTS {view}")
    docs = sa.table("view_column_doc", sa.column("view_name"))
    op.execute(docs.delete().where(docs.c.view_name.in_(VIEWS)))
    op.drop_index(op.f("ix_alert_delivery_status"), table_name="alert_delivery")
    op.drop_index(op.f("ix_alert_delivery_event_id"), table_name="alert_delivery")
    op.drop_table("alert_delivery")
