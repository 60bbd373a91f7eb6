"""Hotline connector against a local HTTP server serving recorded work orders, with transient faults."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import pytest
from hub_fixtures import DAY, load

from connectors import _http
from connectors.hotline import HotlineConnector

pytestmark = pytest.mark.integration

PAGES = {1: load("hotline", "workorders_page1.json"), 2: load("hotline", "workorders_page2.json")}
# The recorded work orders, served as the platform does: updated_from <= update_time < updated_to,
# ordered by (update_time, order_no), page by page.
ORDERS = sorted(
    (item for page in PAGES.values() for item in page["data"]["items"]),
    key=lambda i: (i["update_time"], i["order_no"]),
)


def _local(value: str) -> str:
    from datetime import datetime

    from connectors.base import SHANGHAI

    return datetime.fromisoformat(value).astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M:%S")


class _Replay(BaseHTTPRequestHandler):
    faults: list[int] = []
    seen: list[dict[str, list[str]]] = []

    def do_GET(self) -> None:  # noqa: N802 (stdlib name)
        if self.headers.get("Authorization") != "Bearer secret-token":
            self._send(401, {"code": 401})
            return
        if self.faults:
            status = self.faults.pop(0)
            self.send_response(status)
            self.send_header("Retry-After", "0")
            self.end_headers()
            return
        query = parse_qs(urlparse(self.path).query)
        self.seen.append(query)
        low, high = _local(query["updated_from"][0]), _local(query["updated_to"][0])
        page, size = int(query["page"][0]), int(query["page_size"][0])
        match = [i for i in ORDERS if low <= i["update_time"] < high]
        items = match[(page - 1) * size : page * size]
        self._send(
            200,
            {
                "code": 0,
                "message": "ok",
                "data": {"total": len(match), "page": page, "page_size": size, "items": items},
            },
        )

    def _send(self, status: int, body: object) -> None:
        data = json.dumps(body, ensure_ascii=False).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        return None


@pytest.fixture
def server() -> Iterator[str]:
    _Replay.faults, _Replay.seen = [], []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Replay)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_pages_are_followed_until_a_short_page(server: str) -> None:
    rows = list(HotlineConnector(server, "secret-token", page_size=2).fetch_raw(DAY))
    assert [r["order_no"] for r in rows] == ["GD2026112000123", "GD2026112000124", "GD2026112000125"]
    assert _Replay.seen[0]["updated_from"] == [DAY.widened().start.isoformat()]
    # Keyset paging: the second request starts at the last update time read, not at page 2.
    assert (_Replay.seen[1]["updated_from"], _Replay.seen[1]["page"]) == (
        ["2026-11-20T10:05:00+08:00"],
        ["1"],
    )


def test_429_and_500_are_retried(server: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_http, "BASE_BACKOFF_S", 0.01)
    _Replay.faults = [429, 500]
    rows = list(HotlineConnector(server, "secret-token", page_size=2).fetch_raw(DAY))
    assert len(rows) == 3


def test_a_page_that_keeps_failing_fails_the_extraction(server: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_http, "BASE_BACKOFF_S", 0.01)
    _Replay.faults = [503] * _http.MAX_ATTEMPTS
    with pytest.raises(_http.SourceUnavailable):
        list(HotlineConnector(server, "secret-token", page_size=2).fetch_raw(DAY))


def test_a_bad_token_is_not_retried_and_not_logged(server: str) -> None:
    connector = HotlineConnector(server, "wrong-token")
    with pytest.raises(_http.SourceUnavailable, match="401") as info:
        list(connector.fetch_raw(DAY))
    assert "wrong-token" not in str(info.value) and "wrong-token" not in repr(connector)


def test_mapping_keeps_the_typed_name_and_cleans_the_phone() -> None:
    record = HotlineConnector.to_record(PAGES[1]["data"]["items"][0])
    # The homophone stays as typed (matching deals with it); the switch's +86 and dashes go.
    assert (record.name, record.phone, record.category) == ("章伟", "13893112345", "劳资欠薪")
