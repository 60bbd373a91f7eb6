"""policies, escalation, scorecards: the binding clock's policy and channel, the alerts' responsible level and
unit, the scorecard counts, and their views

Revision ID: 0012
Revises: 0011
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from warehouse.contract import v0006, v0010
from warehouse.contract.documented_views import create_documented_views
from warehouse.contract.v0012 import CHANGED, VIEW_DOCS, VIEWS, column_doc, view_sql

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    for view in CHANGED:
        op.execute(f"DROP VIEW IF EXISTS {view}")
    with op.batch_alter_table("time_limit_clock") as batch:
        batch.add_column(sa.Column("policy", sa.String(40), nullable=True))
        batch.add_column(sa.Column("channel", sa.String(40), nullable=True))
    with op.batch_alter_table("alert") as batch:
        batch.add_column(sa.Column("community", sa.String(80), nullable=True))
        batch.add_column(sa.Column("grid", sa.String(80), nullable=True))
        batch.add_column(sa.Column("level", sa.String(20), nullable=True))
        batch.add_column(sa.Column("unit", sa.String(120), nullable=True))
        batch.add_column(sa.Column("level_since", TS, nullable=True))
    with op.batch_alter_table("alert_event") as batch:
        batch.add_column(sa.Column("level", sa.String(20), nullable=True))
        batch.add_column(sa.Column("unit", sa.String(120), nullable=True))
    op.create_table(
        "scorecard",
        sa.Column("period_kind", sa.String(10), nullable=False),
        sa.Column("period", sa.String(10), nullable=False),
        sa.Column("dimension", sa.String(20), nullable=False),
        sa.Column("unit", sa.String(120), nullable=False),
        sa.Column("metric", sa.String(20), nullable=False),
        sa.Column("district", sa.String(40), nullable=False),
        sa.Column("numerator", sa.Integer(), nullable=False),
        sa.Column("denominator", sa.Integer(), nullable=False),
        sa.Column("as_of", TS, nullable=False),
        sa.PrimaryKeyConstraint(
            "period_kind", "period", "dimension", "unit", "metric", "district", name=op.f("pk_scorecard")
        ),
    )
    create_documented_views(op.get_bind(), view_sql(op.get_bind().dialect.name), VIEWS, VIEW_DOCS, column_doc)


def downgrade() -> None:
    for view in reversed(VIEWS):
        op.execute(f"DROP VIEW IF EXISTS {view}")
    op.drop_table("scorecard")
    # SQLite rebuilds alert_event and alert to drop their columns, and refuses while a view (0010's delivery log)
    # names the table: that view goes for the rebuild and comes back unchanged.
    sqlite = op.get_bind().dialect.name == "sqlite"
    delivery_views = v0010.view_sql("sqlite") if sqlite else {}
    for view in delivery_views:
        op.execute(f"DROP VIEW IF EXISTS {view}")
    with op.batch_alter_table("alert_event") as batch:
        batch.drop_column("unit")
        batch.drop_column("level")
    with op.batch_alter_table("alert") as batch:
        for column in ("level_since", "unit", "level", "grid", "community"):
            batch.drop_column(column)
    for view, body in delivery_views.items():
        op.execute(f"CREATE VIEW {view} AS {body}")
    with op.batch_alter_table("time_limit_clock") as batch:
        batch.drop_column("channel")
        batch.drop_column("policy")
    docs = sa.table("view_column_doc", sa.column("view_name"))
    op.execute(docs.delete().where(docs.c.view_name == "v_scorecard"))
    create_documented_views(
        op.get_bind(), v0006.view_sql(op.get_bind().dialect.name), CHANGED, v0006.VIEW_DOCS, v0006.column_doc
    )
