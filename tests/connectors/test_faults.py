"""Every fault the simulator server can inject, against the real server: absorbed, or failing the window whole.

Each test extracts a day from the hotline or app API while the server misbehaves, lands it, stages it
(``stage_batch`` refuses counts that do not add up) and checks that the batch's accounting reconciles
and that landing holds every record of the window, none twice.
"""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from hub_fixtures import DAY
from hub_landing import (
    assert_nothing_lost_or_duplicated,
    assert_reconciled,
    batch_row,
    land,
    landing,
    sqlite_warehouse,
    stage_mappable,
)

from connectors import _http
from connectors.app import AppConnector
from connectors.base import BaseConnector, Window
from connectors.hotline import HotlineConnector
from simulators import SimulatorServer, generate_world, write_sources

pytestmark = pytest.mark.integration

TOKEN = "fault-token"
PAGE = {"hotline": 40, "app": 30}


@pytest.fixture(scope="module")
def sources(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("fault-sources")
    write_sources(generate_world(seed=5, n_records=600, start=DAY.start.date(), days=1), out)
    return out


@pytest.fixture(scope="module")
def server(sources: Path) -> Iterator[SimulatorServer]:
    with SimulatorServer(sources, token=TOKEN) as running:
        yield running


@pytest.fixture
def sim(server: SimulatorServer, monkeypatch: pytest.MonkeyPatch) -> SimulatorServer:
    """The server with its original data and no faults; backoff shortened (Retry-After is not)."""
    server.reload()
    _admin(server, "DELETE")
    monkeypatch.setattr(_http, "BASE_BACKOFF_S", 0.01)
    return server


def _admin(server: SimulatorServer, method: str, plan: Any = None) -> dict[str, Any]:
    data = json.dumps(plan).encode() if plan is not None else None
    request = urllib.request.Request(f"{server.url}/__faults", data=data, method=method)
    with urllib.request.urlopen(request, timeout=10) as response:
        result: dict[str, Any] = json.loads(response.read())
        return result


def _connector(endpoint: str, server: SimulatorServer, timeout: float = 5.0) -> BaseConnector:
    if endpoint == "hotline":
        return HotlineConnector(server.url, TOKEN, page_size=PAGE["hotline"], timeout=timeout)
    return AppConnector(server.url, page_size=PAGE["app"], timeout=timeout)


def _expected(sources: Path, endpoint: str, window: Window = DAY) -> set[str]:
    key, field = {
        "hotline": ("order_no", "update_time"),
        "app": ("service_request_id", "requested_datetime"),
    }[endpoint]
    rows = [
        json.loads(line) for line in (sources / f"{endpoint}.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    wide = window.widened()
    low, high = (f"{t.astimezone(DAY.start.tzinfo):%Y-%m-%d %H:%M:%S}" for t in (wide.start, wide.end))
    if endpoint == "hotline":
        return {r[key] for r in rows if low <= r[field] < high}
    return {r[key] for r in rows if wide.start.isoformat() <= r[field] < wide.end.isoformat()}


@pytest.mark.parametrize(
    ("endpoint", "rule"),
    [
        pytest.param(
            "hotline", {"fault": "429", "at": 2, "retry_after": 1}, id="hotline 429 with Retry-After"
        ),
        pytest.param("hotline", {"fault": "500", "at": 2, "times": 2}, id="hotline 500 twice"),
        pytest.param("hotline", {"fault": "slow", "at": 3, "delay": 1.2}, id="hotline slow past the timeout"),
        pytest.param("hotline", {"fault": "malformed", "at": 2}, id="hotline malformed JSON"),
        pytest.param("hotline", {"fault": "repeat_page", "at": 3}, id="hotline page repeated"),
        pytest.param("app", {"fault": "429", "page": 2, "retry_after": 0}, id="app 429"),
        pytest.param("app", {"fault": "500", "page": 3, "times": 3}, id="app 500 three times"),
        pytest.param("app", {"fault": "slow", "page": 1, "delay": 1.2}, id="app slow past the timeout"),
        pytest.param("app", {"fault": "malformed", "page": 2}, id="app malformed JSON"),
        pytest.param("app", {"fault": "repeat_page", "page": 2, "times": 2}, id="app page repeated twice"),
        pytest.param(
            "app", {"fault": "change_record", "page": 1, "item": 3}, id="app record changed between pages"
        ),
    ],
)
def test_a_transient_fault_is_absorbed_and_the_batch_reconciles(
    sim: SimulatorServer, sources: Path, tmp_path: Path, endpoint: str, rule: dict[str, Any]
) -> None:
    _admin(sim, "POST", [{**rule, "endpoint": endpoint}])
    engine = sqlite_warehouse(tmp_path)
    batch_id, stats = land(engine, _connector(endpoint, sim, timeout=0.5), DAY)
    state = _admin(sim, "GET")
    assert state["faults"][0]["fired"] == rule.get("times", 1)
    expected = _expected(sources, endpoint)
    assert (stats.fetched, stats.pending, stats.unchanged) == (len(expected), len(expected), 0)
    stage_mappable(engine, batch_id, type(_connector(endpoint, sim)))
    assert_reconciled(engine, batch_id)
    assert_nothing_lost_or_duplicated(engine, endpoint, expected)
    if rule["fault"] == "429":  # the client waited as long as it was told before asking again
        log = state["log"]
        after = next(i for i, entry in enumerate(log) if entry["fault"] == "429") + 1
        assert log[after]["t"] - log[after - 1]["t"] >= rule["retry_after"] * 0.95


def test_a_record_changed_between_pages_lands_its_newer_state_and_loses_nothing(
    sim: SimulatorServer, sources: Path, tmp_path: Path
) -> None:
    # The first work order of page 1 is closed while the client pages: it moves to the window's end.
    _admin(sim, "POST", [{"fault": "change_record", "endpoint": "hotline", "at": 1, "item": 0}])
    engine = sqlite_warehouse(tmp_path)
    batch_id, stats = land(engine, _connector("hotline", sim), DAY)
    expected = _expected(sources, "hotline")
    # Its first copy is not passed off as unchanged: it is quarantined, saying what superseded it.
    assert (stats.fetched, stats.pending, stats.unchanged) == (len(expected) + 1, len(expected) + 1, 0)
    superseded = [rid for rid, _, _ in landing(engine, "hotline") if rid.startswith("superseded-")]
    assert len(superseded) == 1
    stage_mappable(engine, batch_id, HotlineConnector)
    assert assert_reconciled(engine, batch_id)["quarantined"] == 1
    with engine.connect() as conn:
        (reasons,) = conn.execute(sa.text("SELECT reasons FROM quarantine_record")).one()
        changed = conn.execute(
            sa.text("SELECT payload FROM landing_record WHERE source_record_id = :r"), {"r": superseded[0]}
        ).scalar_one()
    order_no = (json.loads(changed) if isinstance(changed, str) else changed)["order_no"]
    assert f"superseded in this fetch by a later copy of record {order_no}" in str(reasons)
    assert_nothing_lost_or_duplicated(engine, "hotline", expected | set(superseded))
    with engine.connect() as conn:
        status = conn.execute(
            sa.text("SELECT status FROM complaint_record WHERE source_record_id = :r"), {"r": order_no}
        ).scalar_one()
        events = (
            conn.execute(
                sa.text("SELECT event_type FROM record_event WHERE record_id = :r ORDER BY seq"),
                {"r": f"hotline:{order_no}"},
            )
            .scalars()
            .all()
        )
    assert status == "已办结"  # staging holds the record's latest version
    assert events[-1] == "closed" and events.count("closed") == 1  # and its flow, closed once, replaced whole


def test_offset_paging_would_have_lost_a_record_there(sim: SimulatorServer, sources: Path) -> None:
    """Why the hotline connector pages by keyset: the same change, read page by page, skips a record."""
    _admin(sim, "POST", [{"fault": "change_record", "endpoint": "hotline", "at": 1, "item": 0}])
    wide, seen, page = DAY.widened(), [], 1
    while True:
        query = f"updated_from={wide.start.isoformat()}&updated_to={wide.end.isoformat()}&page={page}&page_size=40"
        request = urllib.request.Request(
            f"{sim.url}/api/v1/workorders?{query.replace('+', '%2B')}",
            headers={"Authorization": f"Bearer {TOKEN}"},
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            items = json.loads(response.read())["data"]["items"]
        seen += [item["order_no"] for item in items]
        if len(items) < 40:
            break
        page += 1
    assert len(_expected(sources, "hotline") - set(seen)) == 1


def test_a_record_leaving_the_window_while_paging_is_caught_by_the_next_window(
    sim: SimulatorServer, sources: Path, tmp_path: Path
) -> None:
    later = "2026-11-21 09:00:00"
    _admin(
        sim,
        "POST",
        [
            {
                "fault": "change_record",
                "endpoint": "hotline",
                "at": 2,
                "item": 5,
                "set": {"update_time": later, "status": "已办结"},
            }
        ],
    )
    engine = sqlite_warehouse(tmp_path)
    batch_id, stats = land(engine, _connector("hotline", sim), DAY)
    expected = _expected(sources, "hotline")
    assert stats.fetched == len(expected)  # its old version, read before it changed; nothing skipped
    stage_mappable(engine, batch_id, HotlineConnector)
    assert_reconciled(engine, batch_id)
    assert_nothing_lost_or_duplicated(engine, "hotline", expected)
    next_day = Window(DAY.end, DAY.end + (DAY.end - DAY.start))
    next_batch, next_stats = land(engine, _connector("hotline", sim), next_day)
    # The overlap re-reads the last half hour of the day (unchanged); the moved record is the one new version.
    assert (next_stats.pending, next_stats.new_versions, next_stats.unchanged) == (
        1,
        1,
        next_stats.fetched - 1,
    )
    stage_mappable(engine, next_batch, HotlineConnector)
    assert_reconciled(engine, next_batch)
    assert max(version for _, version, _ in landing(engine, "hotline")) == 2


def test_a_page_that_keeps_failing_fails_the_window_and_a_rerun_lands_it_whole(
    sim: SimulatorServer, sources: Path, tmp_path: Path
) -> None:
    _admin(sim, "POST", [{"fault": "500", "endpoint": "hotline", "at": 3, "times": _http.MAX_ATTEMPTS}])
    engine = sqlite_warehouse(tmp_path)
    with pytest.raises(_http.SourceUnavailable, match="after 5 attempts"):
        land(engine, _connector("hotline", sim), DAY)
    batch_id = f"hotline:{DAY.key}"
    assert batch_row(engine, batch_id)["status"] == "extracting"  # not landed: the window is not done
    assert landing(engine, "hotline") == []  # the pages read before the failure were rolled back
    _admin(sim, "DELETE")
    batch_id, stats = land(engine, _connector("hotline", sim), DAY)
    expected = _expected(sources, "hotline")
    assert (stats.fetched, stats.pending) == (len(expected), len(expected))
    stage_mappable(engine, batch_id, HotlineConnector)
    assert assert_reconciled(engine, batch_id)["status"] == "staged"
    assert_nothing_lost_or_duplicated(engine, "hotline", expected)


def test_a_bad_plan_is_refused_and_the_plan_in_force_kept(sim: SimulatorServer) -> None:
    _admin(sim, "POST", [{"fault": "500", "endpoint": "app"}])
    request = urllib.request.Request(f"{sim.url}/__faults", data=b'[{"fault": "teapot"}]', method="POST")
    with pytest.raises(urllib.error.HTTPError) as info:
        urllib.request.urlopen(request, timeout=10)
    assert info.value.code == 400
    assert [r["fault"] for r in _admin(sim, "GET")["faults"]] == ["500"]


def test_a_plan_given_at_construction_is_in_force_from_the_start(sources: Path) -> None:
    plan = [{"fault": "500", "endpoint": "app", "page": 1}]
    with SimulatorServer(sources, token=TOKEN, faults=plan) as running:
        with pytest.raises(urllib.error.HTTPError) as info:
            urllib.request.urlopen(f"{running.url}/open311/v2/requests.json?page=1", timeout=10)
        assert info.value.code == 500
        with urllib.request.urlopen(f"{running.url}/open311/v2/requests.json?page=1", timeout=10) as response:
            assert response.status == 200
