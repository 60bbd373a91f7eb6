"""App (小兰帮办) connector: Open311 GeoReport v2 ``requests.json`` with the page/page_size extension."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import datetime
from functools import partial
from typing import Any

from connectors._endpoint import ConnectionLike, http_base_url
from connectors._geo import district_from_point, district_in_text
from connectors._http import TIMEOUT_S, get_json
from connectors.base import BaseConnector, Window, parse_time

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
    suite = "expectations.suites.app"
    schedule = {"cron": "*/15 * * * *", "execution_timeout_minutes": 10}
    connection_template = {"conn_type": "http", "extra": {"base_url": "{base_url}"}}

    def __init__(
        self,
        base_url: str,
        api_key: str | None = None,
        page_size: int = PAGE_SIZE,
        timeout: float = TIMEOUT_S,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self._api_key = api_key
        self.page_size = page_size
        self.timeout = timeout

    def __repr__(self) -> str:
        return f"AppConnector(base_url={self.base_url!r})"

    @classmethod
    def from_connection(cls, conn: ConnectionLike) -> AppConnector:
        """Build from an Airflow HTTP connection (``extra.api_key`` if the server wants one)."""
        extra = conn.extra_dejson
        return cls(
            http_base_url(conn),
            extra.get("api_key") or conn.password,
            int(extra.get("page_size", PAGE_SIZE)),
            float(extra.get("timeout", TIMEOUT_S)),
        )

    def fetch_raw(self, window: Window) -> Iterator[dict[str, Any]]:
        """Yield the service requests made in the widened window, streamed one page at a time.

        ``requested_datetime`` never changes, so offset paging is stable here. Paging ends at an empty
        page or at one shorter than the first (a server may cap ``page_size`` below what was asked, so
        a short first page alone proves nothing). A page out of order, or one starting at or before
        the previous page's last request (a repeated page), is requested again like a failed one.
        """
        import requests

        wide = window.widened()
        page, full, last = 1, 0, None
        with requests.Session() as session:
            while True:
                params: dict[str, Any] = {
                    "start_date": wide.start.isoformat(),
                    "end_date": wide.end.isoformat(),
                    "page": page,
                    "page_size": self.page_size,
                }
                if self._api_key:
                    params["api_key"] = self._api_key
                items = get_json(
                    session,
                    self.base_url + PATH,
                    params,
                    timeout=self.timeout,
                    check=partial(_page_problem, after=last if page > 1 else None),
                )
                yield from items
                full = max(full, len(items))
                if not items or len(items) < min(self.page_size, full):
                    return
                last = _key(items[-1])
                page += 1

    @classmethod
    def derive(cls, raw: Mapping[str, Any]) -> dict[str, Any]:
        """Name from GeoReport's last/first name; district from the address, else from the coordinates."""
        name = f"{raw.get('last_name') or ''}{raw.get('first_name') or ''}".strip() or None
        district = district_in_text(raw.get("address"))
        if district is None:
            district = district_from_point(raw.get("lat"), raw.get("long"))
        return {"name": name, "district": district}


def _key(item: Any) -> tuple[datetime, str] | None:
    # The server orders by the instant of requested_datetime, then the id; an unreadable time cannot be placed.
    moment = parse_time(item.get("requested_datetime")) if isinstance(item, dict) else None
    return None if moment is None else (moment, str(item.get("service_request_id")))


def _page_problem(body: Any, *, after: tuple[datetime, str] | None) -> str | None:
    """Why a decoded page cannot be the next one after the request keyed ``after``, or ``None``."""
    if not isinstance(body, list):
        return f"GeoReport v2 returns an array, got {type(body).__name__}"
    keys = [k for k in map(_key, body) if k is not None]
    if any(a >= b for a, b in zip(keys, keys[1:], strict=False)):
        return "page out of order"
    if keys and after is not None and keys[0] <= after:
        return "stale page: it repeats requests already read"
    return None
