"""review and corrections: reviewers' corrections of the pool and the record links they leave, the
correction that placed each member, the model and pool version a matching pass works with; audit views
of decisions and corrections

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from warehouse.contract.v0009 import (
    HISTORY_DETAIL_DOC,
    HISTORY_EVENT_DOC,
    VIEW_DOCS,
    VIEWS,
    case_member_sql,
    column_doc,
)
from warehouse.contract.v0009 import view_sql as v0009_sql

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

# Frozen copies of the model types: a migration must not change when the models do.
JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
TS = sa.DateTime(timezone=True)
BIGINT = sa.BigInteger().with_variant(sa.Integer, "sqlite")
_DOCS = sa.table(
    "view_column_doc", sa.column("view_name"), sa.column("column_name"), sa.column("description")
)
_OLD_HISTORY_DOCS = {
    "event": "created, record_added, merged, merged_into, status_changed or grouped.",
    "detail": "Details as JSON (founding records, match score, from/to status, bridge).",
}


def upgrade() -> None:
    op.create_table(
        "case_correction",
        sa.Column("correction_id", BIGINT, autoincrement=True, nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("case_id", sa.String(40), nullable=False),
        sa.Column("other_case_id", sa.String(40), nullable=False),
        sa.Column("record_ids", JSON, nullable=False),
        sa.Column("reviewer", sa.String(80), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("corrected_at", TS, server_default=sa.func.current_timestamp(), nullable=True),
        sa.PrimaryKeyConstraint("correction_id", name=op.f("pk_case_correction")),
    )
    op.create_index(op.f("ix_case_correction_case_id"), "case_correction", ["case_id"])
    op.create_index(op.f("ix_case_correction_other_case_id"), "case_correction", ["other_case_id"])
    op.create_table(
        "case_link",
        sa.Column("record_id_l", sa.String(170), nullable=False),
        sa.Column("record_id_r", sa.String(170), nullable=False),
        sa.Column("link", sa.String(10), nullable=False),
        sa.Column("correction_id", BIGINT, nullable=False),
        sa.ForeignKeyConstraint(
            ["correction_id"],
            ["case_correction.correction_id"],
            name=op.f("fk_case_link_correction_id_case_correction"),
        ),
        sa.PrimaryKeyConstraint("record_id_l", "record_id_r", name=op.f("pk_case_link")),
    )
    op.create_index(op.f("ix_case_link_correction_id"), "case_link", ["correction_id"])
    op.create_index(op.f("ix_case_link_record_id_r"), "case_link", ["record_id_r"])
    op.add_column("case_member", sa.Column("correction_id", BIGINT, nullable=True))
    op.add_column("match_run", sa.Column("parameters", JSON, nullable=True))
    op.add_column("match_run", sa.Column("pool_version", BIGINT, nullable=True))
    bind = op.get_bind()
    _case_member_view(bind, with_correction=True)
    for view, body in v0009_sql(bind.dialect.name).items():
        op.execute(f"CREATE VIEW {view} AS {body}")
    rows = []
    inspector = sa.inspect(bind)
    for view in VIEWS:
        rows.append({"view_name": view, "column_name": "", "description": VIEW_DOCS[view]})
        for column in inspector.get_columns(view):
            text = column_doc(view, column["name"])
            if text is not None:
                rows.append({"view_name": view, "column_name": column["name"], "description": text})
    rows.append(
        {
            "view_name": "v_case_member",
            "column_name": "correction_id",
            "description": column_doc("v_case_member", "correction_id") or "",
        }
    )
    op.bulk_insert(_DOCS, rows)
    _set_history_docs({"event": HISTORY_EVENT_DOC, "detail": HISTORY_DETAIL_DOC})
    _comment(bind, rows)


def downgrade() -> None:
    bind = op.get_bind()
    for view in reversed(VIEWS):
        op.execute(f"DROP VIEW IF EXISTS {view}")
    op.execute(
        _DOCS.delete().where(
            sa.or_(
                _DOCS.c.view_name.in_(VIEWS),
                sa.and_(_DOCS.c.view_name == "v_case_member", _DOCS.c.column_name == "correction_id"),
            )
        )
    )
    _set_history_docs(_OLD_HISTORY_DOCS)
    _case_member_view(bind, with_correction=False)
    op.drop_column("match_run", "pool_version")
    op.drop_column("match_run", "parameters")
    op.drop_column("case_member", "correction_id")
    op.drop_index(op.f("ix_case_link_record_id_r"), table_name="case_link")
    op.drop_index(op.f("ix_case_link_correction_id"), table_name="case_link")
    op.drop_table("case_link")
    op.drop_index(op.f("ix_case_correction_other_case_id"), table_name="case_correction")
    op.drop_index(op.f("ix_case_correction_case_id"), table_name="case_correction")
    op.drop_table("case_correction")


def _case_member_view(bind: sa.Connection, with_correction: bool) -> None:
    """(Re)define ``v_case_member``. On PostgreSQL, adding a column at the end replaces the view in place
    (grants and comments stay); removing one needs a new view, whose grants and comments are put back."""
    body = case_member_sql(bind.dialect.name, with_correction)
    if bind.dialect.name != "postgresql":
        op.execute("DROP VIEW IF EXISTS v_case_member")
        op.execute(f"CREATE VIEW v_case_member AS {body}")
        return
    if with_correction:
        op.execute(f"CREATE OR REPLACE VIEW v_case_member AS {body}")
        return
    grantees = (
        bind.execute(
            sa.text(
                "SELECT DISTINCT grantee FROM information_schema.role_table_grants WHERE table_name = "
                "'v_case_member' AND privilege_type = 'SELECT' AND grantee <> (SELECT viewowner FROM pg_views "
                "WHERE viewname = 'v_case_member')"
            )
        )
        .scalars()
        .all()
    )
    op.execute("DROP VIEW v_case_member")
    op.execute(f"CREATE VIEW v_case_member AS {body}")
    for grantee in grantees:
        op.execute(f'GRANT SELECT ON v_case_member TO "{grantee}"')
    docs = bind.execute(
        sa.text(
            "SELECT view_name, column_name, description FROM view_column_doc WHERE view_name = 'v_case_member'"
        )
    ).mappings()
    _comment(bind, [dict(row) for row in docs])


def _set_history_docs(texts: dict[str, str]) -> None:
    for column, text in texts.items():
        op.execute(
            _DOCS.update()
            .where(_DOCS.c.view_name == "v_case_history", _DOCS.c.column_name == column)
            .values(description=text)
        )
    _comment(
        op.get_bind(),
        [{"view_name": "v_case_history", "column_name": c, "description": t} for c, t in texts.items()],
    )


def _comment(bind: sa.Connection, rows: list[dict[str, str]]) -> None:
    """On PostgreSQL, ``COMMENT ON`` each view or column as ``rows`` describe them."""
    if bind.dialect.name != "postgresql":
        return
    for row in rows:
        quoted = row["description"].replace("'", "''")
        target = (
            f"VIEW {row['view_name']}"
            if not row["column_name"]
            else f"COLUMN {row['view_name']}.{row['column_name']}"
        )
        op.execute(f"COMMENT ON {target} IS '{quoted}'")
