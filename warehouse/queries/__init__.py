"""Queries dashboards run against the read contract: plain SQL files that work on SQLite and PostgreSQL.

Each ``<name>.sql`` reads only the views (what the reader role may select) and takes named parameters
(``:week_start``). :func:`run_query` binds dates as ISO text and timestamps as the warehouse stores them,
so one file runs unchanged on both engines.
"""

from __future__ import annotations

from datetime import date, datetime
from importlib import resources
from typing import Any

import sqlalchemy as sa

from warehouse.schema import UtcDateTime


def query_names() -> list[str]:
    """The available queries (file names without ``.sql``)."""
    return sorted(
        p.name.removesuffix(".sql") for p in resources.files(__name__).iterdir() if p.name.endswith(".sql")
    )


def query_text(name: str) -> str:
    """The SQL of query ``name``.

    Raises:
        KeyError: if there is no such query.
    """
    if name not in query_names():
        raise KeyError(f"no query {name!r} (known: {', '.join(query_names())})")
    return resources.files(__name__).joinpath(f"{name}.sql").read_text(encoding="utf-8")


def _statement(name: str) -> sa.TextClause:
    # Comment lines document the parameters (":week_start"); the parser must not see them as binds.
    sql = "\n".join(line for line in query_text(name).splitlines() if not line.lstrip().startswith("--"))
    return sa.text(sql)


def query_parameters(name: str) -> list[str]:
    """The named parameters query ``name`` takes, in order of first use.

    Raises:
        KeyError: if there is no such query.
    """
    return list(_statement(name).compile().params)


def run_query(engine: sa.Engine | sa.Connection, name: str, **params: Any) -> list[dict[str, Any]]:
    """Run query ``name`` with ``params`` and return its rows as dicts.

    Args:
        engine: the warehouse (or an open connection, e.g. one that ``SET ROLE`` to the reader).
        name: the query.
        **params: its parameters; ``date`` values are bound as ``YYYY-MM-DD`` and aware ``datetime``
            values as stored timestamps.
    """
    statement = _statement(name)
    bound = {}
    for key, value in params.items():
        if isinstance(value, datetime):
            statement = statement.bindparams(sa.bindparam(key, type_=UtcDateTime()))
        elif isinstance(value, date):
            value = value.isoformat()
        bound[key] = value
    if isinstance(engine, sa.Connection):
        return [dict(row) for row in engine.execute(statement, bound).mappings()]
    with engine.connect() as conn:
        return [dict(row) for row in conn.execute(statement, bound).mappings()]
