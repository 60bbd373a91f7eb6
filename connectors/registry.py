"""The explicit list of sources. Adding a source is one module and one line here (no plugin discovery)."""

from __future__ import annotations

from connectors.app import AppConnector
from connectors.base import BaseConnector
from connectors.hotline import HotlineConnector
from connectors.netizen import NetizenConnector
from connectors.petition import PetitionConnector
from connectors.police import PoliceConnector

CONNECTORS: list[type[BaseConnector]] = [
    PetitionConnector,
    PoliceConnector,
    HotlineConnector,
    AppConnector,
    NetizenConnector,
]


def connector_class(source: str) -> type[BaseConnector]:
    """The connector class registered for ``source``.

    Raises:
        KeyError: naming the registered sources when ``source`` is unknown.
    """
    for cls in CONNECTORS:
        if cls.source == source:
            return cls
    raise KeyError(f"unknown source {source!r}; registered: {[c.source for c in CONNECTORS]}")


def connector_from_airflow(source: str) -> BaseConnector:
    """Build the connector for ``source`` from its Airflow connection (secrets never leave Airflow)."""
    from airflow.sdk import Connection

    cls = connector_class(source)
    return cls.from_connection(Connection.get(cls.conn_id))
