"""App (小兰帮办) connector: Open311 GeoReport v2 ``requests.json`` with the page/page_size extension."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from connectors._endpoint import ConnectionLike, http_base_url
from connectors._geo import district_from_point, district_in_text
from connectors._http import get_json
from connectors.base import BaseConnector, Window

PAGE_SIZE = 200
PATH = "/open311/v2/requests.json"


class AppConnector(BaseConnector):
    """GeoReport v2: every field but the id may be absent; the district comes from the address or lat/long."""

    source = "app"
    conn_id = "complaints_app"
    primary_key = "service_request_id"
    cursor_field = "requested_datetime"
    field_map = {
        "reported_at": "requested_datetime",
        "received_at": "requested_datetime",
        "phone": "phone",
        "id_number": "id_card",
        "address": "address",
        "source_category": "service_code",
        "content": "description",
        "status": "status",
        "updated_at": "updated_datetime",
    }

    def __init__(self, base_url: str, api_key: str | None = None, page_size: int = PAGE_SIZE) -> None:
        self.base_url = base_url.rstrip("/")
        self._api_key = api_key
        self.page_size = page_size

    def __repr__(self) -> str:
        return f"AppConnector(base_url={self.base_url!r})"

    @classmethod
    def from_connection(cls, conn: ConnectionLike) -> AppConnector:
        """Build from an Airflow HTTP connection (``extra.api_key`` if the server wants one)."""
        extra = conn.extra_dejson
        return cls(http_base_url(conn), extra.get("api_key") or conn.password,
                   int(extra.get("page_size", PAGE_SIZE)))

    def fetch_raw(self, window: Window) -> Iterator[dict[str, Any]]:
        """Yield the service requests made in the widened window; an empty page ends the paging."""
        import requests

        wide = window.widened()
        with requests.Session() as session:
            page = 1
            while True:
                params: dict[str, Any] = {"start_date": wide.start.isoformat(), "end_date": wide.end.isoformat(),
                                          "page": page, "page_size": self.page_size}
                if self._api_key:
                    params["api_key"] = self._api_key
                items = get_json(session, self.base_url + PATH, params)
                if not isinstance(items, list):
                    raise ValueError(f"GeoReport v2 returns an array, got {type(items).__name__}")
                yield from items
                if len(items) < self.page_size:
                    return
                page += 1

    @classmethod
    def derive(cls, raw: Mapping[str, Any]) -> dict[str, Any]:
        """Name from GeoReport's last/first name; district from the address, else from the coordinates."""
        name = f"{raw.get('last_name') or ''}{raw.get('first_name') or ''}".strip() or None
        district = district_in_text(raw.get("address"))
        if district is None:
            district = district_from_point(raw.get("lat"), raw.get("long"))
        return {"name": name, "district": district}
