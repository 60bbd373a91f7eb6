"""The explicit list of sources, and what is derived from it (no plugin discovery).

Adding a source is one module and one line here: its class declares the rest (suite, schedule,
connection; :class:`~connectors.base.BaseConnector`), and every DAG, gate and runner reads it from here.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

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


def stand_in_connections(*, base_url: str, token: str, data_dir: str) -> dict[str, dict[str, Any]]:
    """Every registered source's Airflow connection to its simulator, by ``conn_id``.

    Each class's ``connection_template`` with the placeholders filled in; this is the shape
    ``airflow connections import`` reads from a JSON file.

    Args:
        base_url: where the HTTP simulators serve (``{base_url}``).
        token: the simulators' bearer token (``{token}``); it appears only where a template asks for it.
        data_dir: the directory the simulators write the database and drop sources into (``{data_dir}``).

    Returns:
        ``conn_id`` -> the connection as a dict (``conn_type``, ``password``, ``extra``, …).

    Raises:
        ValueError: a registered source declares no ``connection_template``.
    """
    connections = {}
    for cls in CONNECTORS:
        if not cls.connection_template:
            raise ValueError(f"{cls.__name__} declares no connection_template")
        values = {"base_url": base_url, "token": token, "data_dir": data_dir, "source": cls.source}
        connections[cls.conn_id] = _fill(cls.connection_template, values)
    return connections


def airflow_connections(*, base_url: str, token: str, data_dir: str) -> dict[str, str]:
    """The same connections as ``AIRFLOW_CONN_<CONN_ID>`` environment variables (JSON values).

    Args:
        base_url: as for :func:`stand_in_connections`.
        token: as for :func:`stand_in_connections`.
        data_dir: as for :func:`stand_in_connections`.

    Returns:
        Variable name -> value, one per registered source.
    """
    connections = stand_in_connections(base_url=base_url, token=token, data_dir=data_dir)
    return {f"AIRFLOW_CONN_{conn_id.upper()}": json.dumps(conn) for conn_id, conn in connections.items()}


def _fill(template: Any, values: Mapping[str, str]) -> Any:
    # Only the template's own strings are formatted: a value holding braces (a token) stays as given.
    if isinstance(template, str):
        return template.format_map(values)
    if isinstance(template, Mapping):
        return {key: _fill(value, values) for key, value in template.items()}
    return template
