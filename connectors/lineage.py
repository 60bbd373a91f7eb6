"""OpenLineage names of where data lives: ``(namespace, name)`` per the OpenLineage naming spec.

A source says where its records come from (:meth:`~connectors.base.BaseConnector.lineage_dataset`);
the orchestration names the warehouse's tables the same way. Nothing here carries a secret: a URL's
user and password never reach a namespace.
"""

from __future__ import annotations

import socket
from pathlib import Path
from urllib.parse import urlsplit

DEFAULT_PORTS = {"postgresql": 5432, "mysql": 3306, "mssql": 1433}


def sql_dataset(url: str, table: str, schema: str = "public") -> tuple[str, str]:
    """A table of a SQL database: ``postgres://host:port`` + ``database.schema.table``; a SQLite file is
    ``sqlite://<host><absolute path>`` + ``main.table`` (the spec has no SQLite entry: this is its shape
    for a local file)."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        path = Path(parsed.database or "").resolve()
        return f"sqlite://{socket.gethostname()}{path}", f"main.{table}"
    scheme = "postgres" if backend == "postgresql" else backend
    port = parsed.port or DEFAULT_PORTS.get(backend)
    return f"{scheme}://{parsed.host}:{port}", f"{parsed.database}.{schema}.{table}"


def http_dataset(base_url: str, path: str) -> tuple[str, str]:
    """An HTTP API endpoint: ``scheme://host:port`` + its path."""
    parts = urlsplit(base_url)
    host = parts.hostname or ""
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{host}{port}", parts.path.rstrip("/") + path


def file_dataset(path: str | Path) -> tuple[str, str]:
    """A local file or folder: ``file://<host>`` + its absolute path."""
    return f"file://{socket.gethostname()}", str(Path(path).resolve())
