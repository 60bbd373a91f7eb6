"""Hotline (12345) connector: the hotline platform's paginated JSON API, filtered by modification time."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from connectors._endpoint import ConnectionLike, http_base_url
from connectors._http import get_json
from connectors.base import BaseConnector, Window

PAGE_SIZE = 500
PATH = "/api/v1/workorders"


class HotlineConnector(BaseConnector):
    """Streams work orders page by page; memory holds one page at a time."""

    source = "hotline"
    conn_id = "complaints_hotline"
    primary_key = "order_no"
    cursor_field = "update_time"
    field_map = {
        "reported_at": "create_time",
        "received_at": "create_time",
        "name": "caller_name",
        "phone": "caller_phone",
        "id_number": "id_card",
        "address": "address",
        "district": "area",
        "street": "street",
        "source_category": "category",
        "content": "content",
        "status": "status",
        "dispatched_at": "dispatch_time",
        "resolved_at": "finish_time",
        "updated_at": "update_time",
    }
    time_formats = ("%Y-%m-%d %H:%M:%S",)

    def __init__(self, base_url: str, token: str, page_size: int = PAGE_SIZE) -> None:
        self.base_url = base_url.rstrip("/")
        self._token = token
        self.page_size = page_size

    def __repr__(self) -> str:  # the token never reaches a log line
        return f"HotlineConnector(base_url={self.base_url!r})"

    @classmethod
    def from_connection(cls, conn: ConnectionLike) -> HotlineConnector:
        """Build from an Airflow HTTP connection; the bearer token is the connection's password."""
        if not conn.password:
            raise ValueError(f"connection {cls.conn_id} has no token (password)")
        return cls(http_base_url(conn), conn.password, int(conn.extra_dejson.get("page_size", PAGE_SIZE)))

    def fetch_raw(self, window: Window) -> Iterator[dict[str, Any]]:
        """Yield the work orders modified in the widened window."""
        import requests

        wide = window.widened()
        with requests.Session() as session:
            session.headers["Authorization"] = f"Bearer {self._token}"
            page = 1
            while True:
                params = {"updated_from": wide.start.isoformat(), "updated_to": wide.end.isoformat(),
                          "page": page, "page_size": self.page_size}
                body = get_json(session, self.base_url + PATH, params)
                data = body.get("data") or {}
                items = data.get("items") or []
                yield from items
                if not items or page * self.page_size >= int(data.get("total", 0)):
                    return
                page += 1
