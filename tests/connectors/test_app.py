"""App connector: GeoReport v2 response shapes (optional fields absent or null, ``lat``/``long`` only,
``service_code`` mapping), and paging with ``page``/``page_size`` ended by a short or empty page."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
from hub_fixtures import DAY, load

from connectors import _http
from connectors.app import AppConnector
from connectors.taxonomy import CATEGORIES, source_category_codes

pytestmark = pytest.mark.unit

SPEC = load("app", "requests_spec_example.json")


@pytest.mark.parametrize(
    ("index", "expected"),
    [
        pytest.param(
            0,
            {
                "name": "王芳",
                "district": "安宁区",
                "category": "邻里纠纷",
                "status": "closed",
                "phone": "13912345678",
            },
            id="every field present, full-width phone folded",
        ),
        pytest.param(
            1,
            {"name": None, "district": "城关区", "category": "劳资欠薪", "address": None},
            id="no address or contact: district from lat/long",
        ),
        pytest.param(
            2,
            {"name": None, "district": None, "category": None, "reported_at": None, "content": None},
            id="only the id: mapped, left for validation to quarantine",
        ),
    ],
)
def test_georeport_shapes(index: int, expected: dict[str, object]) -> None:
    record = AppConnector.to_record(SPEC[index])
    assert {k: getattr(record, k) for k in expected} == expected
    assert record.record_id == f"app:{SPEC[index]['service_request_id']}"


def test_paging_stops_at_a_short_page() -> None:
    served: list[dict[str, object]] = []

    class Session:
        headers: dict[str, str] = {}

        def get(self, url: str, params: dict[str, object], timeout: float) -> object:
            served.append(params)
            page = int(params["page"])  # type: ignore[call-overload]
            return _Response(SPEC[:2] if page == 1 else SPEC[2:])

        def __enter__(self) -> Session:
            return self

        def __exit__(self, *exc: object) -> None:
            return None

    import requests
    from hub_fixtures import DAY

    connector = AppConnector("http://sim", page_size=2)
    original = requests.Session
    requests.Session = Session  # type: ignore[misc,assignment]
    try:
        ids = [r["service_request_id"] for r in connector.fetch_raw(DAY)]
    finally:
        requests.Session = original  # type: ignore[misc]
    assert ids == ["638344", "638349", "638350"]
    assert [p["page"] for p in served] == [1, 2]
    assert served[0]["end_date"] == DAY.end.isoformat()


class _Response:
    status_code = 200

    def __init__(self, body: object) -> None:
        self._body = body

    def json(self) -> object:
        return self._body


SHAPES = load("app", "requests_spec_shapes.json")
PAGES = [load("app", f"requests_page{n}.json") for n in (1, 2, 3)]


@pytest.mark.parametrize(
    ("index", "expected"),
    [
        pytest.param(
            0,
            {
                "record_id": "app:638351",
                "district": "城关区",
                "category": "投资受损",
                "address": None,
                "content": "理财公司到期不兑付,人联系不上。",
                "reported_at": "2026-11-20T09:37:38+08:00",
            },
            id="numeric id, nulls, a UTC time, lat/long only",
        ),
        pytest.param(
            1,
            {"district": "城关区", "category": "物业纠纷", "status": "closed", "name": None, "phone": None},
            id="address without lat/long, numeric address_id and zipcode",
        ),
        pytest.param(
            2,
            {"district": "西固区", "category": None, "source_category": "street_light"},
            id="a service_code outside the mapping: left for validation",
        ),
        pytest.param(
            3,
            {"district": None, "name": "李秀英", "phone": "13931000001"},
            id="a pin far outside Lanzhou places nothing",
        ),
        pytest.param(
            4,
            {"district": "榆中县", "category": "交通事故"},
            id="token extension and empty lat/long: district from the address",
        ),
    ],
)
def test_documented_response_shapes(index: int, expected: dict[str, Any]) -> None:
    record = AppConnector.to_record(SHAPES[index])
    actual = {k: getattr(record, k) for k in expected}
    if "reported_at" in expected:
        actual["reported_at"] = record.reported_at.isoformat() if record.reported_at else None
    assert actual == expected


def test_every_mapped_service_code_lands_on_a_unified_category() -> None:
    codes = source_category_codes("app")
    assert set(codes.values()) == set(CATEGORIES)
    for code, category in codes.items():
        assert AppConnector.to_record({"service_request_id": "1", "service_code": code}).category == category


class _Open311(BaseHTTPRequestHandler):
    """Serves the recorded pages of one window; ``cap`` imitates a server capping page_size."""

    pages: list[list[dict[str, Any]]] = []
    cap = 0
    status = 200
    seen: list[dict[str, list[str]]] = []

    def do_GET(self) -> None:  # noqa: N802 (stdlib name)
        query = parse_qs(urlparse(self.path).query)
        self.seen.append(query)
        page = int(query["page"][0])
        body: Any = self.pages[page - 1] if page <= len(self.pages) else []
        if self.status != 200:
            body = load("app", "error_403.json")
        data = json.dumps(body, ensure_ascii=False).encode()
        self.send_response(self.status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        return None


@pytest.fixture
def open311() -> Iterator[str]:
    _Open311.pages, _Open311.status, _Open311.seen = PAGES, 200, []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Open311)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.mark.integration
@pytest.mark.parametrize(
    ("pages", "page_size", "requested"),
    [
        pytest.param(PAGES, 2, [1, 2, 3], id="ended by a short page"),
        pytest.param(PAGES, 5, [1, 2, 3], id="server caps page_size at 2: a short first page is not the end"),
        pytest.param(PAGES[:2], 2, [1, 2, 3], id="exact multiple: ended by an empty page"),
        pytest.param([], 2, [1], id="nothing in the window"),
    ],
)
def test_paging_with_page_and_page_size(
    open311: str, pages: list[Any], page_size: int, requested: list[int]
) -> None:
    _Open311.pages = pages
    rows = list(AppConnector(open311, api_key="k-123", page_size=page_size).fetch_raw(DAY))
    assert [r["service_request_id"] for r in rows] == [
        r["service_request_id"] for page in pages for r in page
    ]
    assert [int(q["page"][0]) for q in _Open311.seen] == requested
    first = _Open311.seen[0]
    assert (first["start_date"], first["end_date"], first["page_size"], first["api_key"]) == (
        [DAY.widened().start.isoformat()],
        [DAY.end.isoformat()],
        [str(page_size)],
        ["k-123"],
    )


@pytest.mark.integration
def test_a_georeport_error_is_not_retried_and_does_not_echo_the_key(open311: str) -> None:
    _Open311.status = 403
    with pytest.raises(_http.SourceUnavailable, match="Invalid api_key") as info:
        list(AppConnector(open311, api_key="k-secret-9").fetch_raw(DAY))
    assert len(_Open311.seen) == 1 and "k-secret-9" not in str(info.value)
