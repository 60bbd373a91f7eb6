"""Turning an Airflow connection (or anything shaped like one) into what a connector needs."""

from __future__ import annotations

from typing import Any, Protocol


class ConnectionLike(Protocol):
    """The attributes of ``airflow.sdk.Connection`` a connector reads."""

    conn_type: str | None
    host: str | None
    port: int | None
    login: str | None
    password: str | None
    schema: str | None

    @property
    def extra_dejson(self) -> dict[str, Any]: ...


def http_base_url(conn: ConnectionLike) -> str:
    """The base URL of an HTTP source: ``extra.base_url`` or ``scheme://host:port``."""
    extra = conn.extra_dejson
    if extra.get("base_url"):
        return str(extra["base_url"]).rstrip("/")
    if not conn.host:
        raise ValueError("HTTP connection needs a host or extra.base_url")
    host = conn.host if "://" in conn.host else f"{conn.schema or 'http'}://{conn.host}"
    return f"{host}:{conn.port}" if conn.port else host
