"""Hotline (12345) connector: the hotline platform's paginated JSON API, filtered by modification time."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from connectors._endpoint import ConnectionLike, http_base_url
from connectors._http import TIMEOUT_S, get_json
from connectors._paging import PageLedger, as_rows
from connectors.base import SHANGHAI, BaseConnector, Window
from connectors.events import EventMap

PAGE_SIZE = 500
PATH = "/api/v1/workorders"
_TIME = "%Y-%m-%d %H:%M:%S"


class HotlineConnector(BaseConnector):
    """Streams work orders page by page, keyset-paged on the update time; memory holds one page at a time."""

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
    # The work order's flow (流转记录): every node the platform logs, with its handler and opinion.
    event_map = EventMap(
        column="flow",
        keys={"type": "node", "at": "time", "actor": "operator", "unit": "dept", "level": "dept_level",
              "reason": "opinion", "days": "delay_days", "satisfaction": "satisfaction"},
        types={"登记": "registered", "派单": "dispatched", "签收": "acknowledged", "退单": "sent_back",
               "回退": "sent_back", "重新派单": "redispatched", "联系市民": "contacted",
               "延期申请": "extension_requested", "延期通过": "extension_approved", "延期驳回": "extension_denied",
               "催办": "reminded", "办结": "closed", "回访": "followed_up", "重办": "reopened"},
    )  # fmt: skip
    suite = "expectations.suites.hotline"
    # A paginated API: small, frequent windows.
    schedule = {"cron": "*/15 * * * *", "execution_timeout_minutes": 10}
    connection_template = {"conn_type": "http", "password": "{token}", "extra": {"base_url": "{base_url}"}}

    def __init__(
        self, base_url: str, token: str, page_size: int = PAGE_SIZE, timeout: float = TIMEOUT_S
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self._token = token
        self.page_size = page_size
        self.timeout = timeout

    def __repr__(self) -> str:  # the token never reaches a log line
        return f"HotlineConnector(base_url={self.base_url!r})"

    @classmethod
    def from_connection(cls, conn: ConnectionLike) -> HotlineConnector:
        """Build from an Airflow HTTP connection; the bearer token is the connection's password."""
        if not conn.password:
            raise ValueError(f"connection {cls.conn_id} has no token (password)")
        extra = conn.extra_dejson
        return cls(
            http_base_url(conn),
            conn.password,
            int(extra.get("page_size", PAGE_SIZE)),
            float(extra.get("timeout", TIMEOUT_S)),
        )

    def lineage_dataset(self) -> tuple[str, str]:
        """The API endpoint the records are paged from."""
        from connectors.lineage import http_dataset

        return http_dataset(self.base_url, PATH)

    def fetch_raw(self, window: Window) -> Iterator[dict[str, Any]]:
        """Yield the work orders modified in the widened window, streamed one page at a time.

        Paging is by keyset over the update time, not by page number: offset paging over a list
        ordered by update time skips a record whenever one already read is updated meanwhile (it
        moves to the end and everything after it moves up one place). Here each request starts at the
        last update time read and drops what was already yielded, so a change between pages can only
        make a record come again, as its new version. Only a full page within one second is followed
        by the page number. A page that is stale or out of order is requested again like a failed one.
        The next page is requested while this one's rows are consumed (one request in flight, so
        memory holds two pages at most).
        """
        import requests

        wide = window.widened()
        cursor, page = _local(wide.start), 1
        last: tuple[str, str] | None = None  # (update_time, order_no) of the last row read
        session = requests.Session()
        session.headers["Authorization"] = f"Bearer {self._token}"
        pool = ThreadPoolExecutor(1, "hotline-page")
        ledger = PageLedger()

        def request(cursor: str, page: int, last: tuple[str, str] | None) -> Any:
            params = {
                "updated_from": _instant(cursor),
                "updated_to": wide.end.isoformat(),
                "page": page,
                "page_size": self.page_size,
            }
            check = partial(
                _page_problem, cursor=cursor, page=page, last=last, ledger=ledger, size=self.page_size
            )
            return get_json(session, self.base_url + PATH, params, timeout=self.timeout, check=check)

        try:
            upcoming: Future[Any] | None = pool.submit(request, cursor, page, last)
            while upcoming is not None:
                body, upcoming = upcoming.result(), None
                items = body["data"]["items"]
                ledger.admit(items)
                keys = [_key(item) for item in items if _placed(item)]
                rows = as_rows(items, page, where=f"{cursor}#")
                fresh = [
                    r
                    for r, i in zip(rows, items, strict=True)
                    if not _placed(i) or last is None or _key(i) > last
                ]
                last = max([*keys, last] if last else keys, default=None)  # never moves back
                if len(items) >= _page_size(body, self.page_size):
                    if not keys or keys[0][0] == keys[-1][0]:
                        page += 1  # a whole page within one second (or without readable times): its next page
                    else:
                        cursor, page = keys[-1][0], 1
                    upcoming = pool.submit(request, cursor, page, last)
                yield from fresh
        finally:
            pool.shutdown(wait=False, cancel_futures=True)  # a consumer that stops early does not wait
            session.close()


def _key(item: Any) -> tuple[str, str]:
    # The platform orders by the text of update_time, then order_no; compare the same way.
    return str(item.get("update_time") or ""), str(item.get("order_no") or "")


def _local(moment: datetime) -> str:
    local = moment.astimezone(SHANGHAI)
    if local.microsecond:  # the platform keeps whole seconds: the first one at or after the bound
        local = local.replace(microsecond=0) + timedelta(seconds=1)
    return local.strftime(_TIME)


def _instant(text: str) -> str | None:
    try:
        return datetime.strptime(text, _TIME).replace(tzinfo=SHANGHAI).isoformat()
    except ValueError:
        return None


def _placed(item: Any) -> bool:
    # A work order the platform could have ordered: an object with a readable update time.
    return isinstance(item, dict) and _instant(str(item.get("update_time") or "")) is not None


def _page_size(body: dict[str, Any], asked: int) -> int:
    size = body["data"].get("page_size")
    return asked if size is None else int(size)


def _page_problem(
    body: Any, *, cursor: str, page: int, last: tuple[str, str] | None, ledger: PageLedger, size: int
) -> str | None:
    """Why a decoded page cannot be used as the answer to (cursor, page), or ``None`` when it can.

    Elements that are not objects, or objects without a readable update time, are left out of the
    order checks (they are landed and quarantined); a repeat is found by id and fingerprint whatever
    the fields (:class:`~connectors._paging.PageLedger`).
    """
    data = body.get("data") if isinstance(body, dict) and body.get("code") == 0 else None
    items = data.get("items") if isinstance(data, dict) else None
    if not isinstance(data, dict) or not isinstance(items, list):
        return "unexpected response shape"
    reported = data.get("page_size")
    if reported is not None and (type(reported) is not int or reported < 1):
        return "malformed page: page_size is not a positive integer"
    keys = [_key(i) for i in items if _placed(i)]
    if any(a >= b for a, b in zip(keys, keys[1:], strict=False)):
        return "page out of order"
    if keys and keys[0][0] < cursor:
        return "stale page: it starts before the requested update time"
    if keys and page > 1 and last is not None and keys[0] <= last:
        return "stale page: it repeats rows already read"
    restart = (reported or size) if page == 1 and last is not None else 0
    return ledger.problem(items, restart=restart)
