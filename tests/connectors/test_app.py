"""App connector: GeoReport v2 response shapes, optional fields absent, paging ended by an empty page."""

from __future__ import annotations

import pytest
from hub_fixtures import load

from connectors.app import AppConnector

pytestmark = pytest.mark.unit

SPEC = load("app", "requests_spec_example.json")


@pytest.mark.parametrize(
    ("index", "expected"),
    [
        pytest.param(0, {"name": "王芳", "district": "安宁区", "category": "邻里纠纷", "status": "closed",
                         "phone": "13912345678"}, id="every field present, full-width phone folded"),
        pytest.param(1, {"name": None, "district": "城关区", "category": "劳资欠薪", "address": None},
                     id="no address or contact: district from lat/long"),
        pytest.param(2, {"name": None, "district": None, "category": None, "reported_at": None, "content": None},
                     id="only the id: mapped, left for validation to quarantine"),
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
