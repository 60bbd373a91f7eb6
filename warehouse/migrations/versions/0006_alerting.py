"""alerting: 三色三单 alert lists, their history and issue numbers, time-limit clocks, and their views

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from warehouse.contract.v0006 import VIEW_DOCS, VIEWS, column_doc, view_sql

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

# Frozen copies of the model types: a migration must not change when the models do.
JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "alert",
        sa.Column("alert_id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("alert_key", sa.String(200), nullable=False),
        sa.Column("rule_id", sa.String(60), nullable=False),
        sa.Column("subject_kind", sa.String(20), nullable=False),
        sa.Column("subject_id", sa.String(120), nullable=False),
        sa.Column("colour", sa.String(10), nullable=False),
        sa.Column("list_name", sa.String(20), nullable=False),
        sa.Column("district", sa.String(40), nullable=True),
        sa.Column("street", sa.String(80), nullable=True),
        sa.Column("category", sa.String(40), nullable=True),
        sa.Column("topic", sa.String(80), nullable=True),
        sa.Column("n_cases", sa.Integer(), nullable=False),
        sa.Column("n_complainants", sa.Integer(), nullable=False),
        sa.Column("n_reports", sa.Integer(), nullable=False),
        sa.Column("evidence", JSON, nullable=False),
        sa.Column("issue_period", sa.String(10), nullable=False),
        sa.Column("issue_no", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("opened_at", TS, nullable=False),
        sa.Column("changed_at", TS, nullable=False),
        sa.Column("last_seen_at", TS, nullable=False),
        sa.Column("closed_at", TS, nullable=True),
        sa.PrimaryKeyConstraint("alert_id", name=op.f("pk_alert")),
    )
    op.create_index("ix_alert_alert_key_status", "alert", ["alert_key", "status"])
    op.create_index(op.f("ix_alert_district"), "alert", ["district"])
    op.create_index(op.f("ix_alert_status"), "alert", ["status"])
    op.create_table(
        "alert_event",
        sa.Column("event_id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("alert_id", sa.Integer(), nullable=False),
        sa.Column("as_of", TS, nullable=False),
        sa.Column("event", sa.String(20), nullable=False),
        sa.Column("colour", sa.String(10), nullable=False),
        sa.Column("list_name", sa.String(20), nullable=False),
        sa.Column("issue_period", sa.String(10), nullable=False),
        sa.Column("issue_no", sa.Integer(), nullable=False),
        sa.Column("evidence", JSON, nullable=False),
        sa.Column("run_id", sa.String(250), nullable=True),
        sa.ForeignKeyConstraint(["alert_id"], ["alert.alert_id"], name=op.f("fk_alert_event_alert_id_alert")),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_alert_event")),
    )
    op.create_index(op.f("ix_alert_event_alert_id"), "alert_event", ["alert_id"])
    op.create_index(op.f("ix_alert_event_as_of"), "alert_event", ["as_of"])
    op.create_table(
        "alert_issue",
        sa.Column("list_name", sa.String(20), nullable=False),
        sa.Column("period", sa.String(10), nullable=False),
        sa.Column("last_no", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("list_name", "period", name=op.f("pk_alert_issue")),
    )
    op.create_table(
        "alert_run",
        sa.Column("as_of", TS, nullable=False),
        sa.Column("run_id", sa.String(250), nullable=True),
        sa.Column("counts", JSON, nullable=False),
        sa.PrimaryKeyConstraint("as_of", name=op.f("pk_alert_run")),
    )
    op.create_table(
        "time_limit_clock",
        sa.Column("case_id", sa.String(40), nullable=False),
        sa.Column("step", sa.String(20), nullable=False),
        sa.Column("started_at", TS, nullable=False),
        sa.Column("due_at", TS, nullable=True),
        sa.Column("done_at", TS, nullable=True),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("as_of", TS, nullable=False),
        sa.PrimaryKeyConstraint("case_id", "step", name=op.f("pk_time_limit_clock")),
    )
    op.create_index(op.f("ix_time_limit_clock_due_at"), "time_limit_clock", ["due_at"])
    _create_views(op.get_bind())


def _create_views(bind: sa.Connection) -> None:
    """The views, their descriptions in ``view_column_doc`` and, on PostgreSQL, as ``COMMENT ON``."""
    for view, body in view_sql(bind.dialect.name).items():
        op.execute(f"CREATE VIEW {view} AS {body}")
    docs = sa.table(
        "view_column_doc", sa.column("view_name"), sa.column("column_name"), sa.column("description")
    )
    inspector = sa.inspect(bind)
    rows = []
    for view in VIEWS:
        rows.append({"view_name": view, "column_name": "", "description": VIEW_DOCS[view]})
        for column in inspector.get_columns(view):
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
    op.drop_index(op.f("ix_time_limit_clock_due_at"), table_name="time_limit_clock")
    op.drop_table("time_limit_clock")
    op.drop_table("alert_run")
    op.drop_table("alert_issue")
    op.drop_index(op.f("ix_alert_event_as_of"), table_name="alert_event")
    op.drop_index(op.f("ix_alert_event_alert_id"), table_name="alert_event")
    op.drop_table("alert_event")
    op.drop_index(op.f("ix_alert_status"), table_name="alert")
    op.drop_index(op.f("ix_alert_district"), table_name="alert")
    op.drop_index("ix_alert_alert_key_status", table_name="alert")
    op.drop_table("alert")
