"""Bad-input corpus, paged APIs: repeated, stale and malformed pages from the real simulator server.

Each case serves a small hand-written store through :class:`~simulators.SimulatorServer` with a page
fault plan, extracts a day through the connector, lands it through the real path on SQLite and
PostgreSQL and checks the outcome: staged, quarantined with a reason, or the window failed after its
retries with nothing committed. Every batch that lands balances (fetched = landed + unchanged +
quarantined).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from hub_fixtures import DAY
from hub_landing import assert_reconciled, batch_row, land, landing, stage_mappable

from connectors import _http
from connectors._paging import PageLedger
from connectors.app import AppConnector
from connectors.base import BaseConnector, Window
from connectors.hotline import HotlineConnector
from orchestration.pool import match_and_publish
from simulators import SimulatorServer
from warehouse import make_engine

pytestmark = pytest.mark.integration

TOKEN = "corpus-token"
SIZE = 5  # page_size asked for: 15 records are 3 full pages and an empty one
N = 15


def _app_row(n: int, requested: datetime, updated: datetime, status: str = "open") -> dict[str, Any]:
    return {
        "service_request_id": f"A{n:03d}",
        "status": status,
        "service_code": "wage_arrears",
        "description": f"第{n}号工地拖欠工资，请求处理",
        "requested_datetime": requested.isoformat(),
        "updated_datetime": updated.isoformat(),
        "address": f"城关区张掖路{n}号",
    }


def _hotline_row(n: int, moment: datetime) -> dict[str, Any]:
    text = f"{moment:%Y-%m-%d %H:%M:%S}"
    return {
        "order_no": f"H{n:03d}",
        "create_time": text,
        "update_time": f"{moment + timedelta(minutes=5):%Y-%m-%d %H:%M:%S}",
        "caller_name": "来电人",
        "area": "城关区",
        "category": "劳动保障-拖欠工资",
        "content": f"第{n}号工地拖欠工资",
        "status": "已受理",
    }


def _write(directory: Path, app: list[dict[str, Any]], hotline: list[dict[str, Any]]) -> Path:
    for name, rows in (("app", app), ("hotline", hotline)):
        lines = (json.dumps(row, ensure_ascii=False) for row in rows)
        (directory / f"{name}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return directory


def _at(n: int, day: int = 0) -> datetime:
    return DAY.start + timedelta(days=day, hours=1, minutes=30 * n)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SimulatorServer]:
    app = [_app_row(n, _at(n), _at(n) + timedelta(minutes=10)) for n in range(1, N + 1)]
    hotline = [_hotline_row(n, _at(n)) for n in range(1, N + 1)]
    with SimulatorServer(_write(tmp_path_factory.mktemp("paging"), app, hotline), token=TOKEN) as running:
        yield running


@pytest.fixture
def sim(server: SimulatorServer, monkeypatch: pytest.MonkeyPatch) -> SimulatorServer:
    server.reload()
    server.faults.set([])
    monkeypatch.setattr(_http, "BASE_BACKOFF_S", 0.001)
    return server


@pytest.fixture
def engine(migrated_url: str) -> Iterator[sa.Engine]:
    built = make_engine(migrated_url)
    yield built
    built.dispose()


def _connector(source: str, server: SimulatorServer, **options: Any) -> BaseConnector:
    if source == "hotline":
        return HotlineConnector(server.url, TOKEN, page_size=SIZE, timeout=5)
    return AppConnector(server.url, page_size=SIZE, timeout=5, **options)


def _reasons(engine: sa.Engine, batch_id: str) -> list[str]:
    with engine.connect() as conn:
        rows = conn.execute(
            sa.text("SELECT reasons FROM quarantine_record WHERE batch_id = :b"), {"b": batch_id}
        )
        return sorted(
            reason
            for (reasons,) in rows
            for reason in (json.loads(reasons) if isinstance(reasons, str) else reasons)
        )


@dataclass(frozen=True)
class Outcome:
    """What a case must end in: what was fetched and staged and why the rest was quarantined, or the
    window failing (after every retry, nothing committed) with ``fails`` in its reason."""

    fetched: int = N
    staged: int = N
    quarantined: tuple[str, ...] = ()
    fails: str | None = None
    without_id: int = 0  # records the fault stripped of their id: landed under a content key


def _edit_closing(source: str, unset: tuple[str, ...]) -> dict[str, Any]:
    return {"fault": "edit_item", "endpoint": source, "at": 1, "item": -1, "unset": list(unset)}


def _repeat(source: str, times: int = 1) -> dict[str, Any]:
    return {"fault": "repeat_page", "endpoint": source, "at": 2, "times": times}


def _insert(source: str, value: Any) -> dict[str, Any]:
    return {"fault": "insert_item", "endpoint": source, "at": 1, "item": 2, "value": value}


def _page_size(value: Any, times: int = 1) -> dict[str, Any]:
    return {"fault": "page_size", "endpoint": "hotline", "at": 1, "times": times, "value": value}


FOREVER = 50  # more than any retry budget: a server that keeps doing it
NOT_AN_OBJECT = "unmappable: item is not an object but {} (page 1) (item 3)"
SUPERSEDED = (
    "unmappable: superseded in this fetch by a later copy of record {} with other content, which was landed"
    " (this copy: item {} of the fetch)"
)

CASES = [
    pytest.param(
        "app",
        [_edit_closing("app", ("requested_datetime",)), _repeat("app")],
        Outcome(staged=N - 1, quarantined=("reported_at: missing",)),
        id="app: the item closing page 1 has no requested_datetime, then page 1 again",
    ),
    pytest.param(
        "app",
        [_edit_closing("app", ("requested_datetime", "service_request_id")), _repeat("app")],
        Outcome(
            staged=N - 1, quarantined=("unmappable: missing primary key 'service_request_id'",), without_id=1
        ),
        id="app: the closing item has neither time nor id, then page 1 again",
    ),
    pytest.param(
        "app",
        [_repeat("app", FOREVER)],
        Outcome(fails="stale page"),
        id="app: a server that keeps repeating",
    ),
    pytest.param(
        "app",
        [_edit_closing("app", ("requested_datetime",)), _repeat("app", FOREVER)],
        Outcome(fails="stale page"),
        id="app: keeps repeating a page whose closing item has no time",
    ),
    pytest.param(
        "app",
        [{"fault": "stale_page", "endpoint": "app", "page": 2, "shift": 2}],
        Outcome(),
        id="app: page 2 starts two requests early, once",
    ),
    pytest.param(
        "app",
        [{"fault": "stale_page", "endpoint": "app", "page": 2, "shift": 1, "times": FOREVER}],
        Outcome(fails="stale page"),
        id="app: page 2 always starts one request early",
    ),
    pytest.param(
        "app", [_insert("app", None)], Outcome(N + 1, N, (NOT_AN_OBJECT.format("null"),)), id="app: null item"
    ),
    pytest.param(
        "app",
        [_insert("app", 42)],
        Outcome(N + 1, N, (NOT_AN_OBJECT.format("int"),)),
        id="app: 42 as an item",
    ),
    pytest.param(
        "app",
        [_insert("app", "A999")],
        Outcome(N + 1, N, (NOT_AN_OBJECT.format("str"),)),
        id="app: a bare string as an item",
    ),
    pytest.param(
        "app",
        [_insert("app", [1, 2])],
        Outcome(N + 1, N, (NOT_AN_OBJECT.format("list"),)),
        id="app: an array as an item",
    ),
    pytest.param("hotline", [_page_size("abc")], Outcome(), id="hotline: page_size 'abc', once"),
    pytest.param("hotline", [_page_size(1.5)], Outcome(), id="hotline: page_size 1.5, once"),
    pytest.param(
        "hotline",
        [_page_size("abc", FOREVER)],
        Outcome(fails="malformed page: page_size is not a positive integer"),
        id="hotline: page_size 'abc' on every page",
    ),
    pytest.param(
        "hotline",
        [_page_size(-1, FOREVER)],
        Outcome(fails="malformed page: page_size is not a positive integer"),
        id="hotline: page_size -1 on every page",
    ),
    pytest.param(
        "hotline",
        [_insert("hotline", None)],
        Outcome(N + 1, N, (NOT_AN_OBJECT.format("null"),)),
        id="hotline: null item",
    ),
    pytest.param(
        "hotline",
        [_insert("hotline", 42)],
        Outcome(N + 1, N, (NOT_AN_OBJECT.format("int"),)),
        id="hotline: 42 as an item",
    ),
    pytest.param(
        "hotline",
        [_edit_closing("hotline", ("update_time",)), _repeat("hotline")],
        # Page 1 again serves the closing item whole: its newer state is staged, the first copy quarantined.
        Outcome(N + 1, N, (SUPERSEDED.format("H005", 5),)),
        id="hotline: the closing item has no update_time, then page 1 again",
    ),
    pytest.param(
        "hotline", [_repeat("hotline", FOREVER)], Outcome(fails="stale page"), id="hotline: keeps repeating"
    ),
]


@pytest.mark.parametrize(("source", "plan", "outcome"), CASES)
def test_a_page_fault_is_absorbed_quarantined_or_fails_the_window_whole(
    sim: SimulatorServer, engine: sa.Engine, source: str, plan: list[dict[str, Any]], outcome: Outcome
) -> None:
    sim.faults.set(plan)
    connector = _connector(source, sim)
    if outcome.fails is not None:
        with pytest.raises(
            _http.SourceUnavailable, match=f"after {_http.MAX_ATTEMPTS} attempts: {outcome.fails}"
        ):
            land(engine, connector, DAY)
        assert batch_row(engine, f"{source}:{DAY.key}")["status"] == "extracting"  # the window is not done
        assert landing(engine, source) == []  # nothing committed
        assert len(json.loads(sim.faults.as_json())["log"]) <= 3 + _http.MAX_ATTEMPTS  # no loop
        return
    batch_id, stats = land(engine, connector, DAY)
    landed = {rid for rid, _, _ in landing(engine, source)}
    ids = {f"{source[0].upper()}{n:03d}" for n in range(1, N + 1)}
    assert len(ids - landed) == outcome.without_id  # nothing lost
    assert all(rid.startswith(("unkeyed-", "superseded-")) for rid in landed - ids)  # nothing invented
    stage_mappable(engine, batch_id, type(connector))
    row = assert_reconciled(engine, batch_id)
    assert (stats.fetched, row["fetched"], row["landed"]) == (
        outcome.fetched,
        outcome.fetched,
        outcome.staged,
    )
    assert _reasons(engine, batch_id) == sorted(outcome.quarantined)


NEXT_DAY = Window(DAY.end, DAY.end + timedelta(days=1))


def _status(engine: sa.Engine, record_id: str) -> tuple[str | None, str | None]:
    with engine.connect() as conn:
        row = conn.execute(
            sa.text(
                "SELECT c.current_status, r.status FROM complaint_case c "
                "JOIN case_member m ON m.case_id = c.case_id "
                "JOIN complaint_record r ON r.record_id = m.record_id WHERE m.record_id = :r"
            ),
            {"r": record_id},
        ).one()
    return row[0], row[1]


def test_a_request_updated_after_its_window_is_fetched_again_and_its_case_moves(
    migrated_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HUB_DATABASE_URL", migrated_url)
    rows = [_app_row(n, _at(n), _at(n) + timedelta(minutes=10)) for n in range(1, 7)]
    engine = make_engine(migrated_url)
    with SimulatorServer(_write(tmp_path, rows, []), token=TOKEN) as running:
        first, _ = land(engine, _connector("app", running, updates=True), DAY)
        stage_mappable(engine, first, AppConnector)
        match_and_publish([first])
        assert _status(engine, "app:A003") == ("received", "open")

        # The centre closes A003 the next morning: the server now serves it with a later update time.
        rows[2] |= {"status": "closed", "updated_datetime": _at(3, day=1).isoformat()}
        _write(tmp_path, rows, [])
        running.reload()
        assert list(_connector("app", running).fetch_raw(NEXT_DAY)) == []  # by request time it is never seen
        second, stats = land(engine, _connector("app", running, updates=True), NEXT_DAY)
    assert (stats.fetched, stats.new_versions) == (1, 1)
    stage_mappable(engine, second, AppConnector)
    assert_reconciled(engine, second)
    assert match_and_publish([second])["status_changes"] == 1
    assert _status(engine, "app:A003") == ("resolved", "closed")
    engine.dispose()


def test_a_request_updated_while_its_updates_are_paged_is_not_skipped(
    engine: sa.Engine, tmp_path: Path
) -> None:
    # Twenty requests of the day before, all updated the next day: only the update pass finds them.
    rows = [_app_row(n, _at(n) - timedelta(days=1), _at(n % 10, day=1)) for n in range(1, 21)]
    end = (NEXT_DAY.end - timedelta(seconds=1)).isoformat()
    plan = [
        {"fault": "change_record", "endpoint": "app", "at": 2, "item": 0, "set": {"updated_datetime": end}}
    ]
    with SimulatorServer(_write(tmp_path, rows, []), token=TOKEN, faults=plan) as running:
        batch_id, stats = land(engine, _connector("app", running, updates=True), NEXT_DAY)
    # The first request of page 1 moved to the end while paging: it comes again as its new version,
    # and nothing behind it is skipped (offset paging would have lost the request after it). The copy
    # it superseded is not passed off as unchanged: it is quarantined with the reason.
    assert (stats.fetched, stats.pending, stats.unchanged) == (21, 21, 0)
    landed = {rid for rid, _, _ in landing(engine, "app")}
    assert {rid for rid in landed if not rid.startswith("superseded-")} == {f"A{n:03d}" for n in range(1, 21)}
    assert len(landed) == 21
    stage_mappable(engine, batch_id, AppConnector)
    row = assert_reconciled(engine, batch_id)
    assert (row["landed"], row["quarantined"]) == (20, 1)
    assert _reasons(engine, batch_id) == [SUPERSEDED.format("A010", 1)]


@pytest.mark.parametrize(
    ("pages", "problem"),
    [
        pytest.param([[{"a": 1}, {"b": 2}], [{"b": 2}, {"c": 3}]], "stale page", id="an item read already"),
        pytest.param([[None, 42], [None, 42]], "repeated page", id="the same page of non-objects"),
        pytest.param(
            [[{"x": None}, None], [{"x": None}, None]], "repeated page", id="no time, no id, page again"
        ),
        pytest.param([[{"a": 1}], [{"a": 2}]], None, id="a changed record is a new item"),
        pytest.param([[None], [None, 1]], None, id="other non-objects: a different page"),
    ],
)
def test_the_ledger_judges_pages_by_their_items_whatever_their_fields(
    pages: list[list[Any]], problem: str | None
) -> None:
    ledger = PageLedger()
    for page in pages[:-1]:
        assert ledger.problem(page) is None
        ledger.admit(page)
    found = ledger.problem(pages[-1])
    assert (found or "").startswith(problem or "") and (found is None) == (problem is None)
