"""App (小兰帮办) connector: Open311 GeoReport v2 ``requests.json`` with the page/page_size extension."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import datetime
from functools import partial
from typing import Any

from connectors._endpoint import ConnectionLike, http_base_url
from connectors._geo import district_from_point, district_in_text
from connectors._http import TIMEOUT_S, get_json
from connectors._paging import PageLedger, as_rows
from connectors.base import BaseConnector, Window, parse_time, payload_hash
from connectors.events import EventMap

PAGE_SIZE = 200
PATH = "/open311/v2/requests.json"
UPDATED_AFTER = "updated_after"  # extra.updates: the server filters on updated_after/updated_before


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
    # status_history: a GeoReport extension listing every status change with its agency.
    event_map = EventMap(
        column="status_history",
        keys={"type": "status", "at": "datetime", "actor": "operator", "unit": "agency", "level": "agency_level",
              "reason": "note", "days": "days", "score": "rating"},
        types={"submitted": "registered", "accepted": "accepted", "assigned": "dispatched", "acknowledged": "acknowledged",
               "returned": "sent_back", "reassigned": "redispatched", "contacted": "contacted",
               "extension_requested": "extension_requested", "extension_approved": "extension_approved",
               "extension_denied": "extension_denied", "escalated": "reminded", "closed": "closed",
               "rated": "followed_up", "reopened": "reopened"},
    )  # fmt: skip
    suite = "expectations.suites.app"
    schedule = {"cron": "*/15 * * * *", "execution_timeout_minutes": 10}
    # The simulator serves updated_after/updated_before: status changes after a window are fetched again.
    connection_template = {"conn_type": "http", "extra": {"base_url": "{base_url}", "updates": UPDATED_AFTER}}

    def __init__(
        self,
        base_url: str,
        api_key: str | None = None,
        page_size: int = PAGE_SIZE,
        timeout: float = TIMEOUT_S,
        updates: bool = False,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self._api_key = api_key
        self.page_size = page_size
        self.timeout = timeout
        self.updates = updates

    def __repr__(self) -> str:
        return f"AppConnector(base_url={self.base_url!r})"

    @classmethod
    def from_connection(cls, conn: ConnectionLike) -> AppConnector:
        """Build from an Airflow HTTP connection (``extra.api_key`` if the server wants one).

        ``extra.updates = "updated_after"`` says the server filters on ``updated_after``/``updated_before``
        (a common GeoReport v2 extension): the window then also fetches the requests updated in it.
        """
        extra = conn.extra_dejson
        return cls(
            http_base_url(conn),
            extra.get("api_key") or conn.password,
            int(extra.get("page_size", PAGE_SIZE)),
            float(extra.get("timeout", TIMEOUT_S)),
            extra.get("updates") == UPDATED_AFTER,
        )

    def lineage_dataset(self) -> tuple[str, str]:
        """The API endpoint the records are paged from."""
        from connectors.lineage import http_dataset

        return http_dataset(self.base_url, PATH)

    def fetch_raw(self, window: Window) -> Iterator[dict[str, Any]]:
        """Yield the service requests made in the widened window, then (``updates``) those updated in it.

        A request made in an earlier window whose status changed in this one comes again, as its new
        version; one already yielded by the first pass unchanged is not yielded twice. Each pass streams
        one page at a time; a page that repeats or is stale (:class:`~connectors._paging.PageLedger`),
        out of order, or not an array is requested again like a failed one, and fails the window after
        the last attempt. An element of the array that is not an object becomes an ``_error`` row.
        """
        import requests

        wide = window.widened()
        with requests.Session() as session:
            made: dict[str, str] = {}
            for row in self._made(session, wide):
                if self.updates and isinstance(row.get(self.primary_key), str | int):
                    made[str(row[self.primary_key])] = payload_hash(row)
                yield row
            if self.updates:
                for row in self._updated(session, wide):
                    rid = row.get(self.primary_key)
                    if rid is None or made.get(str(rid)) != payload_hash(row):
                        yield row

    def _get(self, session: Any, params: dict[str, Any], check: Any) -> list[Any]:
        if self._api_key:
            params["api_key"] = self._api_key
        items: list[Any] = get_json(session, self.base_url + PATH, params, timeout=self.timeout, check=check)
        return items

    def _made(self, session: Any, wide: Window) -> Iterator[dict[str, Any]]:
        # requested_datetime never changes, so offset paging is stable here. Paging ends at an empty
        # page or one shorter than the longest (a server may cap page_size below what was asked).
        bounds = {"start_date": wide.start.isoformat(), "end_date": wide.end.isoformat()}
        ledger, page, full, last = PageLedger(), 1, 0, None
        while True:
            check = partial(_page_problem, ledger=ledger, field=self.cursor_field, after=last)
            items = self._get(session, {**bounds, "page": page, "page_size": self.page_size}, check)
            ledger.admit(items)
            yield from as_rows(items, page)
            full = max(full, len(items))
            if not items or len(items) < min(self.page_size, full):
                return
            last = max(_keys(items, self.cursor_field), default=last)
            page += 1

    def _updated(self, session: Any, wide: Window) -> Iterator[dict[str, Any]]:
        # Keyset on updated_datetime: a request updated while paging moves to the end, which would make
        # offset paging skip the one after it; each request starts at the last update time read.
        cursor, page, full, last = wide.start, 1, 0, None
        ledger = PageLedger()
        while True:
            params = {
                "updated_after": cursor.isoformat(),
                "updated_before": wide.end.isoformat(),
                "page": page,
                "page_size": self.page_size,
            }
            restart = max(1, min(self.page_size, full)) if page == 1 else 0
            check = partial(_page_problem, ledger=ledger, field="updated_datetime", after=None,
                            window=(cursor, wide.end), restart=restart)  # fmt: skip
            items = self._get(session, params, check)
            ledger.admit(items)
            keys = _keys(items, "updated_datetime")
            rows = as_rows(items, page, where=f"{cursor.isoformat()}#")
            yield from (row for row, item in zip(rows, items, strict=True) if _fresh(item, last))
            full = max(full, len(items))
            if not items or len(items) < min(self.page_size, full):
                return
            last = max([*keys, last] if last else keys, default=None)  # never moves back
            if not keys or keys[0][0] == keys[-1][0]:
                page += 1  # a whole page within one instant (or without readable times): its next page
            else:
                cursor, page = keys[-1][0], 1

    @classmethod
    def derive(cls, raw: Mapping[str, Any]) -> dict[str, Any]:
        """Name from GeoReport's last/first name; district from the address, else from the coordinates."""
        name = f"{raw.get('last_name') or ''}{raw.get('first_name') or ''}".strip() or None
        district = district_in_text(raw.get("address"))
        if district is None:
            district = district_from_point(raw.get("lat"), raw.get("long"))
        return {"name": name, "district": district}


def _fresh(item: Any, last: tuple[datetime, str] | None) -> bool:
    # What a keyset request serves again (at or before the last update read) was yielded already.
    key = _key(item, "updated_datetime")
    return key is None or last is None or key > last


def _key(item: Any, field: str) -> tuple[datetime, str] | None:
    # The server orders by the instant of the time field, then the id; an unreadable time cannot be placed.
    moment = parse_time(item.get(field)) if isinstance(item, dict) else None
    return None if moment is None else (moment, str(item.get("service_request_id")))


def _keys(items: list[Any], field: str) -> list[tuple[datetime, str]]:
    return [k for k in (_key(i, field) for i in items) if k is not None]


def _page_problem(
    body: Any,
    *,
    ledger: PageLedger,
    field: str,
    after: tuple[datetime, str] | None,
    window: tuple[datetime, datetime] | None = None,
    restart: int = 0,
) -> str | None:
    """Why a decoded page cannot be the next one of its pass, or ``None``.

    Args:
        body: the decoded page.
        ledger: the pass so far (repeats and stale pages are found by id and fingerprint).
        field: the time field the server orders by.
        after: the last key read on the previous page (offset paging).
        window: ``[updated_after, updated_before)`` of an update request: an item outside it means the
            server ignored the filter.
        restart: see :meth:`~connectors._paging.PageLedger.problem`.
    """
    if not isinstance(body, list):
        return f"GeoReport v2 returns an array, got {type(body).__name__}"
    keys = _keys(body, field)
    if any(a >= b for a, b in zip(keys, keys[1:], strict=False)):
        return "page out of order"
    if keys and after is not None and keys[0] <= after:
        return "stale page: it repeats requests already read"
    if window is not None and any(not window[0] <= k[0] < window[1] for k in keys):
        return f"{field} outside the requested window: the server ignored updated_after/updated_before"
    return ledger.problem(body, restart=restart)
