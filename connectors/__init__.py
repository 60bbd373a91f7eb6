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
from connectors.registry import CONNECTORS, connector_class, connector_from_airflow

__all__ = [
    "CONNECTORS",
    "RECORD_FIELDS",
    "BaseConnector",
    "ComplaintRecord",
    "DropFile",
    "FileDropConnector",
    "RecordError",
    "Window",
    "connector_class",
    "connector_from_airflow",
    "payload_hash",
]
