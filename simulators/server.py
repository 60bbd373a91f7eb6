"""HTTP stand-ins for the hotline platform and the app's Open311 server (SOURCES.md), on stdlib http.server.

- ``GET /api/v1/workorders?updated_from&updated_to&page&page_size`` (Bearer token): hotline work orders
  with ``updated_from <= update_time < updated_to``, ordered by ``update_time, order_no``.
- ``GET /open311/v2/requests.json?start_date&end_date&page&page_size[&service_code&status]``: app
  requests with ``start_date <= requested_datetime < end_date``, ordered by ``requested_datetime,
  service_request_id``; a page past the end is ``[]``. With ``updated_after``/``updated_before``
  (the common extension) the requests with ``updated_after <= updated_datetime < updated_before``,
  ordered by ``updated_datetime, service_request_id``. ``/open311/v2/services.json`` lists the
  service codes and ``/open311/v2/requests/{id}.json`` returns one request.
- ``GET /healthz``.
- ``GET|POST|DELETE /__faults``: read, replace or clear the fault plan (:mod:`.faults`).

The stores index ``hotline.jsonl`` / ``app.jsonl`` by byte offset (:class:`~.stores.Store`), so a
million rows cost little memory; pages are read from the mapped files when served.
"""

from __future__ import annotations

import hmac
import json
import os
import threading
from collections.abc import Callable, Sequence
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import parse_qs, urlsplit

from simulators.channels import APP_SERVICE_NAMES
from simulators.event_rows import closed_log
from simulators.faults import FaultPlan, FaultPlanError, FaultRule, change_row
from simulators.stores import BadRequest, Store, epoch, local_text, parse_instant

DEFAULT_PAGE_SIZE = 200
MAX_PAGE_SIZE = 1000
_SERVICES = json.dumps(
    [
        {"service_code": c, "service_name": n, "metadata": False, "type": "realtime"}
        for c, n in APP_SERVICE_NAMES.items()
    ],
    ensure_ascii=False,
)


class _Handler(BaseHTTPRequestHandler):
    server: _HubHTTPServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        """Keep test and DAG logs quiet (the stdlib writes every request to stderr)."""
        return

    def _send(self, status: int, body: str, headers: dict[str, str] | None = None) -> None:
        data = body.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(data)

    def _error(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        self._send(status, json.dumps({"code": status, "message": message}, ensure_ascii=False), headers)

    def do_GET(self) -> None:  # noqa: N802 - stdlib name
        """Route a GET to the hotline, Open311 or health endpoint."""
        parts = urlsplit(self.path)
        query = {k: v[-1] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
        path = parts.path.rstrip("/")
        try:
            if path == "/api/v1/workorders":
                self._workorders(query)
            elif path == "/open311/v2/requests.json":
                self._requests(query)
            elif path.startswith("/open311/v2/requests/") and path.endswith(".json"):
                self._request(path.removeprefix("/open311/v2/requests/").removesuffix(".json"), query)
            elif path == "/open311/v2/services.json":
                self._send(200, _SERVICES)
            elif path == "/healthz":
                self._send(200, '{"status":"ok"}')
            elif path == "/__faults":
                self._send(200, self.server.faults.as_json())
            else:
                self._error(404, f"no such resource: {parts.path}")
        except BadRequest as exc:
            self._error(400, str(exc))

    def do_POST(self) -> None:  # noqa: N802 - stdlib name
        """``POST /__faults`` replaces the fault plan with the JSON body."""
        length = int(self.headers.get("Content-Length") or 0)
        self._admin(self.rfile.read(length).decode("utf-8") if length else "[]")

    def do_DELETE(self) -> None:  # noqa: N802 - stdlib name
        """``DELETE /__faults`` clears the fault plan."""
        self._admin("[]")

    def _admin(self, plan: str) -> None:
        if urlsplit(self.path).path.rstrip("/") != "/__faults":
            self._error(404, f"no such resource: {self.path}")
            return
        try:
            self.server.faults.set(json.loads(plan))
        except (ValueError, FaultPlanError) as exc:
            self._error(400, f"bad fault plan: {exc}")
            return
        self._send(200, self.server.faults.as_json())

    def _page(
        self, endpoint: str, page: int, query: dict[str, str], build: Callable[[int], str]
    ) -> FaultRule | None:
        """Send one page (``build()`` makes it) as the fault plan has it; returns a ``change_record`` rule."""
        status, text, headers, rule = self.server.faults.answer(endpoint, page, query, build)
        self._send(status, text, headers)
        return rule

    @staticmethod
    def _paging(query: dict[str, str]) -> tuple[int, int]:
        try:
            page = int(query.get("page", "1"))
            size = int(query.get("page_size", str(DEFAULT_PAGE_SIZE)))
        except ValueError as exc:
            raise BadRequest("page and page_size must be integers") from exc
        if page < 1 or size < 1:
            raise BadRequest("page and page_size must be >= 1")
        return page, min(size, MAX_PAGE_SIZE)

    def _workorders(self, query: dict[str, str]) -> None:
        supplied = self.headers.get("Authorization", "")
        expected = f"Bearer {self.server.token}"
        if not hmac.compare_digest(supplied.encode("utf-8"), expected.encode("utf-8")):
            self._error(401, "unauthorized", {"WWW-Authenticate": 'Bearer realm="12345"'})
            return
        page, size = self._paging(query)
        low = (
            local_text(parse_instant(query["updated_from"], "updated_from"))
            if query.get("updated_from")
            else None
        )
        high = (
            local_text(parse_instant(query["updated_to"], "updated_to")) if query.get("updated_to") else None
        )
        store = self.server.hotline
        lo, hi = store.window(low, high)
        first = min(hi, lo + (page - 1) * size)

        def body(shift: int) -> str:
            start = max(lo, first - shift)
            items = ",".join(store.texts(start, min(hi, start + size)))
            head = json.dumps({"total": hi - lo, "page": page, "page_size": size})[:-1]
            return f'{{"code":0,"message":"ok","data":{head},"items":[{items}]}}}}'

        rule = self._page("hotline", page, query, body)
        if rule is not None and first + rule.item < min(hi, first + size):
            # Closed at the end of the client's window: it stays in the window, behind the rows still to come.
            end = (
                local_text(parse_instant(query["updated_to"], "updated_to") - timedelta(seconds=1))
                if query.get("updated_to")
                else store.keys[-1]
            )
            changes = {"status": "已办结", "update_time": end, "finish_time": end}
            flow = closed_log(
                "hotline", json.loads(store.text(first + rule.item)), end
            )  # 办结 in its flow too
            changes |= ({"flow": flow} if flow is not None else {}) | rule.set
            change_row(store, first + rule.item, changes, "update_time", "order_no", _text_key)

    def _check_key(self, query: dict[str, str]) -> bool:
        key = self.server.api_key
        if key and not hmac.compare_digest(query.get("api_key", "").encode("utf-8"), key.encode("utf-8")):
            self._send(403, json.dumps([{"code": 403, "description": "invalid api_key"}]))
            return False
        return True

    def _requests(self, query: dict[str, str]) -> None:
        if not self._check_key(query):
            return
        page, size = self._paging(query)
        # updated_after/updated_before (a common GeoReport v2 extension) select on the update time;
        # start_date/end_date then narrow on the request time, as the service code and status do.
        updates = bool(query.get("updated_after") or query.get("updated_before"))
        names = ("updated_after", "updated_before") if updates else ("start_date", "end_date")
        low, high = (_epoch_bound(query, name) for name in names)
        store = self.server.app_updates if updates else self.server.app
        lo, hi = store.window(low, high)
        codes = {c for c in query.get("service_code", "").split(",") if c}
        status = query.get("status", "")
        made = (
            (_epoch_bound(query, "start_date"), _epoch_bound(query, "end_date")) if updates else (None, None)
        )
        first = (page - 1) * size
        indices: Sequence[int] = range(lo, hi)  # a range slices without listing the window
        if codes or status or made != (None, None):
            rows = [(i, json.loads(store.text(i))) for i in indices]
            indices = [
                i
                for i, row in rows
                if (not codes or row.get("service_code") in codes)
                and (not status or row.get("status") == status)
                and (made[0] is None or made[0] <= epoch(row.get("requested_datetime")))
                and (made[1] is None or epoch(row.get("requested_datetime")) < made[1])
            ]

        def body(shift: int) -> str:
            start = max(0, first - shift)
            return "[" + ",".join(store.text(i) for i in indices[start : start + size]) + "]"

        served = indices[first : first + size]
        rule = self._page("app", page, query, body)
        if rule is not None and rule.item < len(served):
            changes: dict[str, Any] = {"status": "closed", "status_notes": "已办结（翻页期间更新）"}
            row = json.loads(store.text(served[rule.item]))
            history = closed_log("app", row, str(row.get("updated_datetime")))
            changes |= ({"status_history": history} if history is not None else {}) | rule.set
            row_id = str(row.get("service_request_id"))
            self.server.change_request(row_id, changes)

    def _request(self, request_id: str, query: dict[str, str]) -> None:
        if not self._check_key(query):
            return
        index = self.server.app.index_of(request_id, "service_request_id")
        if index is None:
            self._send(404, json.dumps([{"code": 404, "description": "not found"}]))
        else:
            self._send(200, "[" + self.server.app.text(index) + "]")


def _epoch_bound(query: dict[str, str], name: str) -> float | None:
    return parse_instant(query[name], name).timestamp() if query.get(name) else None


def _text_key(value: Any) -> str:
    """The hotline's sort key: the text of its update time."""
    return str(value or "")


class _HubHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    token: str
    api_key: str | None
    hotline: Store
    app: Store
    app_updates: Store
    faults: FaultPlan

    def change_request(self, row_id: str, changes: dict[str, Any]) -> None:
        """Change one app request in both of its indexes (by request time and by update time)."""
        for store, key_field in ((self.app, "requested_datetime"), (self.app_updates, "updated_datetime")):
            index = store.index_of(row_id, "service_request_id")
            if index is not None:
                change_row(store, index, changes, key_field, "service_request_id", epoch)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that gave up (a ``slow`` fault past its timeout) is expected; anything else is reported."""
        import sys

        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class SimulatorServer:
    """Serve a ``write_sources`` directory's hotline and app stores over HTTP.

    Args:
        data_dir: directory holding ``hotline.jsonl`` and ``app.jsonl``.
        host: interface to bind.
        port: TCP port; ``0`` picks a free one (read :attr:`url` after :meth:`start`).
        token: bearer token the hotline API requires (default: env ``HUB_SIM_TOKEN``).
        api_key: if set, the Open311 API requires ``api_key=<this>``.
        faults: a fault plan (:mod:`.faults`) in force from the start; ``POST /__faults`` replaces it.
    """

    def __init__(self, data_dir: Path | str, host: str = "127.0.0.1", port: int = 0, token: str | None = None,
                 api_key: str | None = None, faults: Any = None) -> None:  # fmt: skip
        token = token if token is not None else os.environ.get("HUB_SIM_TOKEN")
        if not token:
            raise ValueError("a bearer token is required (argument token= or env HUB_SIM_TOKEN)")
        self.data_dir = Path(data_dir)
        self.host = host
        self.port = port
        self.token = token
        self.api_key = api_key
        self.faults = FaultPlan(faults)
        self._httpd: _HubHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        """``http://host:port`` of the running server."""
        if self._httpd is None:
            raise RuntimeError("server not started")
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> SimulatorServer:
        """Load the stores, bind, and serve in a background thread."""
        if self._httpd is not None:
            return self
        httpd = _HubHTTPServer((self.host, self.port), _Handler)
        httpd.token, httpd.api_key, httpd.faults = self.token, self.api_key, self.faults
        self._httpd = httpd
        self.reload()
        self._thread = threading.Thread(
            target=httpd.serve_forever, args=(0.1,), name="hub-simulator", daemon=True
        )
        self._thread.start()
        return self

    def reload(self) -> None:
        """Re-read ``hotline.jsonl`` and ``app.jsonl`` (after the directory was regenerated)."""
        if self._httpd is None:
            raise RuntimeError("server not started")
        # Both stores are read first and then swapped in: requests never see a half-loaded store.
        hotline = Store.load(self.data_dir / "hotline.jsonl", "update_time", "order_no", _text_key)
        app = Store.load(self.data_dir / "app.jsonl", "requested_datetime", "service_request_id", epoch)
        updates = Store.load(self.data_dir / "app.jsonl", "updated_datetime", "service_request_id", epoch)
        self._httpd.hotline, self._httpd.app, self._httpd.app_updates = hotline, app, updates

    def stop(self) -> None:
        """Stop serving and release the port."""
        if self._httpd is None:
            return
        self._httpd.shutdown()
        self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._httpd, self._thread = None, None

    def __enter__(self) -> SimulatorServer:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()
