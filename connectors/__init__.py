"""Source connectors and the canonical record."""

from __future__ import annotations

from connectors.base import (
    RECORD_FIELDS,
    BaseConnector,
    ComplaintRecord,
    RecordError,
    Window,
    payload_hash,
)
from connectors.drop import DropFile, FileDropConnector
from connectors.registry import (
    CONNECTORS,
    airflow_connections,
    connector_class,
    connector_from_airflow,
    stand_in_connections,
)

__all__ = [
    "CONNECTORS",
    "RECORD_FIELDS",
    "BaseConnector",
    "ComplaintRecord",
    "DropFile",
    "FileDropConnector",
    "RecordError",
    "Window",
    "airflow_connections",
    "connector_class",
    "connector_from_airflow",
    "payload_hash",
    "stand_in_connections",
]
