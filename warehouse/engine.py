"""Where the warehouse lives and how to connect: ``HUB_DATABASE_URL`` or a SQLite file under ``var/``."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
URL_ENV = "HUB_DATABASE_URL"
DATA_DIR_ENV = "HUB_DATA_DIR"
_COPY_LINE = re.compile(r"line (\d+)")


def data_dir() -> Path:
    """The local data directory: ``HUB_DATA_DIR``, else ``./var``."""
    return Path(os.environ.get(DATA_DIR_ENV, "var")).resolve()


def default_database_path() -> Path:
    """The embedded warehouse's SQLite file when ``HUB_DATABASE_URL`` is not set: ``<data dir>/hub.db``."""
    return data_dir() / "hub.db"


def database_url() -> str:
    """The warehouse URL: ``HUB_DATABASE_URL``, else the embedded SQLite file ``<data dir>/hub.db``."""
    url = os.environ.get(URL_ENV)
    if url:
        return url
    path = default_database_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{path}"


def with_driver(url: str) -> str:
    """Pin PostgreSQL URLs to psycopg2: SQLAlchemy 2.1 defaults ``postgresql://`` to psycopg 3."""
    if url.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg2://" + url.split("://", 1)[1]
    return url


def make_engine(url: str | None = None, **kwargs: Any) -> sa.Engine:
    """Build an engine; on SQLite turn on WAL, foreign keys and a busy timeout so concurrent tasks queue.

    Statement parameters are left out of errors and logs (``hide_parameters``): they are the raw
    payloads and identities being landed, and a failed statement's message reaches the task log.
    """
    url = with_driver(url or database_url())
    kwargs.setdefault("hide_parameters", True)
    engine = sa.create_engine(url, **kwargs)
    if engine.dialect.name == "sqlite":

        @sa.event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
            cursor = dbapi_conn.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA busy_timeout=60000")
            cursor.close()

    return engine


def alembic_config(url: str | None = None) -> Any:
    """An Alembic config for this package's migrations, bound to ``url``."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", (url or database_url()).replace("%", "%%"))
    return config


def migrate(url: str | None = None, revision: str = "head") -> None:
    """Bring the warehouse schema to ``revision`` (idempotent)."""
    from alembic import command

    command.upgrade(alembic_config(url), revision)


def scrubbed(error: Exception) -> Exception:
    """A PostgreSQL error without the values it quotes: the same class, its message, its key, its line.

    PostgreSQL quotes the failing row in a constraint's detail (``Failing row contains (…)``), a bad
    JSON value's text, and, for a COPY, the row in the context (``COPY landing_record, line 3, column
    payload: "{…}"``). Those are the raw payloads being landed, and the message reaches the task log:
    it must say where the failure is (a unique key names the record by its source id), never what the
    row holds. ``hide_parameters`` does not reach them: they are the server's text.
    """
    diag = getattr(error, "diag", None)
    # Not the server's (SQLite's messages name constraints and columns, never values), or scrubbed already.
    if diag is None or diag.message_primary is None:
        return error
    detail = diag.message_detail or ""
    key = f" {detail}" if detail.startswith("Key (") else ""
    line = _COPY_LINE.search(diag.context or "") if (diag.context or "").startswith("COPY") else None
    where = f" at line {line.group(1)} of the COPY" if line else ""
    return type(error)(
        f"{diag.message_primary}{key}{where} [sqlstate {getattr(error, 'pgcode', None)}] "
        "(row values left out of this message)"
    )


@contextmanager
def values_left_out() -> Iterator[None]:
    """Re-raise a database error of the block with :func:`scrubbed`'s message and nothing chained to it.

    SQLAlchemy chains the driver's own error (with the server's quote of the row) to the one it raises,
    and a traceback prints every link; the error raised here is the only one a log shows (``from None``).
    Wraps the writes that carry payloads and identities: landing and staging.
    """
    try:
        yield
    except sa.exc.DBAPIError as error:
        if error.orig is None or getattr(error.orig, "diag", None) is None:
            raise
        raise type(error)(error.statement, None, scrubbed(error.orig), hide_parameters=True) from None
    except Exception as error:
        if getattr(error, "diag", None) is None:
            raise
        raise scrubbed(error) from None
