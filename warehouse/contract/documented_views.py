"""Create and drop read-contract views together with their documentation, for migrations from 0010 on.

Each view's description and its columns' go into ``view_column_doc`` (what ``python -m warehouse
dictionary`` and the dictionary test read) and, on PostgreSQL, into ``COMMENT ON`` as well (what a BI
tool shows). A column without a description is left out, for the dictionary test to catch. Migrations
call these with the SQL and docs they froze in their own ``v00NN`` module, so the step itself can stay
shared: it holds no view of its own.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import sqlalchemy as sa
from alembic import op

DOCS = sa.table("view_column_doc", sa.column("view_name"), sa.column("column_name"), sa.column("description"))


def create_documented_views(
    bind: sa.Connection,
    sql: Mapping[str, str],
    views: Sequence[str],
    view_docs: Mapping[str, str],
    column_doc: Callable[[str, str], str | None],
) -> None:
    """Create ``views`` from ``sql`` and store their documentation, replacing any older rows of theirs."""
    for view in views:
        op.execute(f"CREATE VIEW {view} AS {sql[view]}")
    op.execute(DOCS.delete().where(DOCS.c.view_name.in_(list(views))))
    inspector = sa.inspect(bind)
    rows = []
    for view in views:
        rows.append({"view_name": view, "column_name": "", "description": view_docs[view]})
        for column in inspector.get_columns(view):
            text = column_doc(view, column["name"])
            if text is not None:
                rows.append({"view_name": view, "column_name": column["name"], "description": text})
    op.bulk_insert(DOCS, rows)
    if bind.dialect.name == "postgresql":
        for row in rows:
            quoted = row["description"].replace("'", "''")
            target = (
                f"VIEW {row['view_name']}"
                if not row["column_name"]
                else f"COLUMN {row['view_name']}.{row['column_name']}"
            )
            op.execute(f"COMMENT ON {target} IS '{quoted}'")


def drop_documented_views(views: Sequence[str]) -> None:
    """Drop ``views`` (in reverse order of creation) and their documentation rows."""
    for view in reversed(views):
        op.execute(f"DROP VIEW IF EXISTS {view}")
    op.execute(DOCS.delete().where(DOCS.c.view_name.in_(list(views))))
