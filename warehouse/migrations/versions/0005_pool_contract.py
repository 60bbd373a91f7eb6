"""pool contract: golden cases, groups, keyed hashes, read contract v2 with column docs

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import context, op
from sqlalchemy.dialects import postgresql
from sqlalchemy.types import TypeEngine

from warehouse.contract.v0005 import VIEWS, view_sql
from warehouse.contract.v0005_docs import VIEW_DOCS, column_doc

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

# Frozen copies of the model types: a migration must not change when models.py does.
JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
NOW = sa.func.current_timestamp()
TS = sa.DateTime(timezone=True)
OLD_VIEWS = ("v_case", "v_case_member", "v_daily_counts", "v_alert_feed")  # read contract v1 (0002)

RECORD_COLUMNS: tuple[tuple[str, TypeEngine[Any]], ...] = (
    ("phone_hash", sa.String(64)),
    ("id_number_hash", sa.String(64)),
    ("topic", sa.String(80)),
    ("topic_rank", sa.SmallInteger()),
    ("content_masked", sa.Text()),
)
CASE_COLUMNS: tuple[tuple[str, TypeEngine[Any]], ...] = (
    ("channels", sa.String(200)),
    ("name", sa.String(100)),
    ("phone", sa.String(40)),
    ("phone_hash", sa.String(64)),
    ("id_number", sa.String(40)),
    ("id_number_hash", sa.String(64)),
    ("address", sa.Text()),
    ("street", sa.String(80)),
    ("community", sa.String(80)),
    ("grid", sa.String(80)),
    ("content", sa.Text()),
    ("topic", sa.String(80)),
    ("current_status", sa.String(40)),
    ("received_at", TS),
    ("contacted_at", TS),
    ("dispatched_at", TS),
    ("resolved_at", TS),
    ("followed_up_at", TS),
    ("golden_sources", JSON),
    ("group_key", sa.String(200)),
    ("group_id", sa.Integer()),
    ("created_at", TS),
    ("updated_at", TS),
)


def upgrade() -> None:
    # Plain ADD COLUMN on both engines (as 0003): recreating these tables on SQLite would trip over the
    # views and foreign keys pointing at them.
    with op.batch_alter_table("complaint_record", recreate="never") as batch_op:
        for name, type_ in RECORD_COLUMNS:
            batch_op.add_column(sa.Column(name, type_, nullable=True))
    with op.batch_alter_table("complaint_case", recreate="never") as batch_op:
        batch_op.add_column(sa.Column("n_complainants", sa.Integer(), nullable=False, server_default="0"))
        for name, type_ in CASE_COLUMNS:
            batch_op.add_column(sa.Column(name, type_, nullable=True))
    op.create_index(op.f("ix_complaint_case_group_key"), "complaint_case", ["group_key"])
    op.create_index(op.f("ix_complaint_case_group_id"), "complaint_case", ["group_id"])
    _create_tables()
    for view in OLD_VIEWS:
        op.execute(f"DROP VIEW IF EXISTS {view}")
    _create_views(op.get_bind())
    _backfill(op.get_bind())


def _create_tables() -> None:
    op.create_table(
        "case_group",
        sa.Column("group_id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("group_key", sa.String(200), nullable=False),
        sa.Column("category", sa.String(40), nullable=False),
        sa.Column("topic", sa.String(80), nullable=False),
        sa.Column("district", sa.String(40), nullable=True),
        sa.Column("n_cases", sa.Integer(), nullable=False),
        sa.Column("n_records", sa.Integer(), nullable=False),
        sa.Column("n_complainants", sa.Integer(), nullable=False),
        sa.Column("first_reported_at", TS, nullable=True),
        sa.Column("last_reported_at", TS, nullable=True),
        sa.Column("created_batch_id", sa.String(160), nullable=False),
        sa.Column("updated_batch_id", sa.String(160), nullable=False),
        sa.Column("created_at", TS, server_default=NOW, nullable=True),
        sa.Column("updated_at", TS, server_default=NOW, nullable=True),
        sa.ForeignKeyConstraint(
            ["created_batch_id"], ["batch.batch_id"], name=op.f("fk_case_group_created_batch_id_batch")
        ),
        sa.ForeignKeyConstraint(
            ["updated_batch_id"], ["batch.batch_id"], name=op.f("fk_case_group_updated_batch_id_batch")
        ),
        sa.PrimaryKeyConstraint("group_id", name=op.f("pk_case_group")),
        sa.UniqueConstraint("group_key", name=op.f("uq_case_group_group_key")),
    )
    op.create_table(
        "hash_key",
        sa.Column("fingerprint", sa.String(16), nullable=False),
        sa.Column("activated_at", TS, server_default=NOW, nullable=True),
        sa.Column("retired_at", TS, nullable=True),
        sa.PrimaryKeyConstraint("fingerprint", name=op.f("pk_hash_key")),
    )
    op.create_table(
        "view_column_doc",
        sa.Column("view_name", sa.String(63), nullable=False),
        sa.Column("column_name", sa.String(63), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("view_name", "column_name", name=op.f("pk_view_column_doc")),
    )


def _create_views(bind: sa.Connection) -> None:
    dialect = bind.dialect.name
    for view, body in view_sql(dialect).items():
        op.execute(f"CREATE VIEW {view} AS {body}")
    docs = sa.table(
        "view_column_doc", sa.column("view_name"), sa.column("column_name"), sa.column("description")
    )
    rows = []
    inspector = sa.inspect(bind)
    for view in VIEWS:
        rows.append({"view_name": view, "column_name": "", "description": VIEW_DOCS[view]})
        for column in inspector.get_columns(view):
            text = column_doc(view, column["name"])
            if text is not None:  # an undocumented column is what the dictionary test must catch
                rows.append({"view_name": view, "column_name": column["name"], "description": text})
    op.bulk_insert(docs, rows)
    if dialect == "postgresql":
        for row in rows:
            quoted = row["description"].replace("'", "''")
            target = (
                f"VIEW {row['view_name']}"
                if not row["column_name"]
                else f"COLUMN {row['view_name']}.{row['column_name']}"
            )
            op.execute(f"COMMENT ON {target} IS '{quoted}'")


def _backfill(bind: sa.Connection) -> None:
    """Data step for a warehouse that already holds records: nothing to do on an empty one.

    Its steps are frozen with this migration (:mod:`warehouse.contract.backfill_0005`); they call the
    primitives 0005 introduced (hashing, topics, golden records).
    """
    if bind.execute(sa.text("SELECT count(*) FROM complaint_record")).scalar_one() == 0:
        return
    from warehouse.access.hashing import hash_key
    from warehouse.contract.backfill_0005 import backfill

    backfill(bind, hash_key())


def downgrade() -> None:
    for view in reversed(VIEWS):
        op.execute(f"DROP VIEW IF EXISTS {view}")
    op.drop_table("view_column_doc")
    op.drop_table("hash_key")
    op.drop_table("case_group")
    op.drop_index(op.f("ix_complaint_case_group_id"), table_name="complaint_case")
    op.drop_index(op.f("ix_complaint_case_group_key"), table_name="complaint_case")
    with op.batch_alter_table("complaint_case", recreate="never") as batch_op:
        for name, _ in reversed(CASE_COLUMNS):
            batch_op.drop_column(name)
        batch_op.drop_column("n_complainants")
    with op.batch_alter_table("complaint_record", recreate="never") as batch_op:
        for name, _ in reversed(RECORD_COLUMNS):
            batch_op.drop_column(name)
    # Read contract v1 comes back exactly as 0002 made it. (Blocking keys stay hashed: the raw keys are
    # gone; the matcher recomputes keys for new records and finds no old ones until they are re-keyed.)
    v1 = context.script.get_revision("0002").module
    for view, body in v1._sql(op.get_bind().dialect.name).items():
        op.execute(f"CREATE VIEW {view} AS {body}")
